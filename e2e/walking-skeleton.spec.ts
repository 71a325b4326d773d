import { writePlantedFasta } from './data'
import { expect, test } from './fixtures'

test('a new user opens positives and negatives, trains, and sees filter logos', async ({ appPage: page, openFiles, workDir }) => {
  writePlantedFasta(workDir, { n: 300, length: 80 })
  const nav = page.getByRole('navigation', { name: 'Views' })
  await nav.getByRole('button', { name: 'Data' }).click()
  await expect(page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible()

  await openFiles('Positives', ['pos.fa'])
  await openFiles('Negatives', ['neg.fa'])
  const counts = page.getByTestId('file-count')
  await expect(counts).toHaveCount(2)
  await expect(counts.nth(0)).toHaveText('300')
  await expect(counts.nth(1)).toHaveText('300')

  await page.getByRole('button', { name: 'Next: choose a model' }).click()
  await page.getByLabel('Epochs').fill('4')
  await page.getByRole('button', { name: 'Next: train' }).click()
  await page.getByRole('button', { name: 'Start training' }).click()

  // live progress: the loss curve gets a batch-loss line while training runs
  await expect(page.locator('svg[aria-label="Loss curve"] path.batch-loss')).toHaveAttribute('d', /M.+L/, { timeout: 120_000 })
  await expect(page.getByRole('status').filter({ hasText: /Done|failed/ })).toContainText('Done', { timeout: 180_000 })

  await page.getByRole('button', { name: 'Next: see the motifs' }).click()
  const logos = page.getByRole('figure', { name: /Filter \d+ logo/ })
  await expect(logos.first()).toBeVisible({ timeout: 60_000 })
  expect(await logos.count()).toBeGreaterThan(0)
  // letters are drawn as vector paths
  expect(await logos.first().locator('svg path').count()).toBeGreaterThan(4)
  await page.screenshot({ path: `e2e-artifacts/${test.info().project.name}-motifs.png` })
})

test('training can be cancelled and the window stays responsive', async ({ appPage: page, openFiles, workDir }) => {
  writePlantedFasta(workDir, { n: 2000, length: 200, seed: 11 })
  const nav = page.getByRole('navigation', { name: 'Views' })
  await nav.getByRole('button', { name: 'Data' }).click()
  await openFiles('Positives', ['pos.fa'])
  await openFiles('Negatives', ['neg.fa'])
  await expect(page.getByTestId('file-count')).toHaveCount(2)
  await nav.getByRole('button', { name: 'Model' }).click()
  // long enough that it is still running when cancelled, however fast this machine trains
  await page.getByLabel('Epochs').fill('5000')
  await page.getByLabel('Early-stopping patience').fill('1000')
  await nav.getByRole('button', { name: 'Train' }).click()
  // count main-thread tasks longer than 100 ms while training runs
  await page.evaluate(() => {
    const w = window as unknown as { longTasks: number[] }
    w.longTasks = []
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration)
    }).observe({ type: 'longtask', buffered: false })
  })
  // the observer must see a long task when there is one, or the check below could not fail
  await page.evaluate(() => new Promise((r) => setTimeout(() => { const t = performance.now(); while (performance.now() - t < 150); r(null) }, 0)))
  await expect.poll(() => page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks.length)).toBeGreaterThan(0)
  await page.evaluate(() => ((window as unknown as { longTasks: number[] }).longTasks = []))
  await page.keyboard.press('Control+Enter')
  await expect(page.locator('svg[aria-label="Loss curve"] path.batch-loss')).toHaveAttribute('d', /M.+L/, { timeout: 120_000 })
  await page.waitForTimeout(3000)
  // the UI answers while the worker trains: switch views and back
  await nav.getByRole('button', { name: 'Data' }).click()
  await expect(page.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible()
  await nav.getByRole('button', { name: 'Train' }).click()
  await page.waitForTimeout(2000)
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks)
  expect(longTasks.filter((d) => d > 100), `main-thread tasks over 100 ms: ${longTasks.join(', ')}`).toEqual([])
  await page.keyboard.press('Control+.')
  await expect(page.getByRole('status').filter({ hasText: /Cancelled|failed/ })).toContainText('Cancelled', { timeout: 60_000 })
})
