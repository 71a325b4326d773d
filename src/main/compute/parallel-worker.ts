/**
 * One worker of the data-parallel trainer (see parallel.ts). It owns a full copy of the model
 * on its own backend (wasm: one thread each), computes the gradient of its rows of every
 * batch, and, after a barrier with the other workers, applies the optimizer to its slice of
 * the shared weight vector; after a second barrier every worker loads the new weights.
 * All workers therefore hold identical weights after every step.
 */
import { parentPort, workerData } from 'node:worker_threads'
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { initBackend } from './backend.js'
import { applyUpdate, resolveOptimizer, type OptimizerConfig } from './optimizers.js'
import type { FromWorker, RowBuffers, SharedBuffers, ToWorker, WeightLayout, WorkerInit } from './parallel-protocol.js'
import { ioSizes, lossAndGradients, lossFunction, modelFromJson } from './train-step.js'
import { compileFastModel, type FastModel } from './fast-model.js'
// Registers the project's custom layers so their JSON deserialises on the tfjs path.
import '../models/bilstm.js'

const port = parentPort
if (!port) throw new Error('parallel-worker must run in a worker thread')
const init = workerData as WorkerInit
const send = (m: FromWorker) => port.postMessage(m)

let model: tfl.LayersModel | undefined
/** The compiled fast path, when it supports the model (then `model` is never built). */
let fast: FastModel | undefined
let layout: WeightLayout
let optimizer: Required<OptimizerConfig>
let step = 0
let shared: { weights: Float32Array; grads: Float32Array; extras: Float32Array; slots: Float32Array[]; control: Int32Array }
let rows: { capacity: number; x: Float32Array; y: Float32Array; out: Float32Array }
let total = 0 // P: all parameters
let trainable = 0 // T: trainable parameters
let scratch: Float32Array

/** Block until every worker has arrived (generation-counting barrier on shared memory). */
function barrier(): void {
  const c = shared.control
  const generation = Atomics.load(c, 1)
  if (Atomics.add(c, 0, 1) === init.count - 1) {
    Atomics.store(c, 0, 0)
    Atomics.add(c, 1, 1)
    Atomics.notify(c, 1)
  } else {
    while (Atomics.load(c, 1) === generation) Atomics.wait(c, 1, generation)
  }
}

function attachRows(r: RowBuffers): void {
  rows = { capacity: r.rows, x: new Float32Array(r.x), y: new Float32Array(r.y), out: new Float32Array(r.out) }
}

/** Copy the shared weight vector into the model's variables (the fast path reads it directly). */
function loadWeights(): void {
  if (!model) return
  const m = model
  tf.tidy(() => {
    let off = 0
    const tensors = layout.sizes.map((size, i) => {
      const t = tf.tensor(shared.weights.subarray(off, off + size), layout.shapes[i], 'float32')
      off += size
      return t
    })
    m.setWeights(tensors)
  })
}

const product = (s: number[]) => s.reduce((a, b) => a * b, 1)

/** A 31-bit seed from several integers (splitmix-style), for per-layer, per-worker dropout. */
function mix(...parts: number[]): number {
  let h = 0x9e3779b9
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x85ebca6b) >>> 0
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0
  }
  return (h ^ (h >>> 16)) & 0x7fffffff
}

/** tfjs' Dropout draws its mask from its `seed` field (Math.random when unset). */
function setDropoutSeeds(seed: number | undefined): void {
  model?.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = seed === undefined ? undefined : mix(seed, i, init.index)
  })
}

