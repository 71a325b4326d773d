/**
 * Finding and opening runs for the views. A run lives in `<project>/runs/<id>` or, outside a
 * project, in the default runs folder; its id (a timestamp and a random suffix) is unique, so
 * the renderer names runs by id only and never by path. Opening a run loads its best model
 * and reloads its dataset from the recorded data spec (the packed cache makes that fast); the
 * last run opened is kept in memory because every view asks about the same run repeatedly.
 */
import { existsSync } from 'node:fs'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { RunInfo } from '../../shared/views.js'
import { initBackend } from '../compute/backend.js'
import { loadDataset, type PackedDataset } from '../data/index.js'
import { UserError } from '../errors.js'
import { loadRun, readRunRecord, type LoadedRun } from '../train/index.js'

export interface OpenRun extends LoadedRun {
  runId: string
  dataset: PackedDataset
}

export class RunStore {
  private current: { runId: string; open: Promise<OpenRun> } | null = null

  constructor(
    /** The default runs folder (runs made outside a project). */
    private readonly defaultRunsDir: string,
    /** Folders of projects, each with a runs/ folder. */
    private readonly projectsDir: string,
    private readonly cacheDir: string,
  ) {}

  runsDir(projectPath: string | null): string {
    return projectPath ? join(projectPath, 'runs') : this.defaultRunsDir
  }

  /** The folder of a run, searched in the default folder and every project. */
  async locate(runId: string): Promise<string> {
    const direct = join(this.defaultRunsDir, runId)
    if (existsSync(join(direct, 'run.json')) || existsSync(direct)) return direct
    if (existsSync(this.projectsDir)) {
      for (const p of await readdir(this.projectsDir)) {
        const dir = join(this.projectsDir, p, 'runs', runId)
        if (existsSync(dir)) return dir
      }
    }
    throw new UserError(`run ${runId} not found; it may have been deleted`)
  }

  async list(projectPath: string | null): Promise<RunInfo[]> {
    const dir = this.runsDir(projectPath)
    if (!existsSync(dir)) return []
    const out: RunInfo[] = []
    for (const runId of await readdir(dir)) {
      try {
        const r = await readRunRecord(join(dir, runId))
        out.push({
          runId,
          status: r.status,
          createdAt: r.created,
          model: r.config.model,
          targets: r.dataset.targets,
          epochs: r.config.epochs,
          backend: r.backend.detail ?? r.backend.name,
          best: r.best ? { epoch: r.best.epoch, valLoss: r.best.valLoss } : null,
          history: r.history.map((h) => ({ epoch: h.epoch, loss: h.loss, valLoss: h.valLoss, metrics: h.metrics })),
        })
      } catch {
        // a run whose record is not written yet (just started) or unreadable is left out
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  }

  /** The run's best model and its dataset, opened once and kept while the user looks at it. */
  open(runId: string): Promise<OpenRun> {
    if (this.current?.runId === runId) return this.current.open
    const previous = this.current
    const open = (async () => {
      if (previous) {
        const old = await previous.open.catch(() => null)
        old?.model.dispose()
        old?.dataset.close()
      }
      await initBackend('auto')
      const dir = await this.locate(runId)
      const loaded = await loadRun(dir)
      const spec = loaded.run.dataset.spec
      if (!spec) throw new UserError(`run ${runId} does not record its data; open it from the command line with the data options`)
      const dataset = await loadDataset(spec, { cacheDir: this.cacheDir })
      if (dataset.fingerprint !== loaded.run.dataset.fingerprint) {
        dataset.close()
        throw new UserError(`run ${runId}: its input files changed since it was trained; train a new run on the current files`)
      }
      return { ...loaded, runId, dataset }
    })()
    this.current = { runId, open }
    open.catch(() => {
      if (this.current?.open === open) this.current = null
    })
    return open
  }

  /** Forget a run (after it was retrained or deleted). */
  forget(runId: string): void {
    if (this.current?.runId === runId) this.current = null
  }
}
