/**
 * Trainers: one training step at a time on a model given as JSON + weights, as fast as this
 * machine allows, with the same math on every backend.
 *
 * - `createParallelTrainer`: data parallel over worker threads, each with its own wasm
 *   backend (tfjs runs wasm single-threaded under Node, so this is how training uses more
 *   than one core without native TensorFlow). Every batch is split by rows; each worker
 *   computes the gradient of its rows (scaled by rows/batch so they sum to the full-batch
 *   gradient), the workers update disjoint slices of one shared weight vector with the
 *   optimizer, and all reload it. Weights and optimizer state live once, in
 *   SharedArrayBuffers; batches travel through per-worker shared buffers, not copies in
 *   messages.
 * - `createInProcessTrainer`: the same interface on the calling thread's active backend
 *   (right for tfjs-node, which is natively multi-threaded).
 * - `createTrainer`: picks one of the two for the backend it starts.
 *
 * Shapes: `x` is `[n, ...inputShape]` and `y` `[n, ...outputShape]`, row-major, e.g.
 * one-hot DNA `[n, length, 4]` and targets `[n, targets]`.
 */
import { existsSync } from 'node:fs'
import os from 'node:os'
import { join } from 'node:path'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { projectRoot } from '../version.js'
import { initBackend, type BackendPreference } from './backend.js'
import { makeTfOptimizer, optimizerSlots, optimizerStateFromTf, optimizerStateToTf, type OptimizerConfig, type OptimizerState } from './optimizers.js'
import type { FromWorker, RowBuffers, SharedBuffers, ToWorker, WeightLayout, WorkerInit } from './parallel-protocol.js'
import { ioSizes, lossAndGradients, lossFunction, modelFromJson, setModelWeights, type LossSpec, type ModelJson } from './train-step.js'

export interface TrainerOptions {
  /** `model.toJSON(null, false)` (or its string). */
  modelJson: ModelJson
  /** Initial weights in `model.getWeights()` order (trainable first, as tfjs-layers orders them). */
  weights: Float32Array[]
  optimizer: OptimizerConfig
  loss: LossSpec
  /** Worker threads for wasm/cpu; default min(2, cores). Ignored by in-process trainers. */
  workers?: number
  /** Backend preference; default 'auto'. */
  backend?: BackendPreference
  /** Rows per batch to size shared buffers for (they grow on demand); default 256. */
  maxBatch?: number
  /** Let wasm workers run supported models on the compiled fast path (fast-model.ts); default true. */
  fastPath?: boolean
}

export interface Trainer {
  /** e.g. 'wasm (SIMD, 1 thread) x 2 workers', 'tfjs-node'. */
  readonly backend: string
  readonly workers: number
  readonly inputShape: number[]
  readonly outputShape: number[]
  /**
   * One optimizer step on the first n rows of x and y; resolves to the batch's mean loss.
   * `seed` fixes this step's dropout masks (Math.random when absent). x and y are copied
   * before the call returns: build the next batch into the same buffers while awaiting.
   */
  step(x: Float32Array, y: Float32Array, n: number, seed?: number): Promise<number>
  /** Model outputs (inference mode) for the first n rows of x: `[n, ...outputShape]`. */
  predict(x: Float32Array, n: number): Promise<Float32Array>
  /** Current weights in `model.getWeights()` order (copies). */
  getWeights(): Promise<Float32Array[]>
  /** Replace the weights; optimizer state is kept (as Keras' set_weights does). */
  setWeights(weights: Float32Array[]): Promise<void>
  setLearningRate(learningRate: number): Promise<void>
  /**
   * Optimizer state: completed steps and the per-parameter slots over the trainable weights
   * (concatenated in getWeights() order): Adam [m, v], RMSprop [ms, momentum(, mg)],
   * momentum [accumulation], SGD none. Same content as tfjs' optimizer.getWeights().
   */
  getOptimizerState(): Promise<OptimizerState>
  setOptimizerState(state: OptimizerState): Promise<void>
  dispose(): Promise<void>
}

export type { OptimizerState }

/** Default worker count: two where there are two cores or more (more adds little at batch 64). */
export function defaultWorkers(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
  return Math.max(1, Math.min(2, cores))
}

/**
 * Start the worker script: the built bundle's `out/main/parallel-worker.js`, or, from source
 * (tests, `npx tsx`, dev), the TypeScript file through tsx's loader registered inside the
 * worker (on Node 20, `--import tsx` in a worker's execArgv does not reach its module loader).
 */
