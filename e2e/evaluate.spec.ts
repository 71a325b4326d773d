import { trainPlanted } from './train-helper'
import { expect, test } from './fixtures'

test('after training, Evaluate shows ROC and PR curves, averages, the confusion at a threshold and the AUC table', async ({ appPage: page, openFiles, workDir }) => {
  await trainPlanted(page, openFiles, workDir)
  await page.getByRole('button', { name: 'Next: evaluate' }).click()
  await expect(page.getByRole('heading', { name: 'Evaluate', level: 1 })).toBeVisible()
  await expect(page.getByTestId('evaluation-split')).toContainText('computed on the test split, 60 sequences', { timeout: 60_000 })

  // one target: it is highlighted on both charts from (0,0) to (1,1) of the ROC square
  const roc = page.getByRole('img', { name: 'ROC curve per target' })
  const curve = roc.locator('path.curve')
  await expect(curve).toHaveCount(1)
  const d = (await curve.getAttribute('d')) ?? ''
  const points = [...d.matchAll(/[ML]([\d.]+),([\d.]+)/g)].map((m) => [Number(m[1]), Number(m[2])])
  expect(points.length).toBeGreaterThan(2)
  expect(points[0]).toEqual([48, 360]) // (0,0): left margin, bottom of the plot
  expect(points.at(-1)).toEqual([406, 12]) // (1,1)
  await expect(page.getByRole('img', { name: 'Precision-recall curve per target' }).locator('path.curve')).toHaveCount(1)
  await expect(page.getByRole('button', { name: 'Export chart: roc-curves' })).toBeVisible()

  // the planted motif is learnable: the AUC in the table is well above chance
  const table = page.getByRole('table', { name: 'AUC per target' })
  const row = table.getByRole('row').nth(1)
  await expect(row.getByRole('cell').nth(1)).toHaveText('positive')
  const auc = Number(await row.getByRole('cell').nth(2).textContent())
  expect(auc).toBeGreaterThan(0.7)
  await expect(page.getByTestId('macro-roc')).toHaveText(auc.toFixed(3))

  // moving the threshold to 1 predicts nothing positive: TP and FP are 0
  const matrix = page.getByRole('table', { name: 'Confusion matrix: positive' })
  await page.getByLabel('Threshold', { exact: true }).fill('1')
  await expect(page.getByRole('heading', { name: 'Confusion at threshold 1.00' })).toBeVisible()
  await expect(matrix.getByRole('row').nth(1).getByRole('cell').first()).toHaveText('0', { timeout: 15_000 })
  await expect(matrix.getByRole('row').nth(2).getByRole('cell').first()).toHaveText('0')
  await page.screenshot({ path: `e2e-artifacts/${test.info().project.name}-evaluate.png`, fullPage: true })
  // clicking the row takes the target off the charts
  await row.click()
  await expect(curve).toHaveCount(0)
})
