/**
 * The run-time-built SIMD kernels (wasm-onehot.ts) against tfjs' cpu backend: the one-hot
 * convolution against conv1d on the same one-hot input, its filter-gradient scatter against
 * autodiff of conv1d, the max-pool (windows and global)
 * against max and argMax; and the assembler's LEB128 encodings.
 */
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initBackend } from '../../src/main/compute/backend.js'
import { sleb, uleb, wasmApi } from '../../src/main/compute/wasm-asm.js'
import { maxPoolKernel, oneHotConvKernel, oneHotConvSupported, oneHotScatterKernel, oneHotTable, paddedLength, type OneHotConvShape } from '../../src/main/compute/wasm-onehot.js'
import { relativeError, seededFloats, seededOneHot } from './helpers.js'

/** A memory of our own with a bump allocator (the kernels run on any memory they are given). */
function arena(bytes: number) {
  const memory = new wasmApi.Memory({ initial: Math.ceil(bytes / 65536) + 1 })
  let next = 64
  const alloc = (size: number) => {
    const at = next
    next += Math.ceil(size / 16) * 16 + 16
    return at
  }
  return { memory, alloc }
}

/** The kernels' letter codes for one-hot x [n, L, C]: C for padding and all-zero positions. */
function writeCodes(out: Uint8Array, x: Float32Array, n: number, shape: OneHotConvShape): void {
  const { L, C, padLeft } = shape
  const Lp = paddedLength(shape)
  out.fill(C)
  for (let s = 0; s < n; s++) {
    for (let p = 0; p < L; p++) {
      const at = x.subarray((s * L + p) * C, (s * L + p + 1) * C).indexOf(1)
      if (at >= 0) out[s * Lp + padLeft + p] = at
    }
  }
}

describe('wasm assembler', () => {
  it('encodes LEB128 as the specification does', () => {
    expect(uleb(0)).toEqual([0])
    expect(uleb(127)).toEqual([0x7f])
    expect(uleb(128)).toEqual([0x80, 0x01])
    expect(uleb(624485)).toEqual([0xe5, 0x8e, 0x26])
    expect(sleb(-1)).toEqual([0x7f])
    expect(sleb(63)).toEqual([0x3f])
    expect(sleb(64)).toEqual([0xc0, 0x00])
    expect(sleb(-123456)).toEqual([0xc0, 0xbb, 0x78])
  })
})

describe('one-hot convolution kernel', () => {
  const cases: { name: string; L: number; K: number; F: number; stride: number; pad: 'valid' | 'same'; relu: boolean }[] = [
    { name: 'valid, stride 1, relu, one block', L: 50, K: 7, F: 12, stride: 1, pad: 'valid', relu: true },
    { name: 'same, stride 2, linear, a block and a remainder', L: 41, K: 8, F: 44, stride: 2, pad: 'same', relu: false },
    { name: 'same, stride 3, relu, odd kernel', L: 30, K: 5, F: 32, stride: 3, pad: 'same', relu: true },
  ]
  for (const c of cases) {
    it(`${c.name}: equals conv1d on the cpu backend (N positions included)`, async () => {
      await initBackend('cpu')
      const n = 4
      const C = 4
      const x = seededOneHot(n, c.L, 11)
      for (let p = 2; p < n * c.L; p += 13) x.fill(0, p * C, p * C + C) // N: all-zero positions
      const w = seededFloats(c.K * C * c.F, 12)
      const bias = seededFloats(c.F, 13)
      const expected = tf.tidy(() => {
        let y = tf.add(tf.conv1d(tf.tensor3d(x, [n, c.L, C]), tf.tensor3d(w, [c.K, C, c.F]), c.stride, c.pad), tf.tensor1d(bias))
        if (c.relu) y = tf.relu(y)
        return { values: y.dataSync().slice(), Lo: y.shape[1] as number }
      })
      const info = tf.backend_util.computeConv2DInfo([n, 1, c.L, C], [1, c.K, C, c.F], [1, c.stride], 1, c.pad)
      const shape: OneHotConvShape = { L: c.L, C, K: c.K, F: c.F, stride: c.stride, padLeft: info.padInfo.left, padRight: info.padInfo.right, Lo: info.outWidth, relu: c.relu }
      expect(shape.Lo).toBe(expected.Lo)
      expect(oneHotConvSupported(shape)).toBe(true)
      const Lp = paddedLength(shape)
      const { memory, alloc } = arena(1 << 20)
      const codes = alloc(n * Lp)
      const table = alloc(c.K * (C + 1) * c.F * 4)
      const b = alloc(c.F * 4)
      const out = alloc(n * shape.Lo * c.F * 4)
      writeCodes(new Uint8Array(memory.buffer, codes, n * Lp), x, n, shape)
      oneHotTable(w, c.K, C, c.F, new Float32Array(memory.buffer, table, c.K * (C + 1) * c.F))
      new Float32Array(memory.buffer, b, c.F).set(bias)
      oneHotConvKernel(shape, memory)(codes, n, table, b, out)
      const got = new Float32Array(memory.buffer, out, n * shape.Lo * c.F)
      expect(relativeError(got, expected.values)).toBeLessThan(1e-6)
    })
  }

  it('refuses sizes it cannot run (filters not a multiple of 4)', () => {
    const shape: OneHotConvShape = { L: 10, C: 4, K: 3, F: 6, stride: 1, padLeft: 0, padRight: 0, Lo: 8, relu: true }
    expect(oneHotConvSupported(shape)).toBe(false)
    expect(() => oneHotConvKernel(shape, new wasmApi.Memory({ initial: 1 }))).toThrow(/unsupported sizes/)
  })
})

