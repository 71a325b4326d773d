/**
 * `motiflens` entry point: dispatches to one command module per verb. Every error that
 * reaches here is printed as one line on stderr with a non-zero exit code; a stack trace
 * only with --debug.
 */
import { describeError, isUserError } from '../errors.js'
import { appVersion } from '../version.js'
import { commands } from './commands/index.js'
import type { CliIO } from './types.js'

export function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return [
    `MotifLens ${appVersion()}: train neural networks on DNA sequences and find the motifs they learned.`,
    '',
    'Usage: motiflens <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Options:',
    '  --help, -h     show help (also: motiflens <command> --help)',
    '  --version, -v  print the version',
    '  --debug        print stack traces for internal errors',
    '',
  ].join('\n')
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const debug = argv.includes('--debug')
  const args = argv.filter((a) => a !== '--debug')
  const first = args[0]
  try {
    if (first === undefined || first === '--help' || first === '-h' || first === 'help') {
      io.stdout(helpText())
      return first === undefined ? 2 : 0
    }
    if (first === '--version' || first === '-v') {
      io.stdout(`${appVersion()}\n`)
      return 0
    }
    const command = commands.find((c) => c.name === first)
    if (!command) {
      io.stderr(`motiflens: unknown command '${first}'; run 'motiflens --help' for the list\n`)
      return 2
    }
    const rest = args.slice(1)
    if (rest.includes('--help') || rest.includes('-h')) {
      io.stdout(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`)
      return 0
    }
    return await command.run(rest, io)
  } catch (e) {
    io.stderr(`motiflens: ${describeError(e)}\n`)
    if (debug && e instanceof Error && e.stack) io.stderr(`${e.stack}\n`)
    return isUserError(e) ? e.exitCode : 1
  }
}

/** Entry used by bin/motiflens.js. */
export async function main(): Promise<void> {
  const io: CliIO = {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
    env: process.env,
  }
  const code = await runCli(process.argv.slice(2), io)
  // Long-running commands (serve) never resolve; others set the exit code and let stdout drain.
  process.exitCode = code
}
