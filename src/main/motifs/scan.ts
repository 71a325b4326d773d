/**
 * Scanning sequences with the first layer: the two reductions motif extraction needs,
 * computed without keeping the full activation tensor `[batch, positions, filters]`:
 * - `max`: per sequence and filter, the highest activation and its position;
 * - `threshold`: per filter, the one-hot windows summed over every position whose
 *   activation passes the filter's threshold (`[width][letter][filter]`), and their count
 *   (summed sparsely in JavaScript: sites are a small share of positions).
 *
 * The first layer is read off the model as a spec (kernel, bias, an optional batch norm
 * folded into a per-filter affine map, the activation), so the scan can run on worker
 * threads, each with its own wasm backend (tfjs runs wasm single-threaded under Node):
 * with two cores this halves the time. Models whose first layer does not fit the spec are
 * scanned through a tfjs-layers sub-model on the calling thread instead.
 */
import os from 'node:os'
import type { Worker } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { firstConvActivationModel, firstConvLayer } from '../models/index.js'
import { startWorker, workerAvailable } from '../worker-script.js'
import type { CompareOptions, MotifMatch } from './compare.js'
import type { Motif, ProbabilityMatrix } from './matrix.js'

const ACTIVATIONS = ['linear', 'relu', 'relu6', 'sigmoid', 'tanh', 'elu', 'selu', 'softplus', 'exponential'] as const
export type ScanActivation = (typeof ACTIVATIONS)[number]

/** The first layer as plain arrays: conv (stride 1, no dilation), affine per filter, activation. */
export interface FirstLayerSpec {
  width: number
  letters: number
  filters: number
  /** `[width, letters, filters]` row-major, as tfjs stores a Conv1D kernel. */
  kernel: Float32Array
  bias: Float32Array
  /** Folded batch norm: y = conv * scale + shift (absent without batch norm). */
  scale?: Float32Array
  shift?: Float32Array
  activation: ScanActivation
  padding: 'valid' | 'same'
}

/** Input positions [t - padLeft, t - padLeft + width) feed activation position t. */
export function padLeftOf(spec: Pick<FirstLayerSpec, 'padding' | 'width'>): number {
  return spec.padding === 'same' ? Math.floor((spec.width - 1) / 2) : 0
}

const activationName = (layer: tfl.layers.Layer): string => {
  const a = (layer.getConfig() as { activation?: unknown }).activation
  return typeof a === 'string' ? a : 'unknown'
}

/**
 * Read the first layer of `model` as a spec: conv1 -> [batch norm] -> [activation layer],
 * as the presets build it. Null when the layers between the conv and its activation are
 * anything else, or the activation is not one the scan knows.
 */
export function firstLayerSpec(model: tfl.LayersModel): FirstLayerSpec | null {
  const first = firstConvLayer(model)
  const conv = first.layer
  const config = conv.getConfig() as { padding?: string; useBias?: boolean }
  const padding = config.padding === 'same' ? 'same' : config.padding === 'valid' ? 'valid' : null
  if (padding === null) return null
  const [kw, bw] = conv.getWeights()
  const kernel = kw.dataSync().slice() as Float32Array
  const bias = config.useBias === false || !bw ? new Float32Array(first.filters) : (bw.dataSync().slice() as Float32Array)
  const spec: FirstLayerSpec = { width: first.width, letters: first.letters, filters: first.filters, kernel, bias, activation: 'linear', padding }
  const from = model.layers.indexOf(conv)
  const to = model.layers.indexOf(first.activationLayer)
  let activation = activationName(conv)
  for (let i = from + 1; i <= to; i++) {
    const layer = model.layers[i]
    const kind = layer.getClassName()
    if (kind === 'BatchNormalization') {
      if (activation !== 'linear' || spec.scale) return null
      const c = layer.getConfig() as { epsilon?: number; scale?: boolean; center?: boolean }
      const ws = layer.getWeights().map((w) => w.dataSync() as Float32Array)
      // weights in order: [gamma if scale] [beta if center] moving mean, moving variance
      const gamma = c.scale === false ? null : ws[0]
      const beta = c.center === false ? null : ws[c.scale === false ? 0 : 1]
      const [mean, variance] = ws.slice(-2)
      const eps = c.epsilon ?? 1e-3
      spec.scale = new Float32Array(first.filters)
      spec.shift = new Float32Array(first.filters)
      for (let f = 0; f < first.filters; f++) {
        const s = (gamma ? gamma[f] : 1) / Math.sqrt(variance[f] + eps)
        spec.scale[f] = s
        spec.shift[f] = (beta ? beta[f] : 0) - mean[f] * s
      }
    } else if (kind === 'Activation') {
      if (activation !== 'linear') return null
      activation = activationName(layer)
    } else return null
  }
  if (!(ACTIVATIONS as readonly string[]).includes(activation)) return null
  spec.activation = activation as ScanActivation
  return spec
}

