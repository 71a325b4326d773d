/**
 * The wasm fast path computes what tfjs computes: loss, every weight's gradient and the
 * predictions of the same model and weights, against tfjs' own autodiff on the cpu backend.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { initBackend } from '../../src/main/compute/backend.js'
import { compileFastModel, type FastModel } from '../../src/main/compute/fast-model.js'
import { lossAndGradients, lossFunction, type LossSpec } from '../../src/main/compute/train-step.js'
import { BidirectionalLSTM } from '../../src/main/models/bilstm.js'
import { onBackend, relativeError, seededFloats, seededOneHot } from './helpers.js'

interface Case {
  name: string
  build: () => tfl.LayersModel
  loss: LossSpec
  n: number
  /** Input is one-hot DNA (with some all-zero N positions). */
  oneHot?: boolean
  /** Replace the initial weights by seeded random ones (layers that start recurrent kernels at zero). */
  randomize?: boolean
}

const seq = (layers: tfl.layers.Layer[]) => tfl.sequential({ layers })
const L = tfl.layers
const bilstm = (units: number, returnSequences: boolean, mergeMode: 'concat' | 'sum' | 'ave' | 'mul', recurrentActivation?: string) =>
  L.bidirectional({
    layer: L.lstm({ units, returnSequences, recurrentInitializer: 'glorotUniform', ...(recurrentActivation ? { recurrentActivation: recurrentActivation as 'sigmoid' } : {}) }) as unknown as tfl.RNN,
    mergeMode,
  })

