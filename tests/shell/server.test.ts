import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startServer, type RunningServer } from '../../src/main/server/server'

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET', body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let data = ''
      res.on('data', (d) => (data += String(d)))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: data }))
    })
    req.on('error', reject)
    if (body !== undefined) req.write(body)
    req.end()
  })
}

let server: RunningServer
let root: string

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'motiflens-serve-'))
  const staticDir = join(base, 'renderer')
  root = join(base, 'data')
  mkdirSync(staticDir)
  mkdirSync(root)
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>MotifLens</title>')
  writeFileSync(join(root, 'x.fa'), '>x\nACGT\n')
  server = await startServer({ port: 0, root, staticDir, env: { MOTIFLENS_HOME: join(base, 'home') }, log: () => undefined })
})

afterAll(async () => {
  await server.close()
})

describe('browser mode server', () => {
  it('prints a loopback URL carrying a random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`))
  })

  it('refuses requests without the token, or with a wrong one', async () => {
    for (const path of ['/', '/index.html', '/?token=wrong', '/assets/x.js']) {
      const r = await get(server.port, path)
      expect(r.status, path).toBe(401)
      expect(r.body).toContain('missing or wrong token')
    }
    const upload = await get(server.port, '/upload?name=a.fa', {}, 'POST', '>a\nA\n')
    expect(upload.status).toBe(401)
  })

  it('refuses a Host header that is not this loopback server (DNS rebinding)', async () => {
    const r = await get(server.port, `/?token=${server.token}`, { host: `evil.example:${server.port}` })
    expect(r.status).toBe(403)
  })

  it('trades the token in the URL for an HttpOnly cookie, then serves the app', async () => {
    const first = await get(server.port, `/?token=${server.token}`)
    expect(first.status).toBe(303)
    expect(first.headers.location).toBe('/')
    const cookie = String(first.headers['set-cookie']).split(';')[0]
    expect(String(first.headers['set-cookie'])).toContain('HttpOnly')
    const page = await get(server.port, '/', { cookie })
    expect(page.status).toBe(200)
    expect(page.body).toContain('<title>MotifLens</title>')
    expect(String(page.headers['content-security-policy'])).toContain("script-src 'self'")
    expect((await get(server.port, '/../../etc/passwd', { cookie })).status).toBe(404)
  })

  it('answers the contract over the WebSocket only with the token', async () => {
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws`)
      ws.on('error', (e) => resolve(String(e.message)))
      ws.on('open', () => resolve('opened'))
    })
    expect(refused).toMatch(/401/)

    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    await new Promise((r) => ws.on('open', r))
    const call = (id: number, channel: string, args: unknown) =>
      new Promise<{ id: number; reply: { ok: boolean; value?: unknown; error?: { message: string } } }>((resolve) => {
        const onMessage = (d: WebSocket.RawData) => {
          const m = JSON.parse(String(d))
          if (m.id === id) {
            ws.off('message', onMessage)
            resolve(m)
          }
        }
        ws.on('message', onMessage)
        ws.send(JSON.stringify({ id, channel, args }))
      })
    const listing = await call(1, 'fs:list', {})
    expect(listing.reply.ok).toBe(true)
    expect((listing.reply.value as { entries: { name: string }[] }).entries.map((e) => e.name)).toEqual(['x.fa'])
    const escape = await call(2, 'fs:list', { dir: '/etc' })
    expect(escape.reply.ok).toBe(false)
    expect(escape.reply.error?.message).toContain('outside the folder this server shares')
    const bad = await call(3, 'job:cancel', { jobId: '../../x' })
    expect(bad.reply.error?.message).toBe("invalid request 'job:cancel' at jobId: not a job id")
    const unknown = await call(4, 'shell:exec', {})
    expect(unknown.reply.error?.message).toBe("unknown request 'shell:exec'")
    ws.close()
  })

  it('takes dropped files as uploads outside the shared folder and lets the engine read them', async () => {
    const cookie = `motiflens_token=${server.token}`
    const fasta = '>a\nACGTACGT\n>b\nGGGGCCCC\n'
    const up = await get(server.port, `/upload?name=${encodeURIComponent('../../evil name.fa')}`, { cookie, 'content-type': 'application/octet-stream' }, 'POST', fasta)
    expect(up.status).toBe(200)
    const path = (JSON.parse(up.body) as { path: string }).path
    expect(path).toMatch(/\/uploads\/[0-9a-f-]{36}\/evil_name\.fa$/)
    expect(path.startsWith(root)).toBe(false)
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`)
    await new Promise((r) => ws.on('open', r))
    const reply = await new Promise<{ reply: { ok: boolean; value?: { sequences: number } } }>((resolve) => {
      ws.on('message', (d) => resolve(JSON.parse(String(d))))
      ws.send(JSON.stringify({ id: 1, channel: 'data:inspect', args: { spec: { fasta: [path] } } }))
    })
    ws.close()
    expect(reply.reply.ok).toBe(true)
    expect(reply.reply.value?.sequences).toBe(2)
  })

  it('listens on the loopback address only', () => {
    expect(server.address).toBe('127.0.0.1')
  })
})