export interface MaxResult {
  /** `[n][filters]` highest activation. */
  max: Float32Array
  /** `[n][filters]` its activation position (0-based, before subtracting padLeft). */
  argmax: Int32Array
  /** Activation positions per sequence. */
  positions: number
}

export interface ThresholdResult {
  /** `[width][letters][filters]`: one-hot windows summed over positions above threshold. */
  counts: Float32Array
  /** `[filters]`: windows above threshold. */
  sites: Float32Array
}

/** Whatever scans batches: the in-process tensors, a sub-model, or a pool of workers. */
export interface Scanner {
  readonly description: string
  max(x: Float32Array, n: number): Promise<MaxResult>
  threshold(x: Float32Array, n: number, thresholds: Float32Array): Promise<ThresholdResult>
  dispose(): Promise<void>
}

/** Tensors of a spec on the active backend, and the two reductions (synchronous). */
export class SpecKernels {
  private readonly kernel: tf.Tensor3D
  private readonly bias: tf.Tensor1D
  private readonly scale?: tf.Tensor1D
  private readonly shift?: tf.Tensor1D

  constructor(
    readonly spec: FirstLayerSpec,
    readonly length: number,
  ) {
    this.kernel = tf.tensor3d(spec.kernel, [spec.width, spec.letters, spec.filters])
    this.bias = tf.tensor1d(spec.bias)
    if (spec.scale && spec.shift) {
      this.scale = tf.tensor1d(spec.scale)
      this.shift = tf.tensor1d(spec.shift)
    }
  }

  /** Activations `[n, positions, filters]` of a one-hot batch tensor. */
  activations(x: tf.Tensor3D): tf.Tensor3D {
    return tf.tidy(() => {
      let y: tf.Tensor3D = tf.add(tf.conv1d(x, this.kernel, 1, this.spec.padding), this.bias)
      if (this.scale && this.shift) y = tf.add(tf.mul(y, this.scale), this.shift)
      switch (this.spec.activation) {
        case 'linear':
          return y
        case 'relu':
          return tf.relu(y)
        case 'relu6':
          return tf.relu6(y)
        case 'sigmoid':
          return tf.sigmoid(y)
        case 'tanh':
          return tf.tanh(y)
        case 'elu':
          return tf.elu(y)
        case 'selu':
          return tf.selu(y)
        case 'softplus':
          return tf.softplus(y)
        case 'exponential':
          return tf.exp(y)
      }
    })
  }

  max(x: Float32Array, n: number): MaxResult {
    return maxOf((t) => this.activations(t), x, n, this.length, this.spec.letters)
  }

  threshold(x: Float32Array, n: number, thresholds: Float32Array): ThresholdResult {
    return thresholdOf((t) => this.activations(t), x, n, this.length, this.spec.width, this.spec.letters, padLeftOf(this.spec), thresholds)
  }

  dispose(): void {
    tf.dispose([this.kernel, this.bias, ...(this.scale ? [this.scale] : []), ...(this.shift ? [this.shift] : [])])
  }
}

function maxOf(act: (x: tf.Tensor3D) => tf.Tensor3D, x: Float32Array, n: number, L: number, A: number): MaxResult {
  let positions = 0
  const [mx, am] = tf.tidy(() => {
    const a = act(tf.tensor3d(x.subarray(0, n * L * A), [n, L, A]))
    positions = a.shape[1]
    // reduce over the last axis: tfjs would transpose once per reduction otherwise
    const t = tf.transpose(a, [0, 2, 1])
    return [tf.max(t, 2), tf.argMax(t, 2)]
  })
  const out = { max: mx.dataSync() as Float32Array, argmax: am.dataSync() as Int32Array, positions }
  tf.dispose([mx, am])
  return out
}

