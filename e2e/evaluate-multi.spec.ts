import { expect, test } from './fixtures'
import { trainExample } from './train-helper'

test('a multi-label run: faint curves for every target, highlighted rows in colour, search and sort in the AUC table', async ({ appPage: page }) => {
  await trainExample(page, 'planted-multi', 2)
  const nav = page.getByRole('navigation', { name: 'Views' })
  await nav.getByRole('button', { name: 'Evaluate' }).click()
  await expect(page.getByTestId('evaluation-split')).toContainText('computed on the test split', { timeout: 60_000 })
  const table = page.getByRole('table', { name: 'AUC per target' })
  const names = async () => (await table.getByRole('row').allTextContents()).slice(1).map((t) => t.trim().split(/\s+/)[0])
  expect((await names()).length).toBe(4)
  const roc = page.getByRole('img', { name: 'ROC curve per target' })
  // four targets: all highlighted at first, the micro average dashed, every curve also in the faint background path
  await expect(roc.locator('path.curve')).toHaveCount(4)
  await expect(roc.locator('path.micro-curve')).toHaveCount(1)
  expect(((await roc.locator('path.background-curves').getAttribute('d')) ?? '').match(/M/g)?.length).toBe(4)
  await page.getByRole('button', { name: 'Clear highlighted (4)' }).click()
  await expect(roc.locator('path.curve')).toHaveCount(0)
  // sort by name ascending, search, choose two rows
  await page.getByRole('button', { name: 'Sort by Target' }).click()
  const sorted = await names()
  expect(sorted).toEqual([...sorted].sort())
  await page.getByLabel('Search targets').fill('a')
  await expect(page.getByTestId('target-count')).toContainText('of 4 targets')
  await page.getByLabel('Search targets').fill('')
  await table.getByRole('row').nth(1).click()
  await table.getByRole('row').nth(2).click()
  await expect(roc.locator('path.curve')).toHaveCount(2)
  await expect(page.getByRole('table', { name: /^Confusion matrix: / })).toHaveCount(3) // pooled + 2 chosen
  await page.screenshot({ path: `e2e-artifacts/${test.info().project.name}-evaluate-multi.png` })
})
