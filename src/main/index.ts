/**
 * The Electron shell: one window, the typed contract over IPC, the engine in this process
 * with training in worker threads. Thin glue only; everything it calls also runs in browser
 * mode and in plain Node.
 */
import { stat } from 'node:fs/promises'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { app, BrowserWindow, dialog, ipcMain, session } from 'electron'
import type { FileKind, PushChannel, PushPayloads } from '../shared/contract.js'
import { IPC_PUSH, IPC_REQUEST } from '../shared/ipc-names.js'
import { UserError } from './errors.js'
import { createEngine } from './handlers/compose.js'
import type { ShellServices } from './handlers/shell.js'
import { grantedFilesGate } from './security/path-gate.js'
import { hardenContents, hardenSession, isTrustedSenderUrl, mainWindowOptions } from './window.js'

const here = fileURLToPath(new URL('.', import.meta.url))
const preloadPath = join(here, '..', 'preload', 'index.cjs')
const devUrl = process.env.ELECTRON_RENDERER_URL
const appUrl = devUrl ?? pathToFileURL(join(here, '..', 'renderer', 'index.html')).href

const FILTERS: Record<FileKind, Electron.FileFilter[]> = {
  fasta: [{ name: 'FASTA', extensions: ['fa', 'fasta', 'fna', 'txt', 'gz'] }],
  table: [{ name: 'Label table', extensions: ['tsv', 'csv', 'txt'] }],
  bed: [{ name: 'BED / narrowPeak', extensions: ['bed', 'narrowPeak', 'gz'] }],
  genome: [{ name: 'Genome', extensions: ['fa', 'fasta', 'fna', '2bit', 'gz'] }],
  meme: [{ name: 'MEME motifs', extensions: ['meme', 'txt'] }],
  any: [],
}

let win: BrowserWindow | null = null

function push<K extends PushChannel>(channel: K, payload: PushPayloads[K]): void {
  if (win && !win.isDestroyed()) win.webContents.send(IPC_PUSH, { channel, payload })
}

const gate = grantedFilesGate()
const shell: ShellServices = {
  async openFiles({ kind, multiple, title }) {
    const result = await dialog.showOpenDialog(win ?? (undefined as unknown as BrowserWindow), {
      title,
      properties: multiple ? ['openFile', 'multiSelections'] : ['openFile'],
      filters: [...FILTERS[kind], { name: 'All files', extensions: ['*'] }],
    })
    if (result.canceled || result.filePaths.length === 0) return { kind: 'cancelled' }
    gate.grant(result.filePaths)
    return { kind: 'picked', paths: result.filePaths }
  },
  async listDir() {
    throw new UserError('the desktop app opens files with the system dialog')
  },
  async acceptDropped(paths) {
    for (const p of paths) {
      const s = await stat(p).catch(() => undefined)
      if (!s?.isFile()) throw new UserError(`${p}: not a file; drop files, not folders`)
    }
    gate.grant(paths)
    return paths
  },
  paths: gate,
  async saveTarget(defaultName, kind) {
    if (kind === 'folder') {
      const r = await dialog.showOpenDialog(win ?? (undefined as unknown as BrowserWindow), { title: 'Export to folder', properties: ['openDirectory', 'createDirectory'] })
      return r.canceled || r.filePaths.length === 0 ? null : join(r.filePaths[0], defaultName)
    }
    const r = await dialog.showSaveDialog(win ?? (undefined as unknown as BrowserWindow), { title: 'Export', defaultPath: defaultName })
    return r.canceled || !r.filePath ? null : r.filePath
  },
}

const { dispatch, jobs } = createEngine(shell, push, process.env)

ipcMain.handle(IPC_REQUEST, async (event, envelope: unknown) => {
  const frameUrl = event.senderFrame?.url ?? ''
  if (!win || event.sender !== win.webContents || !isTrustedSenderUrl(frameUrl, appUrl)) {
    return { ok: false, error: { message: 'request refused: unknown sender', user: false } }
  }
  return dispatch(envelope)
})

function createWindow(): void {
  win = new BrowserWindow(mainWindowOptions(preloadPath))
  hardenContents(win.webContents)
  win.once('ready-to-show', () => win?.show())
  win.on('closed', () => {
    win = null
  })
  if (devUrl) void win.loadURL(devUrl)
  else void win.loadFile(join(here, '..', 'renderer', 'index.html'))
}

app.on('web-contents-created', (_e, contents) => hardenContents(contents))

app.whenReady().then(() => {
  hardenSession(session.defaultSession, devUrl)
  createWindow()
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow()
  })
})

app.on('window-all-closed', () => {
  void jobs.stopAll().finally(() => {
    if (process.platform !== 'darwin') app.quit()
  })
})