function thresholdOf(
  act: (x: tf.Tensor3D) => tf.Tensor3D,
  x: Float32Array,
  n: number,
  L: number,
  W: number,
  A: number,
  padLeft: number,
  thresholds: Float32Array,
): ThresholdResult {
  const a = tf.tidy(() => act(tf.tensor3d(x.subarray(0, n * L * A), [n, L, A])))
  const [, P, F] = a.shape
  const values = a.dataSync() as Float32Array
  a.dispose()
  // Sparse sum: sites are a small share of positions, so visit every activation once and
  // add the one-hot window (N as its 1/|A| row, positions outside the sequence as nothing)
  // of each one above its filter's threshold. counts is [width][letter][filter].
  const counts = new Float32Array(W * A * F)
  const sites = new Float32Array(F)
  for (let s = 0; s < n; s++) {
    for (let t = 0; t < P; t++) {
      const row = (s * P + t) * F
      for (let f = 0; f < F; f++) {
        if (!(values[row + f] > thresholds[f])) continue
        sites[f]++
        for (let j = 0; j < W; j++) {
          const p = t - padLeft + j
          if (p < 0 || p >= L) continue
          const xo = (s * L + p) * A
          for (let k = 0; k < A; k++) {
            const v = x[xo + k]
            if (v !== 0) counts[(j * A + k) * F + f] += v
          }
        }
      }
    }
  }
  return { counts, sites }
}

/** Scans on the calling thread with the spec's tensors. */
export function inProcessScanner(spec: FirstLayerSpec, length: number): Scanner {
  const k = new SpecKernels(spec, length)
  return {
    description: `${tf.getBackend()} on the main thread`,
    max: async (x, n) => k.max(x, n),
    threshold: async (x, n, thr) => k.threshold(x, n, thr),
    dispose: async () => k.dispose(),
  }
}

/** Scans through a tfjs-layers sub-model (any first layer the spec cannot describe). */
export function subModelScanner(model: tfl.LayersModel, length: number, letters: number, padLeft: number): Scanner {
  const sub = firstConvActivationModel(model)
  const width = firstConvLayer(model).width
  const act = (x: tf.Tensor3D): tf.Tensor3D => sub.predict(x, { batchSize: x.shape[0] }) as tf.Tensor3D
  return {
    description: `${tf.getBackend()} sub-model on the main thread`,
    max: async (x, n) => maxOf(act, x, n, length, letters),
    threshold: async (x, n, thr) => thresholdOf(act, x, n, length, width, letters, padLeft, thr),
    dispose: async () => {},
  }
}

// ---- worker pool ------------------------------------------------------------------------

/** What a worker holds: a first layer to scan with, and/or a motif database to match against. */
export interface ScanWorkerInit {
  spec?: FirstLayerSpec
  length?: number
  database?: Motif[]
}
export type ScanRequest =
  | { type: 'max'; x: Float32Array; n: number }
  | { type: 'threshold'; x: Float32Array; n: number; thresholds: Float32Array }
  | { type: 'compare'; queries: ProbabilityMatrix[]; options: CompareOptions }
export type ScanReply =
  | { type: 'ready'; backend: string }
  | { type: 'max'; result: MaxResult }
  | { type: 'threshold'; result: ThresholdResult }
  | { type: 'compare'; result: MotifMatch[][] }
  | { type: 'error'; message: string }


export function defaultScanWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
  return Math.max(1, Math.min(4, cores))
}

class ScanWorker {
  private queue: { resolve: (r: ScanReply) => void; reject: (e: Error) => void }[] = []
  private failure: Error | undefined
  readonly ready: Promise<string>

