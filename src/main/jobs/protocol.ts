import type { TrainConfig } from '../../shared/contract.js'
import type { DataSpec, TrainProgress } from '../../shared/types.js'

/** What the main process hands a training worker. */
export interface TrainJobInput {
  spec: DataSpec
  config: TrainConfig
  runDir: string
  cacheDir: string
  /** Continue the run in runDir from its last checkpoint. */
  resume: boolean
}

/** Messages from the worker. */
export type WorkerMessage =
  | { type: 'progress'; progress: TrainProgress }
  | { type: 'done'; status: 'done' | 'cancelled' | 'failed'; message: string | null }

/** Messages to the worker. */
export type WorkerCommand = { type: 'cancel' }
