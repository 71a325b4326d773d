/**
 * Browser mode: the same handlers as the Electron shell, behind a WebSocket, with the built
 * renderer served over HTTP on 127.0.0.1 only. For users whose data (and GPU) live on a
 * headless server: they tunnel the port over SSH. It is also how the UI is tested where
 * Electron cannot run.
 */
import { createWriteStream, existsSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { basename, join } from 'node:path'
import { pipeline } from 'node:stream/promises'
import { randomUUID } from 'node:crypto'
import { WebSocketServer, type WebSocket } from 'ws'
import type { PushChannel, PushPayloads } from '../../shared/contract.js'
import { UserError } from '../errors.js'
import { cacheHome } from '../app-paths.js'
import { createEngine } from '../handlers/compose.js'
import type { ShellServices } from '../handlers/shell.js'
import { contentSecurityPolicy } from '../security/csp.js'
import { rootGate } from '../security/path-gate.js'
import { authorize, TOKEN_COOKIE, newToken } from './auth.js'
import { serveStatic } from './static.js'

export interface ServeOptions {
  /** Port to listen on; 0 picks a free one. */
  port: number
  /** The folder whose files the in-app browser may open. */
  root: string
  /** The built renderer (out/renderer). */
  staticDir: string
  /** Environment for the app's folders (MOTIFLENS_HOME, XDG_*). */
  env: Record<string, string | undefined>
  token?: string
  log?: (line: string) => void
}

export interface RunningServer {
  url: string
  port: number
  /** The address actually bound (always the IPv4 loopback). */
  address: string
  token: string
  close(): Promise<void>
}

const LOOPBACK = '127.0.0.1'

export async function startServer(options: ServeOptions): Promise<RunningServer> {
  const token = options.token ?? newToken()
  const log = options.log ?? ((l: string) => console.error(l))
  const gate = rootGate(options.root)
  const uploadsDir = join(cacheHome(options.env), 'uploads')
  const sockets = new Set<WebSocket>()

  const push = <K extends PushChannel>(channel: K, payload: PushPayloads[K]) => {
    const text = JSON.stringify({ push: { channel, payload } })
    for (const s of sockets) if (s.readyState === s.OPEN) s.send(text)
  }
  const shell: ShellServices = {
    async openFiles() {
      return { kind: 'browse', root: gate.root }
    },
    listDir: (dir) => gate.list(dir),
    async acceptDropped() {
      throw new UserError('dropped files are uploaded in browser mode; drop them on the page again')
    },
    paths: gate,
    async saveTarget(defaultName, kind) {
      const dir = join(gate.root, 'motiflens-exports')
      await mkdir(dir, { recursive: true })
      const dot = kind === 'folder' ? -1 : defaultName.lastIndexOf('.')
      const stem = dot > 0 ? defaultName.slice(0, dot) : defaultName
      const ext = dot > 0 ? defaultName.slice(dot) : ''
      for (let i = 1; ; i++) {
        const candidate = join(dir, i === 1 ? defaultName : `${stem}-${i}${ext}`)
        if (!existsSync(candidate)) return candidate
      }
    },
  }
  const { dispatch, jobs } = createEngine(shell, push, options.env, log)

  let port = options.port
  const headers = () => ({
    'Content-Security-Policy': contentSecurityPolicy('browser'),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
  })

  async function handleUpload(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const name = basename(url.searchParams.get('name') ?? '').replace(/[^A-Za-z0-9._-]/g, '_')
    if (!name || name.startsWith('.')) {
      res.writeHead(400, headers()).end(JSON.stringify({ error: 'upload needs ?name=FILE' }))
      return
    }
    const dir = join(uploadsDir, randomUUID())
    await mkdir(dir, { recursive: true })
    const file = join(dir, name)
    await pipeline(req, createWriteStream(file))
    gate.grant([file])
    res.writeHead(200, { ...headers(), 'Content-Type': 'application/json' }).end(JSON.stringify({ path: file }))
  }

  const server = createServer((req, res) => {
    const auth = authorize(req, token, port)
    if (!auth.ok) {
      res.writeHead(auth.status, { ...headers(), 'Content-Type': 'text/plain; charset=utf-8' }).end(`${auth.reason}\n`)
      return
    }
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`)
    if (auth.viaQuery) {
      // hand the token over as a cookie and drop it from the address bar
      url.searchParams.delete('token')
      res.writeHead(303, {
        ...headers(),
        'Set-Cookie': `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
      }).end()
      return
    }
    if (req.method === 'POST' && url.pathname === '/upload') {
      handleUpload(req, res, url).catch((e: unknown) => {
        log(`[motiflens] upload failed: ${String(e)}`)
        if (!res.headersSent) res.writeHead(500, headers()).end(JSON.stringify({ error: 'upload failed' }))
      })
      return
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, headers()).end()
      return
    }
    serveStatic(options.staticDir, url.pathname, res, headers()).then((served) => {
      if (!served) res.writeHead(404, { ...headers(), 'Content-Type': 'text/plain' }).end('not found\n')
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 * 1024 })
  server.on('upgrade', (req, socket, head) => {
    const auth = authorize(req, token, port)
    const path = new URL(req.url ?? '/', 'http://x').pathname
    if (!auth.ok || path !== '/ws') {
      socket.write(`HTTP/1.1 ${auth.ok ? 404 : auth.status} Refused\r\nConnection: close\r\n\r\n`)
      socket.destroy()
      return
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws)
      ws.on('close', () => sockets.delete(ws))
      ws.on('message', (data) => {
        let msg: { id?: unknown; channel?: unknown; args?: unknown }
        try {
          msg = JSON.parse(String(data)) as typeof msg
        } catch {
          return
        }
        dispatch({ channel: msg.channel, args: msg.args }).then((reply) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ id: msg.id, reply }))
        })
      })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, LOOPBACK, () => resolve())
  })
  port = (server.address() as AddressInfo).port

  return {
    url: `http://${LOOPBACK}:${port}/?token=${token}`,
    port,
    address: (server.address() as AddressInfo).address,
    token,
    async close() {
      await jobs.stopAll()
      for (const s of sockets) s.terminate()
      wss.close()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
