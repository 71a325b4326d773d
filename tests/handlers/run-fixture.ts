/**
 * A real, tiny trained run for the view handlers: planted-CTCF FASTA written by makeDemo,
 * loaded like the app loads data, trained 2 epochs of a small motif CNN on the cpu backend,
 * in a temporary MOTIFLENS_HOME-like folder with a RunStore over it.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { initBackend } from '../../src/main/compute/backend.js'
import { makeDemo } from '../../src/main/data/demo.js'
import { loadDataset } from '../../src/main/data/index.js'
import type { DataSpec } from '../../src/shared/types.js'
import { RunStore } from '../../src/main/handlers/runs.js'
import { train } from '../../src/main/train/index.js'
import { tempDir } from '../train/helpers.js'

export interface TinyRun {
  home: string
  runId: string
  runDir: string
  spec: DataSpec
  runs: RunStore
  cleanup: () => void
}

/** `classes: true` reads the two files as two classes (one label each: a softmax model). */
export async function makeTinyRun(opts: { count?: number; split?: string; runId?: string; classes?: boolean } = {}): Promise<TinyRun> {
  const home = tempDir('motiflens-views-')
  const dataDir = join(home, 'data')
  await makeDemo('planted', dataDir, 3, { count: opts.count ?? 60 })
  const files: DataSpec = opts.classes
    ? { classes: [{ name: 'site', files: [join(dataDir, 'pos.fa')] }, { name: 'background', files: [join(dataDir, 'neg.fa')] }] }
    : { positives: [join(dataDir, 'pos.fa')], negatives: [join(dataDir, 'neg.fa')] }
  const spec: DataSpec = { ...files, seed: 1, ...(opts.split ? { split: opts.split } : {}) }
  const cacheDir = join(home, 'cache')
  await initBackend('cpu')
  const dataset = await loadDataset(spec, { cacheDir })
  const runId = opts.runId ?? '20260101-000000-test'
  const runsDir = join(home, 'runs')
  const runDir = join(runsDir, runId)
  await train({
    dataset,
    model: { preset: 'motif-cnn', params: { filters: [6], widths: [9] } },
    outDir: runDir,
    epochs: 2,
    batchSize: 16,
    learningRate: 0.01,
    seed: 5,
    dataSpec: spec,
  })
  dataset.close()
  const runs = new RunStore(runsDir, join(home, 'projects'), cacheDir)
  return { home, runId, runDir, spec, runs, cleanup: () => rmSync(home, { recursive: true, force: true }) }
}
