/**
 * Browser mode's guard: a random token printed in the URL. The first page load carries it in
 * the query string and receives it back as an HttpOnly cookie; every later HTTP request and
 * the WebSocket must carry one or the other. Requests whose Host header is not the loopback
 * address we listen on are refused too, so a web page elsewhere cannot reach the server
 * through DNS rebinding.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

export const TOKEN_COOKIE = 'motiflens_token'

export function newToken(): string {
  return randomBytes(24).toString('base64url')
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq < 0) continue
    if (part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim())
  }
  return undefined
}

export type AuthResult = { ok: true; viaQuery: boolean } | { ok: false; status: 401 | 403; reason: string }

export function authorize(req: IncomingMessage, token: string, port: number): AuthResult {
  const host = req.headers.host ?? ''
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`]
  if (!allowedHosts.includes(host)) return { ok: false, status: 403, reason: `host '${host}' is not this loopback server` }
  const url = new URL(req.url ?? '/', `http://${host}`)
  const q = url.searchParams.get('token')
  if (q !== null && sameSecret(q, token)) return { ok: true, viaQuery: true }
  const c = cookieValue(req.headers.cookie, TOKEN_COOKIE)
  if (c !== undefined && sameSecret(c, token)) return { ok: true, viaQuery: false }
  return { ok: false, status: 401, reason: 'missing or wrong token: open the URL that motiflens serve printed' }
}
