import type { CliCommand } from '../types.js'

export const startCommand: CliCommand = {
  name: 'start',
  summary: 'open the desktop app (browser mode where Electron or a display is missing)',
  usage: 'motiflens start',
  async run() {
    throw new Error('not yet wired')
  },
}
