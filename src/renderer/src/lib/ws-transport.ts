/**
 * Browser mode's transport: the same envelopes as Electron's IPC, over a WebSocket to the
 * server that served this page (authenticated by the cookie it set). Requests made while
 * the socket is (re)connecting wait for it.
 */
import type { PushEnvelope, ReplyEnvelope, RequestEnvelope } from '../../../shared/contract'
import { EngineError, type EngineTransport } from '../../../shared/engine-api'

export function webSocketTransport(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`): EngineTransport {
  let socket: WebSocket | null = null
  let ready: Promise<WebSocket> | null = null
  let nextId = 1
  const pending = new Map<number, (reply: ReplyEnvelope) => void>()
  const listeners = new Set<(e: PushEnvelope) => void>()

  function connect(): Promise<WebSocket> {
    if (ready) return ready
    ready = new Promise((resolve, reject) => {
      const s = new WebSocket(url)
      s.onopen = () => {
        socket = s
        resolve(s)
      }
      s.onerror = () => reject(new EngineError('cannot reach the MotifLens server; is `motiflens serve` still running?', true))
      s.onclose = () => {
        socket = null
        ready = null
        for (const [, done] of pending) done({ ok: false, error: { message: 'the connection to the MotifLens server closed', user: true } })
        pending.clear()
      }
      s.onmessage = (ev) => {
        const msg = JSON.parse(String(ev.data)) as { id?: number; reply?: ReplyEnvelope; push?: PushEnvelope }
        if (msg.push) for (const l of listeners) l(msg.push)
        else if (msg.id !== undefined && msg.reply) {
          pending.get(msg.id)?.(msg.reply)
          pending.delete(msg.id)
        }
      }
    })
    return ready
  }

  return {
    async request(envelope: RequestEnvelope) {
      const s = socket ?? (await connect())
      const id = nextId++
      return new Promise<ReplyEnvelope>((resolve) => {
        pending.set(id, resolve)
        s.send(JSON.stringify({ id, ...envelope }))
      })
    },
    subscribe(listener) {
      listeners.add(listener)
      void connect().catch(() => undefined)
      return () => listeners.delete(listener)
    },
    async droppedFilePath(file) {
      const res = await fetch(`/upload?name=${encodeURIComponent(file.name)}`, { method: 'POST', body: file as unknown as Blob })
      const body = (await res.json()) as { path?: string; error?: string }
      if (!res.ok || !body.path) throw new EngineError(`${file.name}: upload failed${body.error ? `: ${body.error}` : ''}`, true)
      return body.path
    },
  }
}
