import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { expect, test } from './fixtures'
import { decodePng } from './png'

const PYTHON = '/usr/bin/python3'

/**
 * A whole session as a new user would have it: a project, example data, a model, training,
 * the ROC curve, the motifs and one filter's page, the sequences, and exports of a MEME file
 * and a PNG logo, then the files themselves are checked. A screenshot of every view is kept
 * in e2e-artifacts/.
 */
test('a new user goes from example data to a MEME file and a PNG logo', async ({ appPage: page }) => {
  test.setTimeout(480_000)
  const shot = (view: string) => page.screenshot({ path: `e2e-artifacts/${test.info().project.name}-view-${view}.png` })
  const nav = page.getByRole('navigation', { name: 'Views' })

  // 1 Project
  await nav.getByRole('button', { name: 'Project' }).click()
  await page.getByLabel('New project').fill('CTCF example')
  await page.getByRole('button', { name: 'Create project' }).click()
  await expect(page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible()
  await nav.getByRole('button', { name: 'Project' }).click()
  await expect(page.getByRole('region', { name: 'Open project' })).toContainText('CTCF example')
  await shot('1-project')

  // 2 Data: the planted CTCF example
  await nav.getByRole('button', { name: 'Data' }).click()
  await page.getByRole('button', { name: 'Use example planted', exact: true }).click()
  await expect(page.getByTestId('file-count')).toHaveCount(2, { timeout: 30_000 })
  await expect(page.getByRole('table', { name: 'Labels' })).toContainText('positive')
  await expect(page.getByRole('img', { name: 'Length histogram' }).locator('rect')).not.toHaveCount(0)
  await expect(page.getByRole('region', { name: 'First sequences' }).locator('li')).not.toHaveCount(0)
  await shot('2-data')

  // 3 Model: the default motif CNN, a short run
  await page.getByRole('button', { name: 'Next: choose a model' }).click()
  await expect(page.getByRole('radio', { name: /Motif CNN/i })).toHaveAttribute('aria-checked', 'true')
  await expect(page.getByRole('table', { name: 'Layer summary' })).toContainText('Conv1D')
  await page.getByLabel('Epochs').fill('3')
  await shot('3-model')

  // 4 Train
  await page.getByRole('button', { name: 'Next: train' }).click()
  await page.getByRole('button', { name: 'Start training' }).click()
  await expect(page.getByRole('status').filter({ hasText: /Done|failed/ })).toContainText('Done', { timeout: 240_000 })
  await shot('4-train')

  // 5 Evaluate: the ROC curve of the one target, and an AUC far above chance
  await page.getByRole('button', { name: 'Next: evaluate' }).click()
  const roc = page.getByRole('img', { name: 'ROC curve per target' })
  await expect(roc.locator('path.curve')).toHaveCount(1, { timeout: 60_000 })
  const auc = Number(await page.getByRole('table', { name: 'AUC per target' }).getByRole('row').nth(1).getByRole('cell').nth(2).textContent())
  expect(auc).toBeGreaterThan(0.9)
  await shot('5-evaluate')

  // 6 Motifs: the gallery, then one filter's page
  await nav.getByRole('button', { name: 'Motifs' }).click()
  const cards = page.getByLabel('Filter gallery').getByRole('figure', { name: /^Filter \d+ logo$/ })
  await expect(cards.first()).toBeVisible({ timeout: 120_000 })
  await expect(page.getByLabel('Filter gallery')).toContainText('CTCF')
  await shot('6-motifs')
  await page.getByRole('button', { name: /^Open filter \d+/ }).first().click()
  await expect(page.getByRole('table', { name: 'Top sequences' }).locator('tbody tr')).not.toHaveCount(0)
  await shot('6-motifs-filter')
  await page.getByRole('button', { name: '← All filters' }).click()

  // 7 Sequences
  await nav.getByRole('button', { name: 'Sequences' }).click()
  await expect(page.getByRole('table', { name: 'Sequences' }).getByRole('row', { name: /^Sequence / }).first()).toBeVisible({ timeout: 60_000 })
  await shot('7-sequences')

  // 8 Export: MEME of all filters, and one logo as PNG, 2 in at 300 dpi
  await nav.getByRole('button', { name: 'Export' }).click()
  const meme = page.getByRole('region', { name: 'MEME motifs' })
  await expect(meme.getByRole('button', { name: 'Save MEME' })).toBeEnabled({ timeout: 120_000 })
  await meme.getByRole('button', { name: 'Save MEME' }).click()
  const memeSaved = meme.getByRole('status').filter({ hasText: /^Saved / })
  await expect(memeSaved).toBeVisible({ timeout: 30_000 })
  const logos = page.getByRole('region', { name: 'Logos' })
  // the first filter whose best match is CTCF, as a single logo
  const ctcf = await logos.getByLabel('Logo to export').locator('option', { hasText: 'CTCF' }).first().getAttribute('value')
  await logos.getByLabel('Logo to export').selectOption(ctcf as string)
  await logos.getByLabel('Logo dpi').fill('300')
  await logos.getByLabel('Logo width in inches').fill('2')
  await logos.getByRole('button', { name: 'Save logo' }).click()
  const logoSaved = logos.getByRole('status').filter({ hasText: /^Saved / })
  await expect(logoSaved).toBeVisible({ timeout: 30_000 })
  await shot('8-export')

  const written = page.getByRole('table', { name: 'Written files' }).locator('tbody tr')
  await expect(written).toHaveCount(2)
  const paths = await written.evaluateAll((rows) => rows.map((r) => r.querySelector('td')?.textContent?.trim() ?? ''))
  const memePath = paths.find((p) => p.endsWith('.meme')) as string
  const pngPath = paths.find((p) => p.endsWith('.png')) as string

  // the MEME file parses with Biopython, every motif with its real site count
  const parsed = execFileSync(
    PYTHON,
    ['-c', 'import sys\nfrom Bio import motifs\nms = motifs.parse(open(sys.argv[1]), "minimal")\nprint(len(ms), min(m.num_occurrences for m in ms), len(ms[0]))', memePath],
    { encoding: 'utf8' },
  ).trim()
  const [count, minSites, width] = parsed.split(' ').map(Number)
  expect(count).toBeGreaterThan(0)
  expect(minSites).toBeGreaterThan(0)
  expect(width).toBe(15)

  // the PNG decodes, 2 in x 300 dpi wide, and says 300 dpi
  const png = decodePng(readFileSync(pngPath))
  expect(png.width).toBe(600)
  expect(png.height).toBeGreaterThan(100)
  expect(png.dpi).toBe(300)
})
