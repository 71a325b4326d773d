import type { OpenFilesResult, RequestReturns } from '../../shared/contract.js'
import type { FileKind } from '../../shared/contract.js'
import type { PathGate } from '../security/path-gate.js'

/**
 * What differs between the Electron shell and browser mode, as seen by the handlers.
 * Everything else (the handlers, the engine, the jobs) is the same code in both.
 */
export interface ShellServices {
  /** Open the native file dialog (Electron) or tell the renderer to browse (browser mode). */
  openFiles(request: { kind: FileKind; multiple: boolean; title: string }): Promise<OpenFilesResult>
  /** List a folder for the in-app file browser (browser mode only). */
  listDir(dir: string | undefined): Promise<RequestReturns['fs:list']>
  /** Check dropped files and grant them. */
  acceptDropped(paths: string[]): Promise<string[]>
  paths: PathGate
  saveTarget: SaveServices['saveTarget']
}

export type SaveKind = 'svg' | 'png' | 'meme' | 'tsv' | 'txt' | 'html' | 'folder'

export interface SaveServices {
  /**
   * Where to write an export: Electron asks with the save dialog (null when the user
   * cancels); browser mode writes under `<root>/motiflens-exports/` with a fresh name, since
   * the files must land on the machine running the engine.
   */
  saveTarget(defaultName: string, kind: SaveKind): Promise<string | null>
}
