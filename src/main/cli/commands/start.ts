import { spawn } from 'node:child_process'
import { desktopUnavailableReason, electronBinary } from '../../shell-detect.js'
import { projectRoot } from '../../version.js'
import type { CliCommand } from '../types.js'
import { serve } from './serve.js'

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'open the desktop app (browser mode where Electron or a display is missing)',
  usage: `Usage: motiflens start [serve options]

Opens the MotifLens desktop app. Where the Electron binary is missing or there is no display,
says so and starts browser mode instead (see 'motiflens serve --help').
`,
  async run(argv, io) {
    const root = projectRoot()
    const reason = desktopUnavailableReason(root, io.env)
    if (reason) {
      io.stderr(`motiflens: desktop app unavailable: ${reason}; starting browser mode instead.\n`)
      return serve(argv, io)
    }
    const exe = electronBinary(root) as string
    const child = spawn(exe, [root], { stdio: 'inherit', env: { ...process.env, ELECTRON_RUN_AS_NODE: undefined } })
    return new Promise((resolve) => child.on('exit', (code) => resolve(code ?? 0)))
  },
}