const cases: Case[] = [
  {
    name: 'motif CNN: conv relu, global max-pool, dense sigmoid, class-weighted BCE',
    n: 9,
    oneHot: true,
    loss: { name: 'binary-crossentropy', classWeights: { pos: [3], neg: [0.5] } },
    build: () => seq([L.conv1d({ inputShape: [40, 4], filters: 8, kernelSize: 7, activation: 'relu' }), L.globalMaxPooling1d(), L.dense({ units: 1, activation: 'sigmoid' })]),
  },
  {
    name: 'DanQ-like: conv, max-pool 4, BiLSTM concat (hard sigmoid) sequences, flatten, dense relu, dense sigmoid',
    n: 6,
    oneHot: true,
    loss: { name: 'binary-crossentropy' },
    build: () =>
      seq([
        L.conv1d({ inputShape: [37, 4], filters: 6, kernelSize: 6, activation: 'relu' }),
        L.maxPooling1d({ poolSize: 4 }),
        bilstm(5, true, 'concat'),
        L.flatten(),
        L.dense({ units: 7, activation: 'relu' }),
        L.dense({ units: 3, activation: 'sigmoid' }),
      ]),
  },
  {
    name: 'strided same-padded convs, overlapping same max-pool, global average, softmax CCE',
    n: 7,
    loss: { name: 'categorical-crossentropy', classWeights: { pos: [1, 2, 0.5], neg: [1, 1, 1] } },
    build: () =>
      seq([
        L.conv1d({ inputShape: [33, 3], filters: 5, kernelSize: 4, strides: 2, padding: 'same', activation: 'tanh' }),
        L.conv1d({ filters: 6, kernelSize: 3, activation: 'relu' }),
        L.maxPooling1d({ poolSize: 3, strides: 2, padding: 'same' }),
        L.globalAveragePooling1d(),
        L.dense({ units: 3, activation: 'softmax' }),
      ]),
  },
  {
    name: "the models engine's MotifLensBidirectionalLSTM (DanQ preset), sequences and last state",
    n: 4,
    oneHot: true,
    randomize: true,
    loss: { name: 'binary-crossentropy' },
    build: () =>
      seq([
        L.conv1d({ inputShape: [30, 4], filters: 5, kernelSize: 6, activation: 'relu' }),
        L.maxPooling1d({ poolSize: 3 }),
        new BidirectionalLSTM({ units: 4, returnSequences: true }),
        new BidirectionalLSTM({ units: 3, returnSequences: false }),
        L.dense({ units: 2, activation: 'sigmoid' }),
      ]),
  },
  {
    name: "the lecture's toy 3: SimpleRNN(1) over every step, flatten, dense sigmoid, MSE (dropout: its own test)",
    n: 6,
    oneHot: true,
    loss: { name: 'mse' },
    build: () => seq([L.simpleRNN({ inputShape: [25, 4], units: 1, returnSequences: true }), L.flatten(), L.dense({ units: 1, activation: 'sigmoid' })]),
  },
  {
    name: 'SimpleRNN relu last state after a Dense (input gradient through time), no bias',
    n: 5,
    randomize: true,
    loss: { name: 'binary-crossentropy' },
    build: () => seq([L.dense({ inputShape: [11, 3], units: 4, activation: 'tanh' }), L.simpleRNN({ units: 5, activation: 'relu', useBias: false }), L.dense({ units: 2, activation: 'sigmoid' })]),
  },
  {
    name: 'LSTM (sigmoid) last state, dense linear, MSE',
    n: 5,
    loss: { name: 'mse' },
    build: () => seq([L.lstm({ inputShape: [9, 3], units: 4, recurrentActivation: 'sigmoid', recurrentInitializer: 'glorotUniform' }), L.dense({ units: 2 })]),
  },
  ...(['sum', 'ave', 'mul'] as const).map((mode) => ({
    name: `BiLSTM ${mode} last state, Activation layer, dense on sequences`,
    n: 4,
    loss: { name: 'binary-crossentropy' as const },
    build: () =>
      seq([
        L.dense({ inputShape: [8, 3], units: 4, activation: 'tanh' }), // dense on [n, T, D]
        bilstm(3, false, mode, 'sigmoid'),
        L.activation({ activation: 'relu' }),
        L.dense({ units: 2, activation: 'sigmoid', useBias: false }),
      ]),
  })),
  {
    name: 'one-hot input, same-padded strided conv, max-pool (sparse one-hot filter gradient at the edges)',
    n: 5,
    oneHot: true,
    loss: { name: 'binary-crossentropy' },
    build: () =>
      seq([
        L.conv1d({ inputShape: [31, 4], filters: 6, kernelSize: 8, strides: 2, padding: 'same', activation: 'relu' }),
        L.maxPooling1d({ poolSize: 3, strides: 3 }),
        L.flatten(),
        L.dense({ units: 1, activation: 'sigmoid' }),
      ]),
  },
  {
    name: 'one-hot kernel: same-padded strided conv of 40 filters (two blocks), linear, global max-pool',
    n: 5,
    oneHot: true,
    loss: { name: 'binary-crossentropy' },
    build: () =>
      seq([
        L.conv1d({ inputShape: [33, 4], filters: 40, kernelSize: 9, strides: 2, padding: 'same' }),
        L.globalMaxPooling1d(),
        L.dense({ units: 2, activation: 'sigmoid' }),
      ]),
  },
  {
    name: 'one-hot kernel: valid conv tanh of 12 filters, max-pool 3, flatten, dense',
    n: 6,
    oneHot: true,
    loss: { name: 'binary-crossentropy' },
    build: () => seq([L.conv1d({ inputShape: [26, 4], filters: 12, kernelSize: 5, activation: 'tanh' }), L.maxPooling1d({ poolSize: 3 }), L.flatten(), L.dense({ units: 1, activation: 'sigmoid' })]),
  },
  {
    name: 'a mid-size Dense through the XNNPACK matmul kernels (above the JavaScript threshold)',
    n: 9,
    loss: { name: 'binary-crossentropy' },
    build: () => seq([L.flatten({ inputShape: [40, 4] }), L.dense({ units: 64, activation: 'tanh' }), L.dense({ units: 1, activation: 'sigmoid' })]),
  },
  {
    name: 'a Dense kernel over 2^20 weights (computed with the big matrix on the left)',
    n: 3,
    loss: { name: 'binary-crossentropy' },
    build: () => seq([L.flatten({ inputShape: [275, 4] }), L.dense({ units: 960, activation: 'relu' }), L.dense({ units: 2, activation: 'sigmoid' })]),
  },
  {
    name: 'dense conv gradient (flatten right after the conv), no bias',
    n: 8,
    oneHot: true,
    loss: { name: 'binary-crossentropy' },
    build: () => seq([L.conv1d({ inputShape: [20, 4], filters: 4, kernelSize: 5, activation: 'sigmoid', useBias: false }), L.flatten(), L.dense({ units: 2, activation: 'sigmoid' })]),
  },
]

