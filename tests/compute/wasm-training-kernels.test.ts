/**
 * Every layer, loss and optimizer these models use must train on wasm exactly as on cpu:
 * gradients of a tiny model of each kind, then the weights after real fit() steps.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { initBackend } from '../../src/main/compute/backend.js'
import { onBackend, relativeError, seededFloats, seededOneHot, trainingGradients } from './helpers.js'

interface Kind {
  build: () => tfl.Sequential
  length: number
  outputs: number
  loss: 'binaryCrossentropy' | 'categoricalCrossentropy'
}

const kinds: Record<string, Kind> = {
  'conv + maxpool + BiLSTM (DanQ-like)': {
    length: 40,
    outputs: 3,
    loss: 'binaryCrossentropy',
    build: () => {
      const m = tfl.sequential()
      m.add(tfl.layers.conv1d({ inputShape: [40, 4], filters: 6, kernelSize: 7, activation: 'relu' }))
      m.add(tfl.layers.maxPooling1d({ poolSize: 3 }))
      m.add(tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 5, returnSequences: true }) as tfl.RNN, mergeMode: 'concat' }))
      m.add(tfl.layers.flatten())
      m.add(tfl.layers.dense({ units: 8, activation: 'relu' }))
      m.add(tfl.layers.dense({ units: 3, activation: 'sigmoid' }))
      return m
    },
  },
  'GRU + softmax': {
    length: 12,
    outputs: 2,
    loss: 'categoricalCrossentropy',
    build: () => {
      const m = tfl.sequential()
      m.add(tfl.layers.gru({ inputShape: [12, 4], units: 5 }))
      m.add(tfl.layers.dense({ units: 2, activation: 'softmax' }))
      return m
    },
  },
  'same-padded conv + global max-pool + batch norm': {
    length: 30,
    outputs: 1,
    loss: 'binaryCrossentropy',
    build: () => {
      const m = tfl.sequential()
      // No conv bias: batch norm cancels any per-feature shift, so its gradient is pure rounding noise.
      m.add(tfl.layers.conv1d({ inputShape: [30, 4], filters: 5, kernelSize: 6, activation: 'relu', padding: 'same', useBias: false }))
      m.add(tfl.layers.globalMaxPooling1d())
      m.add(tfl.layers.batchNormalization())
      m.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }))
      return m
    },
  },
  'stacked convs (DeepSEA-like), strided': {
    length: 48,
    outputs: 2,
    loss: 'binaryCrossentropy',
    build: () => {
      const m = tfl.sequential()
      m.add(tfl.layers.conv1d({ inputShape: [48, 4], filters: 6, kernelSize: 5, activation: 'relu' }))
      m.add(tfl.layers.maxPooling1d({ poolSize: 2 }))
      m.add(tfl.layers.conv1d({ filters: 7, kernelSize: 3, activation: 'relu', strides: 2, padding: 'same' }))
      m.add(tfl.layers.conv1d({ filters: 4, kernelSize: 3, activation: 'relu' }))
      m.add(tfl.layers.flatten())
      m.add(tfl.layers.dense({ units: 2, activation: 'sigmoid' }))
      return m
    },
  },
}

const n = 12

function data(kind: Kind): { x: tf.Tensor3D; y: tf.Tensor2D } {
  const x = tf.tensor3d(seededOneHot(n, kind.length, 3), [n, kind.length, 4])
  const u = seededFloats(n * kind.outputs, 4)
  let y = Array.from(u, (v) => (v > 0 ? 1 : 0))
  if (kind.loss === 'categoricalCrossentropy') y = Array.from({ length: n * 2 }, (_, i) => ((i >> 1) % 2 === i % 2 ? 1 : 0))
  return { x, y: tf.tensor2d(y, [n, kind.outputs]) }
}

/**
 * The model with the given weights, or with seeded ones: kernels (rank >= 2) from a fixed
 * stream, biases and batch-norm statistics as the layers initialise them (constants), so
 * every run compares the two backends at the same point.
 */