export function startParallelWorker(workerData: WorkerInit): Worker {
  const here = fileURLToPath(import.meta.url)
  if (here.endsWith('.ts')) {
    const source = pathToFileURL(join(projectRoot(), 'src', 'main', 'compute', 'parallel-worker.ts')).href
    // tsx's ESM entry registers its loader hooks for the thread that imports it.
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs')
    const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source)})`
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { workerData, execArgv: [] })
  }
  const built = join(projectRoot(), 'out', 'main', 'parallel-worker.js')
  if (!existsSync(built)) throw new Error(`parallel training worker missing at ${built}; run 'npm run build'`)
  return new Worker(built, { workerData, execArgv: [] })
}

const product = (s: number[]) => s.reduce((a, b) => a * b, 1)

/** One worker and the reply it owes. */
class WorkerHandle {
  private pending: { resolve: (m: FromWorker) => void; reject: (e: Error) => void } | undefined
  private failure: Error | undefined
  readonly built: Promise<{ layout: WeightLayout; backend: string; path: string }>

  constructor(readonly worker: Worker) {
    this.built = new Promise((resolve, reject) => {
      this.pending = {
        resolve: (m) => (m.type === 'built' ? resolve({ layout: m.layout, backend: m.backend, path: m.path }) : reject(new Error(`unexpected ${m.type}`))),
        reject,
      }
    })
    worker.on('message', (m: FromWorker) => {
      const p = this.pending
      this.pending = undefined
      if (m.type === 'error') {
        const e = new Error(`training worker failed: ${m.message}`)
        if (m.stack) e.stack = m.stack
        this.fail(e, p)
      } else p?.resolve(m)
    })
    worker.on('error', (e) => this.fail(e, this.pending))
    worker.on('exit', (code) => this.fail(new Error(`training worker exited (code ${code})`), this.pending))
  }

  private fail(e: Error, p: typeof this.pending): void {
    this.failure ??= e
    this.pending = undefined
    p?.reject(e)
  }

  request(m: ToWorker): Promise<FromWorker> {
    if (this.failure) return Promise.reject(this.failure)
    if (this.pending) return Promise.reject(new Error('training worker is busy'))
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.worker.postMessage(m)
    })
  }
}

/** Split n rows as evenly as possible over k workers: [start, count] each. */
export function splitRows(n: number, k: number): [number, number][] {
  const out: [number, number][] = []
  let start = 0
  for (let i = 0; i < k; i++) {
    const count = Math.floor(n / k) + (i < n % k ? 1 : 0)
    out.push([start, count])
    start += count
  }
  return out
}

export async function createParallelTrainer(opts: TrainerOptions): Promise<Trainer> {
  const count = Math.max(1, Math.floor(opts.workers ?? defaultWorkers()))
  const backend: BackendPreference = opts.backend === 'cpu' ? 'cpu' : 'wasm'
  const handles: WorkerHandle[] = []
  const closeAll = async () => {
    await Promise.all(handles.map((h) => h.worker.terminate()))
  }
  try {
    for (let index = 0; index < count; index++) {
      const init: WorkerInit = { index, count, modelJson: opts.modelJson, backend, loss: opts.loss, optimizer: opts.optimizer, fastPath: opts.fastPath !== false }
      handles.push(new WorkerHandle(startParallelWorker(init)))
    }
    const built = await Promise.all(handles.map((h) => h.built))
    const { layout } = built[0]
    const workerBackend = built[0].backend
    if (opts.weights.length !== layout.sizes.length) {
      throw new Error(`the model has ${layout.sizes.length} weight arrays, got ${opts.weights.length}`)
    }
    opts.weights.forEach((w, i) => {
      if (w.length !== layout.sizes[i]) throw new Error(`weight ${i} has ${w.length} values, the model needs ${layout.sizes[i]}`)
    })
    const total = layout.sizes.reduce((a, b) => a + b, 0)
    const trainable = layout.sizes.slice(0, layout.trainableCount).reduce((a, b) => a + b, 0)
    const f32 = (n: number) => new SharedArrayBuffer(4 * Math.max(1, n))
    const shared: SharedBuffers = {
      weights: f32(total),
      grads: f32(count * trainable),
      extras: f32(count * (total - trainable)),
      slots: Array.from({ length: optimizerSlots(opts.optimizer) }, () => f32(trainable)),
      control: new SharedArrayBuffer(16),
    }
    const weights = new Float32Array(shared.weights)
    const writeWeights = (ws: Float32Array[]) => {
      let off = 0
      ws.forEach((w, i) => {
        if (w.length !== layout.sizes[i]) throw new Error(`weight ${i} has ${w.length} values, the model needs ${layout.sizes[i]}`)
        weights.set(w, off)
        off += w.length
      })
    }
    writeWeights(opts.weights)
    const inSize = product(layout.inputShape)
    const outSize = product(layout.outputShape)
    const makeRows = (capacity: number): RowBuffers => ({ rows: capacity, x: f32(capacity * inSize), y: f32(capacity * outSize), out: f32(capacity * outSize) })
    let rowBuffers = handles.map(() => makeRows(Math.ceil((opts.maxBatch ?? 256) / count)))
    await Promise.all(handles.map((h, i) => h.request({ type: 'attach', shared, rows: rowBuffers[i] })))

    const slots = shared.slots.map((b) => new Float32Array(b))
    let steps = 0
    let busy = false
    const exclusive = async <T>(f: () => Promise<T>): Promise<T> => {
      if (busy) throw new Error('trainer is busy: await each call before the next')
      busy = true
      try {
        return await f()
      } finally {
        busy = false
      }
    }
    const ensureCapacity = async (perWorker: number) => {
      if (perWorker <= rowBuffers[0].rows) return
      rowBuffers = handles.map(() => makeRows(perWorker))
      await Promise.all(handles.map((h, i) => h.request({ type: 'rows', rows: rowBuffers[i] })))
    }
    const checkInput = (x: Float32Array, n: number, what: string) => {
      if (!Number.isInteger(n) || n < 1) throw new Error(`${what}: n must be a positive integer, got ${n}`)
      if (x.length < n * inSize) throw new Error(`${what}: x has ${x.length} values, ${n} rows need ${n * inSize}`)
    }

    const trainer: Trainer = {
      backend: `${workerBackend} x ${count} worker${count === 1 ? '' : 's'}, ${built[0].path}`,
      workers: count,
      inputShape: layout.inputShape,
      outputShape: layout.outputShape,
      step: (x, y, n, seed) =>
        exclusive(async () => {
          checkInput(x, n, 'step')
          if (y.length < n * outSize) throw new Error(`step: y has ${y.length} values, ${n} rows need ${n * outSize}`)
          const parts = splitRows(n, count)
          // x and y are read before step() returns, so the caller can refill its buffers with
          // the next batch while this one trains.
          if (parts[0][1] > rowBuffers[0].rows) {
            x = x.slice(0, n * inSize)
            y = y.slice(0, n * outSize)
            await ensureCapacity(parts[0][1])
          }
          parts.forEach(([start, rows], i) => {
            new Float32Array(rowBuffers[i].x).set(x.subarray(start * inSize, (start + rows) * inSize))
            new Float32Array(rowBuffers[i].y).set(y.subarray(start * outSize, (start + rows) * outSize))
          })
          const replies = await Promise.all(handles.map((h, i) => h.request({ type: 'step', rows: parts[i][1], total: n, seed })))
          steps++
          return replies.reduce((s, r) => s + (r.type === 'stepped' ? r.loss : 0), 0)
        }),
      predict: (x, n) =>
        exclusive(async () => {
          checkInput(x, n, 'predict')
          const out = new Float32Array(n * outSize)
          const chunk = rowBuffers[0].rows * count
          for (let s = 0; s < n; s += chunk) {
            const m = Math.min(chunk, n - s)
            const parts = splitRows(m, count)
            parts.forEach(([start, rows], i) => new Float32Array(rowBuffers[i].x).set(x.subarray((s + start) * inSize, (s + start + rows) * inSize)))
            await Promise.all(handles.map((h, i) => (parts[i][1] > 0 ? h.request({ type: 'predict', rows: parts[i][1] }) : undefined)))
            parts.forEach(([start, rows], i) => out.set(new Float32Array(rowBuffers[i].out, 0, rows * outSize), (s + start) * outSize))
          }
          return out
        }),
      getWeights: () =>
        exclusive(async () => {
          let off = 0
          return layout.sizes.map((size) => weights.slice(off, (off += size)))
        }),
      setWeights: (ws) =>
        exclusive(async () => {
          writeWeights(ws)
          await Promise.all(handles.map((h) => h.request({ type: 'load-weights' })))
        }),
      setLearningRate: (learningRate) =>
        exclusive(async () => {
          await Promise.all(handles.map((h) => h.request({ type: 'set-learning-rate', learningRate })))
        }),
      getOptimizerState: () => exclusive(async () => ({ step: steps, slots: slots.map((v) => v.slice()) })),
      setOptimizerState: (state) =>
        exclusive(async () => {
          if (state.slots.length !== slots.length || state.slots.some((v, i) => v.length !== slots[i].length)) {
            throw new Error(`optimizer state needs ${slots.length} slot arrays of ${trainable} values`)
          }
          state.slots.forEach((v, i) => slots[i].set(v))
          steps = state.step
          await Promise.all(handles.map((h) => h.request({ type: 'set-step', step: state.step })))
        }),
      dispose: closeAll,
    }
    return trainer
  } catch (e) {
    await closeAll()
    throw e
  }
}

/** The Trainer interface on the calling thread's active backend (tfjs-node, or tests). */
export async function createInProcessTrainer(opts: TrainerOptions & { backendDetail?: string }): Promise<Trainer> {
  const model: tfl.LayersModel = await modelFromJson(opts.modelJson, opts.weights)
  const { inputShape, outputShape } = ioSizes(model)
  const optimizer = makeTfOptimizer(opts.optimizer)
  const loss = lossFunction(opts.loss)
  const inSize = product(inputShape)
  const outSize = product(outputShape)
  let disposed = false
  const trainableShapes = () => model.trainableWeights.map((w) => w.shape as number[])
  const names = () => model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read().name)
  return {
    backend: opts.backendDetail ?? tf.getBackend(),
    workers: 0,
    inputShape,
    outputShape,
    async step(x, y, n, seed) {
      model.layers.forEach((layer, i) => {
        if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = seed === undefined ? undefined : (seed * 31 + i) & 0x7fffffff
      })
      return tf.tidy(() => {
        const xt = tf.tensor(x.subarray(0, n * inSize), [n, ...inputShape], 'float32')
        const yt = tf.tensor(y.subarray(0, n * outSize), [n, ...outputShape], 'float32')
        const r = lossAndGradients(model, loss, xt, yt)
        const map: tf.NamedTensorMap = {}
        names().forEach((name, i) => (map[name] = r.grads[i]))
        optimizer.applyGradients(map)
        return r.loss
      })
    },
    async predict(x, n) {
      return tf.tidy(() => {
        const xt = tf.tensor(x.subarray(0, n * inSize), [n, ...inputShape], 'float32')
        return (model.predict(xt) as tf.Tensor).dataSync() as Float32Array
      })
    },
    async getWeights() {
      return model.getWeights().map((w) => w.dataSync() as Float32Array)
    },
    async setWeights(ws) {
      setModelWeights(model, ws)
    },
    async setLearningRate(learningRate) {
      ;(optimizer as unknown as { learningRate: number }).learningRate = learningRate
    },
    async getOptimizerState() {
      return optimizerStateFromTf(optimizer, opts.optimizer, trainableShapes())
    },
    async setOptimizerState(state) {
      await optimizerStateToTf(optimizer, opts.optimizer, state, trainableShapes(), names())
    },
    async dispose() {
      if (disposed) return
      disposed = true
      optimizer.dispose()
      model.layers.forEach((l) => l.dispose())
    },
  }
}

/**
 * The fastest trainer here: in-process on native TensorFlow (tfjs-node, tfjs-node-gpu),
 * otherwise data parallel over `workers` wasm workers.
 */
export async function createTrainer(opts: TrainerOptions): Promise<Trainer> {
  const info = await initBackend(opts.backend ?? 'auto')
  if (info.name === 'tensorflow') return createInProcessTrainer({ ...opts, backendDetail: info.detail })
  if (!parallelWorkerAvailable()) {
    // A bundle built without the parallel-worker entry: still train, on this thread.
    return createInProcessTrainer({ ...opts, backendDetail: `${info.detail} (in-process: parallel-worker.js not built)` })
  }
  return createParallelTrainer({ ...opts, backend: info.name })
}

function parallelWorkerAvailable(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.ts') || existsSync(join(projectRoot(), 'out', 'main', 'parallel-worker.js'))
}
