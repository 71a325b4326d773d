import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, ROOT } from './fixtures'

test('npm start without a display falls back to browser mode, prints a token URL and refuses requests without it', async () => {
  const home = mkdtempSync(join(tmpdir(), 'motiflens-start-'))
  const env: NodeJS.ProcessEnv = { ...process.env, MOTIFLENS_HOME: home }
  delete env.DISPLAY
  delete env.WAYLAND_DISPLAY
  const child = spawn('npm', ['start', '--silent', '--', '--port', '0'], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d) => (stdout += String(d)))
  child.stderr.on('data', (d) => (stderr += String(d)))
  try {
    await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(stdout)?.[0], { timeout: 90_000 }).toBeTruthy()
    const url = /http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/.exec(stdout)?.[0] as string
    expect(stderr).toMatch(/^motiflens: desktop app unavailable: (the Electron binary is not installed|there is no display).*; starting browser mode instead\.$/m)
    const bare = new URL(url)
    bare.search = ''
    expect((await fetch(bare)).status).toBe(401)
    expect((await fetch(`${bare.origin}/assets/`)).status).toBe(401)
    const withToken = await fetch(url, { redirect: 'manual' })
    expect(withToken.status).toBe(303)
    const cookie = (withToken.headers.get('set-cookie') ?? '').split(';')[0]
    expect(cookie).toMatch(/^motiflens_token=/)
    const page = await fetch(`${bare.origin}/`, { headers: { cookie } })
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('<title>MotifLens</title>')
  } finally {
    // npm, the CLI and the server form one process group: stop them all
    if (child.pid) process.kill(-child.pid, 'SIGTERM')
  }
})
