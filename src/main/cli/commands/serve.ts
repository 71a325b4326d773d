import { existsSync } from 'node:fs'
import { resolve, join } from 'node:path'
import { UserError } from '../../errors.js'
import { projectRoot } from '../../version.js'
import { numberFlag, parseArgs, stringFlag } from '../args.js'
import type { CliCommand, CliIO } from '../types.js'

export const DEFAULT_PORT = 7878

const usage = `Usage: motiflens serve [--port N] [--root DIR]

Run MotifLens in a web browser: the engine runs here, the app is served on 127.0.0.1 only,
guarded by a random token in the URL it prints.

  --port N    port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --root DIR  the folder whose files the app may open (default: the current folder)

On a remote server or cluster node, tunnel the port over SSH from your computer:
  ssh -L ${DEFAULT_PORT}:127.0.0.1:${DEFAULT_PORT} user@server
then open the printed URL in your local browser.
`

/** Start browser mode and keep it running until the process is stopped. */
export async function serve(argv: string[], io: CliIO): Promise<number> {
  const args = parseArgs(argv, { port: { type: 'string' }, root: { type: 'string' } }, 'serve')
  const port = numberFlag(args, 'port', 'serve', { integer: true, min: 0, max: 65535 }) ?? DEFAULT_PORT
  const root = resolve(io.cwd, stringFlag(args, 'root') ?? '.')
  if (!existsSync(root)) throw new UserError(`serve: --root ${root} does not exist`)
  const staticDir = join(projectRoot(), 'out', 'renderer')
  if (!existsSync(join(staticDir, 'index.html'))) throw new UserError(`serve: the app is not built (${staticDir} is missing); run 'npm run build'`)
  const common = { root, staticDir, env: io.env, log: (l: string) => io.stderr(`${l}\n`) }
  // loaded here, not at the top, so `motiflens --help` does not load the engine
  const { startServer } = await import('../../server/server.js')
  let server
  try {
    server = await startServer({ ...common, port })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE' || argv.some((a) => a.startsWith('--port'))) {
      if ((e as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new UserError(`serve: port ${port} is in use; choose another with --port`)
      throw e
    }
    io.stderr(`serve: port ${port} is in use; using a free one instead\n`)
    server = await startServer({ ...common, port: 0 })
  }
  io.stdout(`MotifLens is running at ${server.url}\n`)
  io.stderr(`Sharing files under ${root}. Over SSH: ssh -L ${server.port}:127.0.0.1:${server.port} HOST, then open the URL. Ctrl-C stops.\n`)
  await new Promise<void>((done) => {
    const stop = () => {
      server.close().finally(done)
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  return 0
}

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the app in a web browser (for a headless server: tunnel the port over SSH)',
  usage,
  run: serve,
}
