import { existsSync, readFileSync, statSync } from 'node:fs'
import { expect, test } from './fixtures'
import { trainExample } from './train-helper'

/** The files listed under "Written", as [path, size text, what]. */
async function writtenRows(page: import('@playwright/test').Page): Promise<string[][]> {
  const rows = page.getByRole('table', { name: 'Written files' }).locator('tbody tr')
  const out: string[][] = []
  for (let i = 0; i < (await rows.count()); i++) out.push(await rows.nth(i).locator('td').allTextContents())
  return out
}

test('export MEME, a PNG logo at a dpi, a table and the methods report; the files exist', async ({ appPage: page, workDir }) => {
  await trainExample(page, 'planted', 2)
  const nav = page.getByRole('navigation', { name: 'Views' })

  await nav.getByRole('button', { name: 'Export' }).click()
  await expect(page.getByRole('heading', { name: 'Export', level: 1 })).toBeVisible()
  await expect(page.getByText('Nothing exported yet in this session.')).toBeVisible()

  // MEME of every filter with a motif
  const meme = page.getByRole('region', { name: 'MEME motifs' })
  await expect(meme.getByRole('button', { name: 'Save MEME' })).toBeEnabled({ timeout: 120_000 })
  await meme.getByRole('button', { name: 'Save MEME' }).click()
  await expect(meme.getByRole('status').filter({ hasText: /^Saved / })).toBeVisible({ timeout: 30_000 })

  // one filter's logo beside its CTCF match, PNG at 600 dpi, 2 inches wide
  const logos = page.getByRole('region', { name: 'Logos' })
  const ctcf = logos.getByLabel('Logo to export').locator('option', { hasText: 'CTCF' }).first()
  const value = await ctcf.getAttribute('value')
  await logos.getByLabel('Logo to export').selectOption(value as string)
  await logos.getByLabel('Logo dpi').fill('600')
  await logos.getByLabel('Logo width in inches').fill('2')
  await expect(logos.getByText('1200 pixels wide: 2 in at 600 dpi.')).toBeVisible()
  await logos.getByRole('button', { name: 'Save logo' }).click()
  await expect(logos.getByRole('status').filter({ hasText: /^Saved / })).toBeVisible({ timeout: 30_000 })

  // the filter table and the methods report
  await page.getByRole('button', { name: 'Save filter table' }).click()
  await expect(page.getByRole('region', { name: 'Tables' }).getByRole('status').filter({ hasText: /^Saved / })).toBeVisible({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Save methods report' }).click()
  await expect(page.getByRole('region', { name: 'Report and run' }).getByRole('status').filter({ hasText: /^Saved / })).toBeVisible({ timeout: 60_000 })

  const rows = await writtenRows(page)
  expect(rows).toHaveLength(4)
  for (const [path] of rows) {
    expect(path.startsWith(`${workDir}/motiflens-exports/`)).toBe(true)
    expect(existsSync(path)).toBe(true)
    expect(statSync(path).size).toBeGreaterThan(100)
  }
  const byExt = (ext: string) => rows.find(([p]) => p.endsWith(ext))?.[0] as string
  const memeText = readFileSync(byExt('.meme'), 'utf8')
  expect(memeText).toMatch(/^MEME version 4/)
  expect(memeText).toMatch(/letter-probability matrix: alength= 4 w= 15 nsites= \d+/)
  const png = readFileSync(byExt('_match.png'))
  expect(png.readUInt32BE(16)).toBe(1200) // IHDR width = 2 in x 600 dpi
  const phys = png.indexOf('pHYs', 0, 'latin1')
  expect(png.readUInt32BE(phys + 4)).toBe(Math.round(600 / 0.0254))
  expect(rows.find(([p]) => p.endsWith('_match.png'))?.[2]).toContain('over CTCF')
  expect(readFileSync(byExt('.html'), 'utf8')).toContain('CC BY 4.0')
  await page.getByRole('table', { name: 'Written files' }).scrollIntoViewIfNeeded()
  await page.screenshot({ path: 'e2e-artifacts/export-view.png' })
})
