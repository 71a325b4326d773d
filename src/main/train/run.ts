/**
 * The run folder: everything a training run leaves behind, readable without the data.
 *
 *   RUN_DIR/run.json        dataset facts, config, seed, history, metrics, backend, versions
 *   RUN_DIR/best/           model.json + weights.bin of the epoch with the lowest validation loss
 *   RUN_DIR/last/           the latest checkpoint: model, optimizer state, state.json (where to resume)
 *
 * Every file is replaced atomically (see files.ts), so a run killed at any moment resumes.
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { DataSpec, ModelSpec } from '../../shared/types.js'
import { UserError } from '../errors.js'
import { recoverDir, writeFileAtomic } from './files.js'
import type { LossName } from './losses.js'
import { loadModelDir } from './model-io.js'
import type { OptimizerName } from './optimizer.js'

export const RUN_FORMAT = 'motiflens-run'
export const RUN_VERSION = 1

/** Everything that decides what a run computes; stored in run.json and reused by --resume. */
export interface TrainingConfig {
  model: ModelSpec
  loss: LossName
  outputActivation: 'sigmoid' | 'softmax' | 'linear'
  optimizer: OptimizerName
  learningRate: number
  momentum: number
  nesterov: boolean
  batchSize: number
  epochs: number
  /** Early stopping: stop after this many epochs without a lower validation loss; null = never. */
  patience: number | null
  /** Step decay of the learning rate; null = constant. */
  lrDecay: { every: number; factor: number } | null
  /** Class weights as used (after 'balanced' was resolved), or null. */
  classWeights: { pos: number[]; neg: number[] } | null
  classWeightsMode: 'none' | 'balanced' | 'given'
  /** Random reverse complement of half of each batch (DNA/RNA). */
  reverseComplement: boolean
  seed: number
}

export interface EpochRecord {
  /** 1-based, as printed. */
  epoch: number
  loss: number
  valLoss: number | null
  metrics: Record<string, number | null>
  lr: number
  seconds: number
  best: boolean
}

export type RunStatus = 'running' | 'completed' | 'early-stopped' | 'cancelled' | 'diverged'

export interface RunRecord {
  format: typeof RUN_FORMAT
  version: number
  created: string
  updated: string
  status: RunStatus
  /** Why the run stopped, for anything but 'completed'. */
  message: string | null
  dataset: {
    fingerprint: string
    alphabet: string
    letters: string
    length: number
    targets: string[]
    sizes: { train: number; valid: number; test: number }
    /** How the data was specified, when known (the CLI stores its data flags), so evaluate can reload it. */
    spec: DataSpec | null
  }
  config: TrainingConfig
  parameters: number
  history: EpochRecord[]
  best: { epoch: number; valLoss: number | null; loss: number; metrics: Record<string, number | null> } | null
  backend: { name: string; detail: string | null }
  versions: Record<string, string>
}

export async function writeRunRecord(dir: string, run: RunRecord): Promise<void> {
  await writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(run, null, 2)}\n`)
}

export async function readRunRecord(dir: string): Promise<RunRecord> {
  const path = join(dir, 'run.json')
  let run: RunRecord
  try {
    run = JSON.parse(await readFile(path, 'utf8')) as RunRecord
  } catch (e) {
    const why = existsSync(path) ? `cannot parse it (${(e as Error).message})` : 'no such file'
    throw new UserError(`${path}: ${why}; give the folder a training run wrote (motiflens train --out DIR)`)
  }
  if (run.format !== RUN_FORMAT) throw new UserError(`${path}: not a MotifLens run record (format '${String(run.format)}')`)
  if (run.version > RUN_VERSION) throw new UserError(`${path}: written by a newer MotifLens (run format ${run.version}); upgrade to read it`)
  return run
}

export interface LoadedRun {
  dir: string
  run: RunRecord
  model: tfl.LayersModel
  /** Which checkpoint the model came from. */
  checkpoint: 'best' | 'last'
}

/**
 * Everything needed to predict and interpret: the run record (alphabet, letters, length,
 * target names) and the model of the best checkpoint (or the last one, if asked or if no
 * epoch finished).
 */
export async function loadRun(dir: string, which: 'best' | 'last' = 'best'): Promise<LoadedRun> {
  const run = await readRunRecord(dir)
  for (const d of ['best', 'last']) await recoverDir(join(dir, d))
  let checkpoint: 'best' | 'last' = which
  if (!existsSync(join(dir, checkpoint, 'model.json'))) checkpoint = which === 'best' ? 'last' : 'best'
  if (!existsSync(join(dir, checkpoint, 'model.json'))) throw new UserError(`${dir}: the run has no saved model yet (no best/ or last/ checkpoint); train it first`)
  const model = await loadModelDir(join(dir, checkpoint))
  return { dir, run, model, checkpoint }
}
