import { mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runsHome } from '../../src/main/app-paths.js'
import { initBackend } from '../../src/main/compute/backend.js'
import { makeDemo } from '../../src/main/data/demo.js'
import { loadDataset } from '../../src/main/data/index.js'
import type { HandlerDeps } from '../../src/main/handlers/index.js'
import { ProjectStore } from '../../src/main/handlers/projects.js'
import { RunStore } from '../../src/main/handlers/runs.js'
import type { ShellServices } from '../../src/main/handlers/shell.js'
import type { JobManager } from '../../src/main/jobs/jobs.js'
import { rootGate } from '../../src/main/security/path-gate.js'
import { train } from '../../src/main/train/index.js'

export interface TrainedRun {
  home: string
  root: string
  runId: string
  runDir: string
  dataDir: string
  exportsDir: string
  deps: HandlerDeps
  /** Make the next save dialog answer 'cancelled'. */
  cancelNextSave(): void
}

/**
 * A real tiny trained run: the 'planted' demo (CTCF sites in 200 bp, `count` per side),
 * a motif CNN trained `epochs` epochs on the cpu backend, in a temporary MOTIFLENS_HOME,
 * with handler deps whose save dialog writes under `<root>/exports/` as browser mode does.
 */
export async function trainedRun(opts: { count?: number; epochs?: number; filters?: number; backend?: 'cpu' | 'wasm' } = {}): Promise<TrainedRun> {
  const root = mkdtempSync(join(tmpdir(), 'motiflens-handlers-'))
  const home = join(root, 'home')
  const dataDir = join(root, 'data')
  const exportsDir = join(root, 'exports')
  mkdirSync(exportsDir, { recursive: true })
  const env = { MOTIFLENS_HOME: home }
  await makeDemo('planted', dataDir, 3, { count: opts.count ?? 150 })
  const spec = { positives: [join(dataDir, 'pos.fa')], negatives: [join(dataDir, 'neg.fa')] }
  const cacheDir = join(home, 'cache')
  await initBackend(opts.backend ?? 'cpu')
  const dataset = await loadDataset(spec, { cacheDir })
  const runId = 'test-run-1'
  const runDir = join(runsHome(env), runId)
  await train({
    dataset,
    model: { preset: 'motif-cnn', params: { filters: [opts.filters ?? 8], widths: [12] } },
    outDir: runDir,
    epochs: opts.epochs ?? 3,
    batchSize: 32,
    learningRate: 0.01,
    seed: 7,
    dataSpec: spec,
  })
  dataset.close()
  const gate = rootGate(root)
  let cancel = false
  let n = 0
  const shell: ShellServices = {
    openFiles: async () => ({ kind: 'browse', root }),
    listDir: (dir) => gate.list(dir),
    acceptDropped: async (paths) => paths,
    paths: gate,
    async saveTarget(defaultName) {
      if (cancel) {
        cancel = false
        return null
      }
      n++
      return join(exportsDir, `${n}-${defaultName}`)
    },
  }
  const projects = new ProjectStore(join(home, 'projects'))
  const runs = new RunStore(runsHome(env), projects.projectsDir, cacheDir)
  const deps: HandlerDeps = { shell, jobs: {} as JobManager, runs, projects, cacheDir }
  return { home, root, runId, runDir, dataDir, exportsDir, deps, cancelNextSave: () => (cancel = true) }
}