function freshModel(kind: Kind, weights?: Float32Array[]): tfl.Sequential {
  const m = kind.build()
  const current = m.getWeights()
  const values =
    weights ??
    current.map((w, k) => (w.rank >= 2 ? seededFloats(w.size, 1000 + k).map((v) => v * Math.sqrt(3 / w.shape[w.rank - 2])) : (w.dataSync() as Float32Array)))
  const ts = values.map((w, k) => tf.tensor(w, current[k].shape))
  m.setWeights(ts)
  tf.dispose(ts)
  return m
}

function lossFn(kind: Kind): (y: tf.Tensor, p: tf.Tensor) => tf.Tensor {
  return kind.loss === 'binaryCrossentropy' ? tfl.metrics.binaryCrossentropy : tfl.metrics.categoricalCrossentropy
}

describe('wasm trains every model kind like cpu', () => {
  beforeAll(async () => {
    await initBackend('cpu')
    await initBackend('wasm')
  })

  it('chained tensor methods exist without the @tensorflow/tfjs union package', () => {
    const t = tf.ones([2, 3])
    const f = (t as unknown as { flatten(): tf.Tensor }).flatten()
    expect(f.shape).toEqual([6])
    tf.dispose([t, f])
  })

  for (const [name, kind] of Object.entries(kinds)) {
    it(`${name}: gradients`, async () => {
      const grads = (weights?: Float32Array[]) =>
        tf.tidy(() => {
          const { x, y } = data(kind)
          return trainingGradients(freshModel(kind, weights), x, y, lossFn(kind))
        })
      const ref = await onBackend('cpu', () => grads())
      const got = await onBackend('wasm', () => grads(ref.weights))
      expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(1e-5)
      for (let k = 0; k < ref.grads.length; k++) expect(relativeError(got.grads[k], ref.grads[k])).toBeLessThan(1e-4)
    })
  }

  for (const optimizer of ['adam', 'rmsprop', 'sgd'] as const) {
    it(`${optimizer}: three fit() steps give the same weights`, async () => {
      const kind = kinds['conv + maxpool + BiLSTM (DanQ-like)']
      const train = async (weights?: Float32Array[]) => {
        const m = freshModel(kind, weights)
        const before = m.getWeights().map((w) => w.dataSync() as Float32Array)
        m.compile({ optimizer, loss: kind.loss })
        const { x, y } = data(kind)
        await m.fit(x, y, { epochs: 3, batchSize: n, shuffle: false, verbose: 0 })
        const after = m.getWeights().map((w) => w.dataSync() as Float32Array)
        tf.dispose([x, y])
        m.layers.forEach((l) => l.dispose())
        return { before, after }
      }
      const ref = await onBackend('cpu', () => train())
      const got = await onBackend('wasm', () => train(ref.before))
      for (let k = 0; k < ref.after.length; k++) {
        expect(relativeError(got.after[k], ref.after[k])).toBeLessThan(1e-4)
        expect(relativeError(got.after[k], ref.before[k])).toBeGreaterThan(1e-6) // it did train
      }
    })
  }

  it('dropout trains on wasm', async () => {
    await onBackend('wasm', async () => {
      const m = tfl.sequential()
      m.add(tfl.layers.conv1d({ inputShape: [20, 4], filters: 4, kernelSize: 5, activation: 'relu' }))
      m.add(tfl.layers.dropout({ rate: 0.2 }))
      m.add(tfl.layers.flatten())
      m.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }))
      m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' })
      const x = tf.tensor3d(seededOneHot(8, 20, 5), [8, 20, 4])
      const y = tf.tensor2d(Array.from({ length: 8 }, (_, i) => i % 2), [8, 1])
      const h = await m.fit(x, y, { epochs: 2, batchSize: 4, verbose: 0 })
      expect(h.history.loss.every((v) => Number.isFinite(v as number))).toBe(true)
      tf.dispose([x, y])
    })
  })
})
