/** The wasm kernel overrides in wasm-fast-kernels.ts give the cpu backend's answers. */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initBackend } from '../../src/main/compute/backend.js'
import { onBackend, relativeError, seededFloats } from './helpers.js'

async function both<T>(f: () => T): Promise<{ cpu: T; wasm: T }> {
  const cpu = await onBackend('cpu', f)
  const wasm = await onBackend('wasm', f)
  return { cpu, wasm }
}

describe('wasm fast kernels match cpu', () => {
  beforeAll(async () => {
    await initBackend('cpu')
    await initBackend('wasm')
  })

  it('Equal broadcasts like cpu, including ties, NaN and infinities', async () => {
    const data = seededFloats(2 * 5 * 3, 1).map((v) => Math.round(v * 2) / 2) // many ties
    data[3] = NaN
    data[4] = Infinity
    const shapes: [number[], number[]][] = [
      [[2, 5, 3], [2, 1, 3]],
      [[2, 5, 3], [3]],
      [[2, 1, 3], [2, 5, 1]],
      [[2, 5, 3], []],
      [[5, 1], [1, 5]],
    ]
    for (const [sa, sb] of shapes) {
      const f = () =>
        tf.tidy(() => {
          const a = tf.tensor(data.slice(0, tf.util.sizeFromShape(sa)), sa)
          const b = tf.tensor(data.slice(7, 7 + tf.util.sizeFromShape(sb)).map((v, i) => (i === 0 ? Infinity : v)), sb)
          const r = tf.equal(a, b)
          return { shape: r.shape, dtype: r.dtype, values: Array.from(r.dataSync()) }
        })
      const { cpu, wasm } = await both(f)
      expect(wasm).toEqual(cpu)
    }
  })

  it('the global max-pool gradient is the same', async () => {
    const f = () =>
      tf.tidy(() => {
        const x = tf.tensor3d(seededFloats(4 * 30 * 6, 2).map((v) => Math.max(0, Math.round(v * 4) / 4)), [4, 30, 6])
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.max(t, 1), tf.range(1, 7))))(x).dataSync()
      })
    const { cpu, wasm } = await both(f)
    expect(relativeError(wasm, cpu)).toBe(0)
  })

  const pools: { x: [number, number, number, number]; size: [number, number]; strides: [number, number]; pad: 'valid' | 'same' }[] = [
    { x: [3, 1, 40, 5], size: [1, 13], strides: [1, 13], pad: 'valid' },
    { x: [3, 1, 41, 5], size: [1, 4], strides: [1, 4], pad: 'same' },
    { x: [2, 1, 30, 3], size: [1, 5], strides: [1, 2], pad: 'valid' }, // overlapping windows
    { x: [2, 6, 7, 3], size: [3, 2], strides: [2, 2], pad: 'same' },
  ]
  for (const p of pools) {
    it(`MaxPoolGrad ${p.x} pool ${p.size} strides ${p.strides} ${p.pad} (ties go to the first maximum)`, async () => {
      const f = () =>
        tf.tidy(() => {
          // Quantised values so windows contain ties.
          const x = tf.tensor4d(seededFloats(tf.util.sizeFromShape(p.x), 3).map((v) => Math.round(v * 3)), p.x)
          const y = tf.maxPool(x, p.size, p.strides, p.pad)
          const dy = tf.tensor(seededFloats(tf.util.sizeFromShape(y.shape), 4), y.shape)
          return tf.grad((t: tf.Tensor) => tf.maxPool(t as tf.Tensor4D, p.size, p.strides, p.pad))(x, dy).dataSync()
        })
      const { cpu, wasm } = await both(f)
      expect(relativeError(wasm, cpu)).toBeLessThan(1e-6)
    })
  }

  for (const [ta, tb] of [[true, false], [false, true], [true, true]]) {
    it(`BatchMatMul transposeA=${ta} transposeB=${tb}, batched and broadcast`, async () => {
      for (const [sa, sb] of [
        [[7, 5], [5, 6]],
        [[3, 7, 5], [3, 5, 6]],
        [[3, 7, 5], [1, 5, 6]],
      ]) {
        const a = ta ? [...sa.slice(0, -2), sa[sa.length - 1], sa[sa.length - 2]] : sa
        const b = tb ? [...sb.slice(0, -2), sb[sb.length - 1], sb[sb.length - 2]] : sb
        const f = () =>
          tf.tidy(() => {
            const A = tf.tensor(seededFloats(tf.util.sizeFromShape(a), 5), a)
            const B = tf.tensor(seededFloats(tf.util.sizeFromShape(b), 6), b)
            const r = tf.matMul(A, B, ta, tb)
            return { shape: r.shape, values: r.dataSync() }
          })
        const { cpu, wasm } = await both(f)
        expect(wasm.shape).toEqual(cpu.shape)
        expect(relativeError(wasm.values, cpu.values)).toBeLessThan(1e-5)
      }
    })
  }

  it('the overrides leave no backend data behind', async () => {
    await onBackend('wasm', () => {
      const go = () =>
        tf.tidy(() => {
          const a = tf.ones([3, 4, 5])
          tf.matMul(a, a, true, false).dataSync()
          tf.matMul(a, a, false, true).dataSync()
          tf.equal(a, tf.ones([3, 1, 5])).dataSync()
        })
      go()
      const before = tf.backend().numDataIds()
      go()
      expect(tf.backend().numDataIds()).toBe(before)
    })
  })
})
