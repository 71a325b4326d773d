import type { Page } from '@playwright/test'
import { writePlantedFasta } from './data'
import { expect } from './fixtures'

/** Set the epochs in the Model view, start training in the Train view and wait for 'Done'. */
export async function trainFor(page: Page, epochs: number): Promise<void> {
  const nav = page.getByRole('navigation', { name: 'Views' })
  await nav.getByRole('button', { name: 'Model' }).click()
  await page.getByLabel('Epochs').fill(String(epochs))
  await nav.getByRole('button', { name: 'Train' }).click()
  await page.getByRole('button', { name: 'Start training' }).click()
  await expect(page.getByRole('status').filter({ hasText: /Done|failed/ })).toContainText('Done', { timeout: 180_000 })
}

/** Open the planted FASTA pair, train a few epochs and wait for 'Done'. */
export async function trainPlanted(page: Page, openFiles: (slot: string, names: string[]) => Promise<void>, workDir: string): Promise<void> {
  writePlantedFasta(workDir, { n: 300, length: 80 })
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Data' }).click()
  await openFiles('Positives', ['pos.fa'])
  await openFiles('Negatives', ['neg.fa'])
  await expect(page.getByTestId('file-count')).toHaveCount(2)
  await trainFor(page, 4)
}

/** Use one of the app's example datasets (Data view) and train it for a few epochs. */
export async function trainExample(page: Page, name: string, epochs: number): Promise<void> {
  await page.getByRole('navigation', { name: 'Views' }).getByRole('button', { name: 'Data' }).click()
  await page.getByRole('button', { name: `Use example ${name}`, exact: true }).click()
  await expect(page.getByTestId('file-count').first()).toBeVisible({ timeout: 60_000 })
  await trainFor(page, epochs)
}
