/**
 * Which files the renderer may make the engine read. The renderer is not trusted with paths:
 * in Electron only files the user picked in a dialog the main process opened, or dropped on
 * the window, are readable; in browser mode only files inside the served root folder (after
 * resolving `..` and symlinks, so no path escapes it).
 */
import { readdir, realpath, stat } from 'node:fs/promises'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { FileEntry } from '../../shared/contract.js'
import { UserError } from '../errors.js'

export interface PathGate {
  /** The resolved path when the renderer may read it; throws UserError otherwise. */
  check(path: string): Promise<string>
  /** Allow these paths from now on (dialog results, dropped files, uploads). */
  grant(paths: string[]): void
}

/** Electron: exactly the files granted by dialogs and drops. */
export function grantedFilesGate(): PathGate {
  const granted = new Set<string>()
  return {
    async check(path) {
      const abs = resolve(path)
      if (!granted.has(abs)) throw new UserError(`${path}: not opened in this session; open it with the Open button or drop it on the window`)
      return abs
    },
    grant(paths) {
      for (const p of paths) granted.add(resolve(p))
    },
  }
}

function inside(parent: string, child: string): boolean {
  if (child === parent) return true
  const rel = relative(parent, child)
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) && !rel.startsWith(`..${sep}`)
}

/** Browser mode: anything under `root` (symlinks resolved), plus individually granted files. */
export function rootGate(root: string): PathGate & { root: string; list(dir?: string): Promise<{ root: string; dir: string; parent: string | null; entries: FileEntry[] }> } {
  const rootAbs = resolve(root)
  let rootReal: string | undefined
  const granted = new Set<string>()
  const realRoot = async () => (rootReal ??= await realpath(rootAbs))

  async function resolveInside(path: string): Promise<string> {
    const base = await realRoot()
    const candidate = isAbsolute(path) ? path : join(base, path)
    let real: string
    try {
      real = await realpath(candidate)
    } catch {
      throw new UserError(`${path}: no such file or folder inside ${rootAbs}`)
    }
    if (!inside(base, real) && !granted.has(real)) {
      throw new UserError(`${path}: outside the folder this server shares (${rootAbs}); restart with 'motiflens serve --root DIR' to share another folder`)
    }
    return real
  }

  return {
    root: rootAbs,
    check: resolveInside,
    grant(paths) {
      for (const p of paths) granted.add(resolve(p))
    },
    async list(dir) {
      const base = await realRoot()
      const real = await resolveInside(dir ?? base)
      if (!(await stat(real)).isDirectory()) throw new UserError(`${dir}: not a folder`)
      const names = await readdir(real, { withFileTypes: true })
      const entries: FileEntry[] = []
      for (const d of names) {
        if (d.name.startsWith('.')) continue
        const full = join(real, d.name)
        let kind: FileEntry['kind'] | undefined
        let size: number
        try {
          // follow symlinks for the kind, but a link that leads outside the root is left out
          const r = await realpath(full)
          if (!inside(base, r)) continue
          const s = await stat(r)
          kind = s.isDirectory() ? 'dir' : s.isFile() ? 'file' : undefined
          size = s.size
        } catch {
          continue
        }
        if (kind) entries.push({ name: d.name, path: full, kind, size })
      }
      entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
      return { root: base, dir: real, parent: real === base ? null : dirname(real), entries }
    },
  }
}