  constructor(readonly worker: Worker) {
    this.ready = new Promise((resolve, reject) => this.queue.push({ resolve: (r) => (r.type === 'ready' ? resolve(r.backend) : reject(new Error(`unexpected ${r.type}`))), reject }))
    worker.on('message', (r: ScanReply) => {
      const p = this.queue.shift()
      if (r.type === 'error') this.fail(new Error(`motif scan worker failed: ${r.message}`), p)
      else p?.resolve(r)
    })
    worker.on('error', (e) => this.fail(e, this.queue.shift()))
    worker.on('exit', (code) => this.fail(new Error(`motif scan worker exited (code ${code})`), this.queue.shift()))
  }

  private fail(e: Error, p?: { reject: (e: Error) => void }): void {
    this.failure ??= e
    p?.reject(e)
    for (const q of this.queue.splice(0)) q.reject(e)
  }

  request(m: ScanRequest): Promise<ScanReply> {
    if (this.failure) return Promise.reject(this.failure)
    return new Promise((resolve, reject) => {
      this.queue.push({ resolve, reject })
      this.worker.postMessage(m, 'x' in m ? [m.x.buffer as ArrayBuffer] : [])
    })
  }
}

/** Started workers and a least-busy dispatcher; null when the script is missing or they fail to start. */
export interface WorkerPool {
  backend: string
  count: number
  run(m: ScanRequest): Promise<ScanReply>
  dispose(): Promise<void>
}

export async function startWorkerPool(init: ScanWorkerInit, count: number): Promise<WorkerPool | null> {
  if (!workerAvailable('motif-scan-worker') || count < 1) return null
  const pool = Array.from({ length: count }, () => new ScanWorker(startWorker('motif-scan-worker', { workerData: init })))
  const busy = new Array<number>(count).fill(0)
  let backend: string
  try {
    backend = (await Promise.all(pool.map((w) => w.ready)))[0]
  } catch {
    await Promise.all(pool.map((w) => w.worker.terminate()))
    return null
  }
  return {
    backend,
    count,
    async run(m) {
      const i = busy.indexOf(Math.min(...busy))
      busy[i]++
      try {
        return await pool[i].request(m)
      } finally {
        busy[i]--
      }
    },
    async dispose() {
      await Promise.all(pool.map((w) => w.worker.terminate()))
    },
  }
}

/**
 * A pool of scan workers; each request goes to the least busy one, and batches are
 * transferred (not copied). Resolves to null when the worker script is not available
 * (a build without it) or the workers cannot start: callers then scan in process.
 */
export async function workerScanner(spec: FirstLayerSpec, length: number, count: number): Promise<Scanner | null> {
  const pool = await startWorkerPool({ spec, length }, count)
  if (!pool) return null
  return {
    description: `${pool.backend} x ${count} workers`,
    async max(x, n) {
      const r = await pool.run({ type: 'max', x, n })
      return (r as Extract<ScanReply, { type: 'max' }>).result
    },
    async threshold(x, n, thresholds) {
      const r = await pool.run({ type: 'threshold', x, n, thresholds: thresholds.slice() })
      return (r as Extract<ScanReply, { type: 'threshold' }>).result
    },
    dispose: () => pool.dispose(),
  }
}

/**
 * The fastest scanner for this model and backend: workers on wasm/cpu when the first layer
 * fits the spec and `workers` > 1 (default: one per core, at most 4, for big jobs); on native TensorFlow
 * (already multi-threaded) or with workers = 0/1 the spec in process; else the sub-model.
 */
export async function createScanner(
  model: tfl.LayersModel,
  length: number,
  letters: number,
  padLeft: number,
  opts: { workers?: number; sequences?: number } = {},
): Promise<Scanner> {
  const spec = firstLayerSpec(model)
  if (!spec) return subModelScanner(model, length, letters, padLeft)
  // Starting a worker costs about a second: small jobs (under ~1e10 multiply-adds, a few
  // seconds of one core) stay on this thread unless workers are asked for.
  const work = (opts.sequences ?? Infinity) * length * spec.width * letters * spec.filters
  const count = opts.workers ?? (work < 1e10 ? 1 : defaultScanWorkers())
  if (count > 1 && tf.getBackend() !== 'tensorflow') {
    const pool = await workerScanner(spec, length, count)
    if (pool) return pool
  }
  return inProcessScanner(spec, length)
}
