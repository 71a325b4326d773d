import { describe, expect, it, beforeAll } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { initBackend } from '../../src/main/compute/backend.js'
import { onBackend, relativeError, seededFloats, seededOneHot, trainingGradients } from './helpers.js'

type Pad = 'valid' | 'same' | number
interface Case {
  x: [number, number, number, number]
  filter: [number, number, number, number]
  strides: number | [number, number]
  pad: Pad
}

/** dx and dW of sum(conv2d(x, W) * dy) on the current backend. */
function convGrads(c: Case, seed: number): { dx: Float32Array; dw: Float32Array } {
  return tf.tidy(() => {
    const x = tf.tensor4d(seededFloats(tf.util.sizeFromShape(c.x), seed), c.x)
    const w = tf.tensor4d(seededFloats(tf.util.sizeFromShape(c.filter), seed + 1), c.filter)
    const outShape = tf.conv2d(x, w, c.strides, c.pad).shape
    const dy = tf.tensor(seededFloats(tf.util.sizeFromShape(outShape), seed + 2), outShape)
    const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.strides, c.pad))([x, w], dy)
    return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array }
  })
}

const cases: Case[] = [
  // Conv1D layers: height-1 images, filter [1, K, C, F].
  { x: [3, 1, 40, 4], filter: [1, 7, 4, 6], strides: 1, pad: 'valid' },
  { x: [3, 1, 40, 4], filter: [1, 7, 4, 6], strides: 1, pad: 'same' },
  { x: [2, 1, 41, 4], filter: [1, 6, 4, 5], strides: 1, pad: 'same' },
  { x: [3, 1, 40, 4], filter: [1, 5, 4, 6], strides: 2, pad: 'valid' },
  { x: [3, 1, 41, 4], filter: [1, 5, 4, 6], strides: 3, pad: 'same' },
  { x: [2, 1, 30, 8], filter: [1, 4, 8, 3], strides: 2, pad: 'same' },
  // (Numeric pads are not tested: the wasm forward Conv2D itself disagrees with cpu for them,
  // and Conv1D layers only use 'valid' and 'same'.)
  // General 2D, for completeness.
  { x: [2, 7, 9, 3], filter: [3, 2, 3, 5], strides: [2, 1], pad: 'same' },
  { x: [2, 7, 9, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
]

describe('wasm conv gradients match the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('cpu')
    const info = await initBackend('wasm')
    expect(info.name).toBe('wasm')
  })

  it('registers Conv2DBackpropFilter for wasm', () => {
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined()
  })

  for (const [i, c] of cases.entries()) {
    it(`x ${c.x} filter ${c.filter} strides ${c.strides} pad ${c.pad}`, async () => {
      const ref = await onBackend('cpu', () => convGrads(c, 10 * i))
      const got = await onBackend('wasm', () => convGrads(c, 10 * i))
      expect(relativeError(got.dw, ref.dw)).toBeLessThan(1e-4)
      expect(relativeError(got.dx, ref.dx)).toBeLessThan(1e-4)
    })
  }

  it('frees every intermediate tensor', async () => {
    await onBackend('wasm', () => {
      // Intermediates live below the engine, in the backend's data map: count those.
      convGrads(cases[1], 1)
      const before = tf.backend().numDataIds()
      convGrads(cases[1], 1)
      convGrads(cases[4], 1)
      expect(tf.backend().numDataIds()).toBe(before)
    })
  })

  it('a conv1d + maxpool + dense model gets the same training gradients on wasm as on cpu', async () => {
    const build = () => {
      const m = tfl.sequential()
      m.add(tfl.layers.conv1d({ inputShape: [60, 4], filters: 8, kernelSize: 9, activation: 'relu' }))
      m.add(tfl.layers.maxPooling1d({ poolSize: 4 }))
      m.add(tfl.layers.flatten())
      m.add(tfl.layers.dense({ units: 3, activation: 'sigmoid' }))
      return m
    }
    const n = 16
    const xs = seededOneHot(n, 60, 7)
    const ys = seededFloats(n * 3, 8).map((v) => (v > 0 ? 1 : 0))
    const gradients = (weights?: Float32Array[]) =>
      tf.tidy(() => {
        const m = build()
        if (weights) m.setWeights(weights.map((w, k) => tf.tensor(w, m.getWeights()[k].shape)))
        return trainingGradients(m, tf.tensor3d(xs, [n, 60, 4]), tf.tensor2d(ys, [n, 3]), tfl.metrics.binaryCrossentropy)
      })
    const ref = await onBackend('cpu', () => gradients())
    const got = await onBackend('wasm', () => gradients(ref.weights))
    expect(got.grads.length).toBe(4)
    expect(Math.abs(got.loss - ref.loss) / ref.loss).toBeLessThan(1e-5)
    for (let k = 0; k < ref.grads.length; k++) expect(relativeError(got.grads[k], ref.grads[k])).toBeLessThan(1e-4)
  })
})
