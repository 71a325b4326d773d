import type { Page } from '@playwright/test'
import { writePlantedFasta } from './data'
import { expect } from './fixtures'

/** Open the planted FASTA pair, train a few epochs and wait for 'Done'. */
export async function trainPlanted(page: Page, openFiles: (slot: string, names: string[]) => Promise<void>, workDir: string): Promise<void> {
  writePlantedFasta(workDir, { n: 300, length: 80 })
  const nav = page.getByRole('navigation', { name: 'Views' })
  await nav.getByRole('button', { name: 'Data' }).click()
  await openFiles('Positives', ['pos.fa'])
  await openFiles('Negatives', ['neg.fa'])
  await expect(page.getByTestId('file-count')).toHaveCount(2)
  await nav.getByRole('button', { name: 'Model' }).click()
  await page.getByLabel('Epochs').fill('4')
  await nav.getByRole('button', { name: 'Train' }).click()
  await page.getByRole('button', { name: 'Start training' }).click()
  await expect(page.getByRole('status').filter({ hasText: /Done|failed/ })).toContainText('Done', { timeout: 180_000 })
}
