import { existsSync } from 'node:fs'
import { expect, test } from './fixtures'
import { trainExample } from './train-helper'

/**
 * A biologist trains on the planted example (CTCF sites in 200 bp), opens the Motifs view,
 * sees filter logos over their best JASPAR matches, sorts them, and opens a filter's page.
 */
test('motif gallery with known-motif matches, sorting and a filter page', async ({ appPage: page }) => {
  await trainExample(page, 'planted', 2)
  const nav = page.getByRole('navigation', { name: 'Views' })

  await nav.getByRole('button', { name: 'Motifs' }).click()
  const gallery = page.getByLabel('Filter gallery')
  const cards = gallery.getByRole('figure', { name: /^Filter \d+ logo$/ })
  await expect(cards.first()).toBeVisible({ timeout: 120_000 })
  expect(await cards.count()).toBeGreaterThan(4)
  // every card shows its best JASPAR match by name with a q-value, and the logos are drawn
  await expect(cards.first().locator('figcaption')).toContainText(/q = /)
  expect(await cards.first().locator('svg path').count()).toBeGreaterThan(20)
  await expect(page.getByText(/look like a known motif in JASPAR 2024/)).toBeVisible()
  await page.screenshot({ path: 'e2e-artifacts/motifs-gallery.png' })

  // sorting by information content puts the highest-bit filter first
  await page.getByLabel('Sort filters by').selectOption('ic')
  const bits = async () => (await cards.locator('.head .muted').allTextContents()).map((t) => Number(/([\d.]+) bits/.exec(t)?.[1]))
  const ic = await bits()
  expect(ic).toEqual([...ic].sort((a, b) => b - a))

  // a filter's page: logo, matches, both histograms, top sequences with coloured bases
  const firstName = (await cards.first().locator('.head strong').textContent()) ?? ''
  await page.getByRole('button', { name: new RegExp(`^Open ${firstName.toLowerCase()}\\b`) }).click()
  await expect(page.getByRole('heading', { name: firstName, level: 1 })).toBeVisible()
  await expect(page.getByRole('radiogroup', { name: 'Matches' }).getByRole('radio')).toHaveCount(3)
  await expect(page.getByRole('img', { name: /Activation histogram/ }).locator('rect')).not.toHaveCount(0)
  await expect(page.getByRole('img', { name: /Position histogram/ }).locator('rect')).not.toHaveCount(0)
  const rows = page.getByRole('table', { name: 'Top sequences' }).locator('tbody tr')
  await expect(rows).toHaveCount(20)
  await expect(rows.first().locator('td').nth(1)).toHaveText(/^pos/)
  await page.screenshot({ path: 'e2e-artifacts/motifs-filter-page.png' })
  await rows.last().scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'e2e-artifacts/motifs-filter-page-bottom.png' })

  // export the position histogram as a PNG from under the chart
  await page.getByRole('button', { name: /Export chart: filter_\d+_positions/ }).click()
  await page.getByRole('button', { name: 'Save', exact: true }).click()
  const saved = page.getByRole('status').filter({ hasText: /^Saved / })
  await expect(saved).toBeVisible()
  const path = ((await saved.textContent()) ?? '').replace(/^Saved /, '')
  expect(path).toMatch(/motiflens-exports\/filter_\d+_positions\.png$/)
  expect(existsSync(path)).toBe(true)

  await page.getByRole('button', { name: '← All filters' }).click()
  await expect(cards.first()).toBeVisible()
})
