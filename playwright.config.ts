import { defineConfig } from '@playwright/test'
import type { ShellOption } from './e2e/fixtures'

/**
 * The same specs run in both shells, chosen by the `shell` fixture option: the renderer in
 * Debian's Chromium against browser mode, and the Electron app where its binary exists
 * (otherwise every test of that project is skipped with "skipped: no Electron binary").
 */
export default defineConfig<ShellOption>({
  testDir: 'e2e',
  outputDir: 'test-results',
  timeout: 240_000,
  expect: { timeout: 15_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list']],
  projects: [
    { name: 'browser', use: { shell: 'browser' } },
    { name: 'electron', use: { shell: 'electron' } },
  ],
})
