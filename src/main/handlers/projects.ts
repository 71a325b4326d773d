/**
 * Projects: a folder under the app's data folder holding project.json (the data files it
 * uses, the model and training settings, the run last looked at, the view last open), its
 * runs and its exports. Reopening a project restores the view the user left.
 */
import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ProjectState } from '../../shared/views.js'
import type { DataSpec } from '../../shared/types.js'
import { UserError } from '../errors.js'

const FILE = 'project.json'

interface ProjectFile extends Omit<ProjectState, 'id' | 'path'> {
  format: 'motiflens-project'
  version: 1
  createdAt: string
  openedAt: string
}

export function slug(name: string): string {
  const s = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
  return s || 'project'
}

/** Every file a data spec names (to grant them again when a project is reopened). */
export function specPaths(spec: DataSpec): string[] {
  return [
    ...(spec.positives ?? []),
    ...(spec.negatives ?? []),
    ...(spec.fasta ?? []),
    ...(spec.labels ? [spec.labels] : []),
    ...(spec.classes ?? []).flatMap((c) => c.files),
    ...(spec.bed ?? []).flatMap((b) => b.files),
    ...(spec.genome ? [spec.genome] : []),
  ]
}

export class ProjectStore {
  constructor(readonly projectsDir: string) {}

  pathOf(id: string): string {
    return join(this.projectsDir, id)
  }

  private async read(id: string): Promise<ProjectFile> {
    const file = join(this.pathOf(id), FILE)
    let text: string
    try {
      text = await readFile(file, 'utf8')
    } catch {
      throw new UserError(`project ${id} not found (no ${file}); it may have been moved or deleted`)
    }
    try {
      const p = JSON.parse(text) as ProjectFile
      if (p.format !== 'motiflens-project') throw new Error('format')
      return p
    } catch {
      throw new UserError(`${file}: not a MotifLens project file; it is left as it is`)
    }
  }

  private async write(id: string, p: ProjectFile): Promise<void> {
    const dir = this.pathOf(id)
    await mkdir(dir, { recursive: true })
    const tmp = join(dir, `.${FILE}.${process.pid}.tmp`)
    await writeFile(tmp, `${JSON.stringify(p, null, 2)}\n`)
    await rename(tmp, join(dir, FILE))
  }

  private state(id: string, p: ProjectFile): ProjectState {
    return { id, name: p.name, path: this.pathOf(id), view: p.view, spec: p.spec, train: p.train, runId: p.runId, savedAt: p.savedAt }
  }

  async create(name: string): Promise<ProjectState> {
    const id = `${slug(name)}-${randomUUID().slice(0, 6)}`
    const now = new Date().toISOString()
    const p: ProjectFile = { format: 'motiflens-project', version: 1, name, view: 'data', spec: {}, train: {}, runId: null, savedAt: now, createdAt: now, openedAt: now }
    await this.write(id, p)
    return this.state(id, p)
  }

  async open(id: string): Promise<ProjectState> {
    const p = await this.read(id)
    p.openedAt = new Date().toISOString()
    await this.write(id, p)
    return this.state(id, p)
  }

  async save(id: string, update: Pick<ProjectState, 'view' | 'spec' | 'train' | 'runId'>): Promise<string> {
    const p = await this.read(id)
    const savedAt = new Date().toISOString()
    await this.write(id, { ...p, ...update, savedAt })
    return savedAt
  }

  /** Projects, most recently opened first. */
  async list(): Promise<{ id: string; name: string; path: string; openedAt: string }[]> {
    if (!existsSync(this.projectsDir)) return []
    const out = []
    for (const id of await readdir(this.projectsDir)) {
      try {
        const p = await this.read(id)
        out.push({ id, name: p.name, path: this.pathOf(id), openedAt: p.openedAt })
      } catch {
        // not a project folder
      }
    }
    return out.sort((a, b) => b.openedAt.localeCompare(a.openedAt))
  }
}