function trainStep(n: number, batch: number, seed: number | undefined): number {
  const { index, count } = init
  const grads = shared.grads.subarray(index * trainable, (index + 1) * trainable)
  let loss = 0
  if (n > 0 && fast) {
    const stepSeed = seed === undefined ? Math.floor(Math.random() * 2 ** 31) : seed
    loss = fast.lossAndGradients(rows.x, rows.y, n, shared.weights, grads, init.loss, n / batch, mix(stepSeed, init.index))
  } else if (n > 0 && model) {
    const m = model
    setDropoutSeeds(seed)
    tf.tidy(() => {
      const x = tf.tensor(rows.x.subarray(0, n * product(layout.inputShape)), [n, ...layout.inputShape], 'float32')
      const y = tf.tensor(rows.y.subarray(0, n * product(layout.outputShape)), [n, ...layout.outputShape], 'float32')
      const r = lossAndGradients(m, lossFunction(init.loss), x, y, n / batch)
      loss = r.loss
      let off = 0
      for (const g of r.grads) {
        grads.set(g.dataSync() as Float32Array, off)
        off += g.size
      }
    })
    setDropoutSeeds(undefined)
  } else {
    grads.fill(0)
  }
  if (total > trainable && model) {
    // Non-trainable weights (batch-norm moving statistics) moved during this worker's forward pass.
    const extras = shared.extras.subarray(index * (total - trainable), (index + 1) * (total - trainable))
    // getWeights() hands out the variables themselves: read them, never dispose them.
    let off = 0
    for (const w of model.getWeights().slice(layout.trainableCount)) {
      extras.set(w.dataSync() as Float32Array, off)
      off += w.size
    }
  }
  barrier()
  // Sum the workers' gradients for this worker's slice of the parameters, then update it.
  step++
  const lo = Math.floor((index * trainable) / count)
  const hi = Math.floor(((index + 1) * trainable) / count)
  for (let i = lo; i < hi; i++) {
    let s = 0
    for (let w = 0; w < count; w++) s += shared.grads[w * trainable + i]
    scratch[i] = s
  }
  applyUpdate(optimizer, step, shared.weights, scratch, shared.slots, lo, hi)
  const extra = total - trainable
  if (extra > 0) {
    const elo = Math.floor((index * extra) / count)
    const ehi = Math.floor(((index + 1) * extra) / count)
    for (let j = elo; j < ehi; j++) {
      let s = 0
      for (let w = 0; w < count; w++) s += shared.extras[w * extra + j]
      shared.weights[trainable + j] = s / count
    }
  }
  if (model) {
    // The tfjs path copies the whole weight vector into its variables: wait for every slice.
    barrier()
    loadWeights()
  }
  // The fast path reads the weights at the start of the next step, which the main thread
  // only sends once every worker has replied to this one: that is the second barrier.
  return loss
}

function predict(n: number): void {
  const outSize = product(layout.outputShape)
  if (fast) {
    fast.predict(rows.x, n, shared.weights, rows.out)
    return
  }
  const m = model!
  tf.tidy(() => {
    const x = tf.tensor(rows.x.subarray(0, n * product(layout.inputShape)), [n, ...layout.inputShape], 'float32')
    const p = m.predict(x, { batchSize: n }) as tf.Tensor
    rows.out.set(p.dataSync() as Float32Array, 0)
    if (p.size !== n * outSize) throw new Error(`prediction has ${p.size} values, expected ${n * outSize}`)
  })
}

function attach(s: SharedBuffers, r: RowBuffers): void {
  shared = {
    weights: new Float32Array(s.weights),
    grads: new Float32Array(s.grads),
    extras: new Float32Array(s.extras),
    slots: s.slots.map((b) => new Float32Array(b)),
    control: new Int32Array(s.control),
  }
  attachRows(r)
  scratch = new Float32Array(trainable)
  loadWeights()
}

async function main(): Promise<void> {
  const info = await initBackend(init.backend)
  optimizer = resolveOptimizer(init.optimizer)
  let path = 'fast path'
  const compiled = init.fastPath && info.name === 'wasm' ? compileFastModel(init.modelJson) : { unsupported: init.fastPath ? `backend ${info.name}` : 'disabled' }
  if ('model' in compiled) {
    fast = compiled.model
    // All of the fast path's layers' weights are trainable.
    layout = { sizes: fast.weightSizes, shapes: fast.weightShapes, trainableCount: fast.weightSizes.length, inputShape: fast.inputShape, outputShape: fast.outputShape }
  } else {
    path = `tfjs layers (fast path: ${compiled.unsupported})`
    const m = await modelFromJson(init.modelJson)
    model = m
    const weights = m.weights
    const { inputShape, outputShape } = ioSizes(m)
    layout = {
      sizes: weights.map((w) => product(w.shape as number[])),
      shapes: weights.map((w) => w.shape as number[]),
      trainableCount: m.trainableWeights.length,
      inputShape,
      outputShape,
    }
  }
  total = layout.sizes.reduce((a, b) => a + b, 0)
  trainable = layout.sizes.slice(0, layout.trainableCount).reduce((a, b) => a + b, 0)
  send({ type: 'built', layout, backend: info.detail, path })

  port!.on('message', (m: ToWorker) => {
    try {
      switch (m.type) {
        case 'attach':
          attach(m.shared, m.rows)
          send({ type: 'ready' })
          break
        case 'rows':
          attachRows(m.rows)
          send({ type: 'done' })
          break
        case 'step':
          send({ type: 'stepped', loss: trainStep(m.rows, m.total, m.seed) })
          break
        case 'predict':
          predict(m.rows)
          send({ type: 'done' })
          break
        case 'load-weights':
          loadWeights()
          send({ type: 'done' })
          break
        case 'set-step':
          step = m.step
          send({ type: 'done' })
          break
        case 'set-learning-rate':
          optimizer = { ...optimizer, learningRate: m.learningRate } as Required<OptimizerConfig>
          send({ type: 'done' })
          break
      }
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e))
      send({ type: 'error', message: err.message, stack: err.stack })
    }
  })
}

main().catch((e: unknown) => {
  const err = e instanceof Error ? e : new Error(String(e))
  send({ type: 'error', message: err.message, stack: err.stack })
})
