import { trainPlanted } from './train-helper'
import { expect, test } from './fixtures'

test('after training, Sequences lists every sequence with predictions and filter marks, searches by id, and opens a sequence page with mutagenesis and saliency', async ({ appPage: page, openFiles, workDir }) => {
  await trainPlanted(page, openFiles, workDir)
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Sequences' }).click()
  await expect(page.getByTestId('sequence-count')).toContainText('600 sequences', { timeout: 60_000 })
  const list = page.getByRole('table', { name: 'Sequences' })
  const first = list.getByRole('row', { name: /^Sequence / }).first()
  await expect(first).toBeVisible()
  await expect(first.getByRole('cell').nth(1)).toHaveText('test')
  // virtualised: 600 sequences, only the rows in view are in the page
  expect(await list.getByRole('row', { name: /^Sequence / }).count()).toBeLessThan(40)
  // three filters are marked by default; the planted set fires them in most sequences
  expect(await list.locator('rect.mark').count()).toBeGreaterThan(10)
  await page.screenshot({ path: `e2e-artifacts/${test.info().project.name}-sequences.png` })
  // scrolling to the end fetches the last page: the training split comes last
  await page.getByRole('rowgroup', { name: 'Sequence rows' }).evaluate((el) => (el.scrollTop = el.scrollHeight))
  const lastRow = list.getByRole('row', { name: /^Sequence / }).last()
  await expect(lastRow.getByRole('cell').nth(1)).toHaveText('train')
  await page.getByRole('rowgroup', { name: 'Sequence rows' }).evaluate((el) => (el.scrollTop = 0))

  await page.getByLabel('Search sequences by id').fill('pos12')
  await expect(page.getByTestId('sequence-count')).toContainText("11 sequences matching 'pos12'")
  const rows = list.getByRole('row', { name: /^Sequence pos12/ })
  await expect(rows).toHaveCount(11)

  await page.getByRole('row', { name: 'Sequence pos12', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Sequence pos12' })).toBeVisible()
  const heat = page.getByRole('img', { name: 'Mutagenesis heatmap' })
  // 80 positions x 4 letters; the reference letters outlined
  await expect(heat.locator('rect.cell')).toHaveCount(320, { timeout: 60_000 })
  expect(await heat.locator('rect.cell[stroke="currentColor"]').count()).toBe(80)
  await expect(page.getByRole('img', { name: 'Saliency heatmap' }).locator('rect.cell')).toHaveCount(320)
  // the marked filters' windows are drawn above the mutagenesis letters
  expect(await page.getByRole('img', { name: 'Filter windows on this sequence' }).locator('rect').count()).toBeGreaterThan(0)
  expect(await page.getByRole('img', { name: 'Mutagenesis importance letters' }).locator('path.glyph').count()).toBeGreaterThan(40)
  await expect(page.getByTestId('attribution-prediction')).toContainText(/Predicted probability for positive: 0\.\d{3}/)
  await page.screenshot({ path: `e2e-artifacts/${test.info().project.name}-sequence-page.png` })
  await page.getByRole('button', { name: '← Back to the list' }).click()
  await expect(list).toBeVisible()
})
