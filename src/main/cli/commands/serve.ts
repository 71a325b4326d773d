import type { CliCommand } from '../types.js'

export const serveCommand: CliCommand = {
  name: 'serve',
  summary: 'run the app in a browser (for a headless server: tunnel the port over SSH)',
  usage: 'motiflens serve [--port N] [--root DIR]',
  async run() {
    throw new Error('not yet wired')
  },
}
