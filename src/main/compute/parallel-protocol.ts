/**
 * Messages and shared memory between the data-parallel trainer (parallel.ts, main side)
 * and its workers (parallel-worker.ts). Plain data only: this file imports nothing.
 *
 * Shared memory (all SharedArrayBuffer, float32 unless noted):
 *   weights  [P]            every weight array of the model, flattened in model.getWeights()
 *                           order (trainable ones first, as tfjs-layers orders them)
 *   grads    [W * T]        worker w's scaled gradient of the T trainable parameters at w*T
 *   extras   [W * (P - T)]  worker w's copy of the non-trainable weights after its forward
 *                           pass (batch-norm moving statistics), averaged into `weights`
 *   slots    k x [T]        optimizer state (Adam m and v, ...)
 *   control  int32 [4]      barrier counter and generation
 *   x, y, out per worker    that worker's rows of the batch / its predictions
 */
import type { OptimizerConfig } from './optimizers.js'
import type { LossSpec, ModelJson } from './train-step.js'
import type { BackendPreference } from './backend.js'

export interface WorkerInit {
  index: number
  count: number
  modelJson: ModelJson
  backend: BackendPreference
  loss: LossSpec
  optimizer: OptimizerConfig
  /** Use the compiled wasm fast path (fast-model.ts) when it supports the model. */
  fastPath: boolean
}

export interface WeightLayout {
  /** Element count of each weight array, in model.getWeights() order. */
  sizes: number[]
  shapes: number[][]
  /** Number of leading arrays that are trainable. */
  trainableCount: number
  inputShape: number[]
  outputShape: number[]
}

export interface SharedBuffers {
  weights: SharedArrayBuffer
  grads: SharedArrayBuffer
  extras: SharedArrayBuffer
  slots: SharedArrayBuffer[]
  control: SharedArrayBuffer
}

export interface RowBuffers {
  /** Capacity in rows. */
  rows: number
  x: SharedArrayBuffer
  y: SharedArrayBuffer
  out: SharedArrayBuffer
}

export type ToWorker =
  | { type: 'attach'; shared: SharedBuffers; rows: RowBuffers }
  | { type: 'rows'; rows: RowBuffers }
  /** Train on this worker's `rows` of a batch of `total` rows; `seed` fixes the dropout masks. */
  | { type: 'step'; rows: number; total: number; seed?: number }
  | { type: 'predict'; rows: number }
  /** Weights were written by the main thread: load them into the model. */
  | { type: 'load-weights' }
  | { type: 'set-learning-rate'; learningRate: number }
  /** The optimizer state in shared memory was replaced; continue counting steps from `step`. */
  | { type: 'set-step'; step: number }

export type FromWorker =
  /** `path`: 'fast path', or why the tfjs layers path is used. */
  | { type: 'built'; layout: WeightLayout; backend: string; path: string }
  | { type: 'ready' }
  | { type: 'stepped'; loss: number }
  | { type: 'done' }
  | { type: 'error'; message: string; stack?: string }
