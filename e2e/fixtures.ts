/**
 * One fixture, two shells. `appPage` is the MotifLens window: in the `browser` project a page
 * of Debian's Chromium (driven by playwright-core, never a downloaded browser) on a fresh
 * `motiflens serve`; in the `electron` project the real Electron app. Specs use `openFiles`
 * to choose files the way each shell does it (the in-app browser, or the native dialog,
 * which Playwright answers in Electron's main process).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, chromium, test as base, expect, type Page, type ElectronApplication } from '@playwright/test'
import { electronBinary } from '../src/main/shell-detect'

export const ROOT = join(import.meta.dirname, '..')
export const CHROMIUM = process.env.MOTIFLENS_CHROMIUM ?? '/usr/bin/chromium'

export interface AppFixtures {
  /** A folder for the test's input files; browser mode shares it as its root. */
  workDir: string
  appPage: Page
  openFiles: (slot: string, names: string[]) => Promise<void>
  /** Where this app instance keeps its runs and caches. */
  motiflensHome: string
}

async function startServe(root: string, home: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [join(ROOT, 'bin', 'motiflens.js'), 'serve', '--port', '0', '--root', root], {
    env: { ...process.env, MOTIFLENS_HOME: home },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr?.on('data', (d) => (err += String(d)))
  const url = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`serve did not print a URL: ${err}`)), 60_000)
    child.stdout?.on('data', (d) => {
      out += String(d)
      const m = /http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/.exec(out)
      if (m) {
        clearTimeout(timer)
        resolve(m[0])
      }
    })
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)))
  })
  return { child, url }
}

export interface ShellOption {
  shell: 'browser' | 'electron'
}

export const test = base.extend<AppFixtures & ShellOption>({
  shell: ['browser', { option: true }],
  workDir: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'motiflens-e2e-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  },
  motiflensHome: async ({}, use) => {
    const dir = mkdtempSync(join(tmpdir(), 'motiflens-home-'))
    await use(dir)
    rmSync(dir, { recursive: true, force: true })
  },
  appPage: async ({ shell, workDir, motiflensHome }, use, testInfo) => {
    if (shell === 'electron') {
      const exe = electronBinary(ROOT)
      if (!exe) {
        console.log(`[electron] ${testInfo.title}: skipped: no Electron binary`)
        testInfo.skip(true, 'skipped: no Electron binary')
        return
      }
      const app: ElectronApplication = await _electron.launch({ executablePath: exe, args: [ROOT], env: { ...process.env, MOTIFLENS_HOME: motiflensHome } as Record<string, string> })
      const page = await app.firstWindow()
      ;(page as Page & { electronApp?: ElectronApplication }).electronApp = app
      await use(page)
      await app.close()
      return
    }
    const { child, url } = await startServe(workDir, motiflensHome)
    const profile = mkdtempSync(join(tmpdir(), 'motiflens-chromium-'))
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
      viewport: { width: 1280, height: 800 },
    })
    const page = context.pages()[0] ?? (await context.newPage())
    await page.goto(url)
    await use(page)
    await context.close()
    child.kill('SIGTERM')
    rmSync(profile, { recursive: true, force: true })
  },
  openFiles: async ({ appPage, workDir }, use) => {
    await use(async (slot, names) => {
      const app = (appPage as Page & { electronApp?: ElectronApplication }).electronApp
      const paths = names.map((n) => join(workDir, n))
      if (app) {
        // answer the native dialog from Electron's main process
        await app.evaluate(({ dialog }, chosen) => {
          dialog.showOpenDialog = (async () => ({ canceled: false, filePaths: chosen })) as typeof dialog.showOpenDialog
        }, paths)
        await appPage.getByRole('button', { name: `Open ${slot}` }).click()
        return
      }
      await appPage.getByRole('button', { name: `Open ${slot}` }).click()
      const dialog = appPage.getByRole('dialog', { name: `Open ${slot}` })
      await expect(dialog).toBeVisible()
      for (const n of names) await dialog.getByRole('button', { name: new RegExp(`^${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`) }).click()
      await dialog.getByRole('button', { name: 'Open', exact: true }).click()
      await expect(dialog).toBeHidden()
    })
  },
})

export { expect }