describe('one-hot filter-gradient scatter', () => {
  it('equals the gradient of conv1d w.r.t. its filter on cpu for a sparse output gradient (same padding, stride 2, N positions)', async () => {
    await initBackend('cpu')
    const [n, L, C, K, F, stride] = [3, 23, 4, 6, 8, 2]
    const x = seededOneHot(n, L, 31)
    for (let p = 4; p < n * L; p += 11) x.fill(0, p * C, p * C + C)
    const info = tf.backend_util.computeConv2DInfo([n, 1, L, C], [1, K, C, F], [1, stride], 1, 'same')
    const shape: OneHotConvShape = { L, C, K, F, stride, padLeft: info.padInfo.left, padRight: info.padInfo.right, Lo: info.outWidth, relu: false }
    const size = n * shape.Lo * F
    // Every fifth output gradient non-zero, as after max-pooling.
    const u = seededFloats(size, 32)
    const dz = new Float32Array(size)
    const list: number[] = []
    for (let i = 0; i < size; i += 5) {
      dz[i] = u[i]
      list.push(i)
    }
    const expected = tf.tidy(() => {
      const xt = tf.tensor3d(x, [n, L, C])
      const g = tf.grad((w: tf.Tensor) => tf.sum(tf.mul(tf.conv1d(xt, w as tf.Tensor3D, stride, 'same'), tf.tensor3d(dz, [n, shape.Lo, F]))))
      return g(tf.zeros([K, C, F])).dataSync().slice()
    })
    const Lp = paddedLength(shape)
    const { memory, alloc } = arena(1 << 18)
    const codes = alloc(n * Lp)
    const listAt = alloc(list.length * 4)
    const dzAt = alloc(size * 4)
    const acc = alloc(K * (C + 1) * F * 4)
    writeCodes(new Uint8Array(memory.buffer, codes, n * Lp), x, n, shape)
    new Int32Array(memory.buffer, listAt, list.length).set(list)
    new Float32Array(memory.buffer, dzAt, size).set(dz)
    oneHotScatterKernel(shape, memory)(codes, listAt, list.length, dzAt, acc)
    const table = new Float32Array(memory.buffer, acc, K * (C + 1) * F)
    const got = new Float32Array(K * C * F)
    for (let k = 0; k < K; k++) got.set(table.subarray(k * (C + 1) * F, (k * (C + 1) + C) * F), k * C * F)
    expect(relativeError(got, expected)).toBeLessThan(1e-6)
  })
})

describe('max-pool kernel', () => {
  // Few distinct values, so many windows hold their maximum at several positions.
  for (const [L, C, pool] of [
    [29, 20, 29],
    [29, 20, 1],
    [40, 12, 13],
    [37, 8, 4],
  ]) {
    it(`L=${L}, C=${C}, windows of ${pool}: max and first position of the maximum, as max and argMax on cpu (ties included)`, async () => {
      await initBackend('cpu')
      const n = 3
      const Lo = Math.floor(L / pool)
      const x = seededFloats(n * L * C, 21 + pool).map((v) => Math.round(v * 3))
      const expected = tf.tidy(() => {
        const t = tf.reshape(tf.slice(tf.tensor3d(x, [n, L, C]), [0, 0, 0], [n, Lo * pool, C]), [n, Lo, pool, C])
        const at = tf.add(tf.argMax(t, 2), tf.reshape(tf.mul(tf.range(0, Lo, 1, 'int32'), pool), [1, Lo, 1]))
        return { max: tf.max(t, 2).dataSync().slice(), at: at.dataSync().slice() }
      })
      const { memory, alloc } = arena(1 << 16)
      const xp = alloc(x.length * 4)
      const yp = alloc(n * Lo * C * 4)
      const pp = alloc(n * Lo * C * 4)
      new Float32Array(memory.buffer, xp, x.length).set(x)
      maxPoolKernel(L, C, pool, memory)(xp, n, yp, pp)
      expect(Array.from(new Float32Array(memory.buffer, yp, n * Lo * C))).toEqual(Array.from(expected.max))
      expect(Array.from(new Int32Array(memory.buffer, pp, n * Lo * C))).toEqual(Array.from(expected.at))
    })
  }
})