function data(model: tfl.LayersModel, c: Case, seed: number): { x: Float32Array; y: Float32Array } {
  const [len, ch] = model.inputs[0].shape.slice(1) as number[]
  const outs = model.outputs[0].shape[1] as number
  let x: Float32Array
  if (c.oneHot) {
    x = seededOneHot(c.n, len, seed)
    for (let p = 3; p < c.n * len; p += 17) x.fill(0, p * 4, p * 4 + 4) // N positions
  } else x = seededFloats(c.n * len * ch, seed)
  const u = seededFloats(c.n * outs, seed + 1)
  let y: Float32Array = u.map((v) => (v > 0 ? 1 : 0))
  if (c.loss.name === 'categorical-crossentropy') y = new Float32Array(c.n * outs).map((_, i) => (i % outs === Math.floor(i / outs) % outs ? 1 : 0))
  if (c.loss.name === 'mse') y = u
  return { x, y }
}

describe('fast path (wasm) matches tfjs autodiff (cpu)', () => {
  beforeAll(async () => {
    await initBackend('cpu')
    await initBackend('wasm')
  })

  for (const [ci, c] of cases.entries()) {
    it(c.name, async () => {
      const ref = await onBackend('cpu', () => {
        const model = c.build()
        if (c.randomize) {
          const ws = model.getWeights().map((w, k) => tf.tensor(seededFloats(w.size, 500 + k).map((v) => v * 0.5), w.shape))
          model.setWeights(ws)
          tf.dispose(ws)
        }
        const { x, y } = data(model, c, 100 + ci)
        const shape = model.inputs[0].shape.slice(1) as number[]
        const weights = model.getWeights().map((w) => w.dataSync().slice() as Float32Array)
        const out = tf.tidy(() => {
          const r = lossAndGradients(model, lossFunction(c.loss), tf.tensor(x, [c.n, ...shape]), tf.tensor(y, [c.n, model.outputs[0].shape[1] as number]), 0.75)
          const p = model.predict(tf.tensor(x, [c.n, ...shape])) as tf.Tensor
          return { loss: r.loss, grads: r.grads.map((g) => g.dataSync().slice() as Float32Array), pred: p.dataSync().slice() as Float32Array }
        })
        const json = model.toJSON(null, false)
        model.layers.forEach((l) => l.dispose())
        return { ...out, x, y, weights, json }
      })
      await onBackend('wasm', () => {
        const compiled = compileFastModel(ref.json as Record<string, unknown>)
        if (!('model' in compiled)) throw new Error(`unsupported: ${compiled.unsupported}`)
        const fast: FastModel = compiled.model
        expect(fast.weightSizes).toEqual(ref.weights.map((w) => w.length))
        const flat = new Float32Array(ref.weights.reduce((s, w) => s + w.length, 0))
        let off = 0
        for (const w of ref.weights) {
          flat.set(w, off)
          off += w.length
        }
        const grads = new Float32Array(flat.length).fill(NaN)
        const before = tf.backend().numDataIds()
        const loss = fast.lossAndGradients(ref.x, ref.y, c.n, flat, grads, c.loss, 0.75, 1)
        expect(tf.backend().numDataIds()).toBe(before) // everything freed
        expect(Math.abs(loss - ref.loss) / Math.abs(ref.loss)).toBeLessThan(1e-5)
        off = 0
        ref.grads.forEach((g, i) => {
          expect(relativeError(grads.subarray(off, off + g.length), g), `weight ${i}`).toBeLessThan(1e-4)
          off += g.length
        })
        const pred = new Float32Array(ref.pred.length)
        fast.predict(ref.x, c.n, flat, pred)
        expect(relativeError(pred, ref.pred)).toBeLessThan(1e-5)
      })
    })
  }

  it('says why it cannot run a model (batch norm, GRU, regularisers)', async () => {
    await onBackend('cpu', () => {
      const bn = seq([L.conv1d({ inputShape: [10, 4], filters: 2, kernelSize: 3 }), L.batchNormalization(), L.flatten(), L.dense({ units: 1 })])
      expect(compileFastModel(bn.toJSON(null, false) as Record<string, unknown>)).toEqual({ unsupported: 'layer type BatchNormalization' })
      const gru = seq([L.gru({ inputShape: [10, 4], units: 2 }), L.dense({ units: 1 })])
      expect(compileFastModel(gru.toJSON(null, false) as Record<string, unknown>)).toEqual({ unsupported: 'layer type GRU' })
      const reg = seq([L.dense({ inputShape: [4], units: 1, kernelRegularizer: tfl.regularizers.l2() })])
      expect('unsupported' in compileFastModel(reg.toJSON(null, false) as Record<string, unknown>)).toBe(true)
    })
  })

  it('dropout: masks follow the seed, are inactive in inference, and the gradient matches finite differences', async () => {
    const m = await onBackend('cpu', () => seq([L.conv1d({ inputShape: [12, 4], filters: 3, kernelSize: 3, activation: 'tanh' }), L.dropout({ rate: 0.5 }), L.flatten(), L.dense({ units: 1, activation: 'tanh' })]))
    const json = m.toJSON(null, false) as Record<string, unknown>
    const w0 = m.getWeights().map((w) => w.dataSync().slice() as Float32Array)
    await onBackend('wasm', () => {
      const fast = (compileFastModel(json) as { model: FastModel }).model
      const flat = new Float32Array(w0.reduce((s, w) => s + w.length, 0))
      let off = 0
      for (const w of w0) flat.set(w, (off += w.length) - w.length)
      const x = seededFloats(4 * 12 * 4, 5)
      const y = seededFloats(4, 6)
      const spec: LossSpec = { name: 'mse' }
      const g1 = new Float32Array(flat.length)
      const g2 = new Float32Array(flat.length)
      const g3 = new Float32Array(flat.length)
      const loss = fast.lossAndGradients(x, y, 4, flat, g1, spec, 1, 42)
      fast.lossAndGradients(x, y, 4, flat, g2, spec, 1, 42)
      fast.lossAndGradients(x, y, 4, flat, g3, spec, 1, 43)
      expect(g2).toEqual(g1)
      expect(relativeError(g3, g1)).toBeGreaterThan(1e-3)
      // Finite differences (double-sided, float32) on the largest gradients, same masks (seed 42).
      const order = [...g1.keys()].sort((a, b) => Math.abs(g1[b]) - Math.abs(g1[a])).slice(0, 5)
      for (const j of order) {
        const h = 1e-2
        const plus = flat.slice()
        plus[j] += h
        const minus = flat.slice()
        minus[j] -= h
        const scratch = new Float32Array(flat.length)
        const fd = (fast.lossAndGradients(x, y, 4, plus, scratch, spec, 1, 42) - fast.lossAndGradients(x, y, 4, minus, scratch, spec, 1, 42)) / (2 * h)
        expect(Math.abs(fd - g1[j]) / Math.abs(g1[j])).toBeLessThan(2e-2)
      }
      expect(loss).toBeGreaterThan(0)
      // Inference ignores dropout: predictions equal tfjs' (no dropout at inference).
      const p = new Float32Array(4)
      fast.predict(x, 4, flat, p)
      const ref = tf.tidy(() => (m.predict(tf.tensor(x, [4, 12, 4])) as tf.Tensor).dataSync())
      expect(relativeError(p, ref)).toBeLessThan(1e-5)
    })
  })
})
