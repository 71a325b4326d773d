import { createReadStream } from 'node:fs'
import { stat } from 'node:fs/promises'
import type { ServerResponse } from 'node:http'
import { extname, join, normalize, sep } from 'node:path'

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
  '.ico': 'image/x-icon',
}

/** Serve a file of the built renderer; false when there is none at that URL path. */
export async function serveStatic(dir: string, urlPath: string, res: ServerResponse, headers: Record<string, string>): Promise<boolean> {
  const rel = normalize(decodeURIComponent(urlPath === '/' ? '/index.html' : urlPath)).replace(/^([/\\])+/, '')
  const file = join(dir, rel)
  if (!(file === dir || file.startsWith(dir + sep))) return false
  try {
    const s = await stat(file)
    if (!s.isFile()) return false
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Content-Length': String(s.size) })
    createReadStream(file).pipe(res)
    return true
  } catch {
    return false
  }
}
