/**
 * Two SIMD kernels for the layers every DNA model starts with, built at run time for each
 * layer's sizes (wasm-asm.ts) and run on the wasm backend's own memory:
 *
 *  - A first convolution over one-hot input. With one letter per position,
 *      y[b, t, f] = bias[f] + sum over taps k of W[k, letter(b, t*stride + k - padLeft), f],
 *    so a window costs K row additions of F floats instead of K * C * F multiply-adds: for
 *    DNA a quarter of the work, without any multiplications. Letters are given as codes (one
 *    byte per padded position; code C, a zero row of the weight table, for padding and for
 *    all-zero positions such as N). ReLU can be applied on the way out.
 *  - Max pooling in tiled windows (global pooling included) with the position of each first
 *    maximum, which training needs for the gradient: one pass with 4-lane compares instead
 *    of an ArgMax kernel plus a gather, or of a scan for the winners in the backward pass.
 *
 * Both compute exactly the sums and maxima the generic kernels compute (up to the order of
 * float additions); tests/compute/wasm-onehot.test.ts checks them against the cpu backend.
 */
import { assemble, F32, instantiate, I32, op, V128, type WasmFunction, type WasmMemory } from './wasm-asm.js'

/** One-hot convolution sizes: input [n, L, C], weights [K, C, F], output [n, Lo, F]. */
export interface OneHotConvShape {
  L: number
  C: number
  K: number
  F: number
  stride: number
  padLeft: number
  padRight: number
  Lo: number
  relu: boolean
}

/** Filters processed together (v128 accumulators held in registers). */
const CONV_BLOCK = 8
const POOL_BLOCK = 4

/** Bytes of codes per sequence: its letters with padLeft and padRight codes around them. */
export const paddedLength = (s: OneHotConvShape) => s.padLeft + s.L + s.padRight

/** Whether the kernel handles this layer (F in whole 4-lane vectors, sane sizes). */
export function oneHotConvSupported(s: OneHotConvShape): boolean {
  return s.F % 4 === 0 && s.F > 0 && s.K > 0 && s.Lo > 0 && s.C > 0 && s.C < 255 && s.stride > 0
}

/**
 * conv(codes, n, table, bias, out): table is [K, C + 1, F] float32 (row C of every tap is
 * zeros), bias [F], out [n, Lo, F]; all byte addresses in the memory.
 */
function convFunction(s: OneHotConvShape) {
  const { K, F, stride, Lo } = s
  const C1 = s.C + 1
  const Lp = paddedLength(s)
  const [codes, n, table, bias, out, b, t, k, cp, o, kp, ck, rp] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]
  const acc = (j: number) => 13 + j
  const body: number[] = [...op.get(n), ...op.i32Eqz, ...op.if, ...op.return, ...op.end]
  body.push(...op.i32(0), ...op.set(b), ...op.loop)
  body.push(...op.get(codes), ...op.get(b), ...op.i32(Lp), ...op.i32Mul, ...op.i32Add, ...op.set(cp))
  body.push(...op.get(out), ...op.get(b), ...op.i32(Lo * F * 4), ...op.i32Mul, ...op.i32Add, ...op.set(o))
  body.push(...op.i32(0), ...op.set(t), ...op.loop)
  const vectors = F / 4
  for (let first = 0; first < vectors; first += CONV_BLOCK) {
    const width = Math.min(CONV_BLOCK, vectors - first)
    const at = (j: number) => (first + j) * 16
    for (let j = 0; j < width; j++) body.push(...op.get(bias), ...op.v128Load(at(j)), ...op.set(acc(j)))
    body.push(...op.get(table), ...op.set(kp), ...op.get(cp), ...op.set(ck), ...op.i32(0), ...op.set(k), ...op.loop)
    // rp = this tap's rows + letter * F floats
    body.push(...op.get(kp), ...op.get(ck), ...op.i32Load8u(), ...op.i32(F * 4), ...op.i32Mul, ...op.i32Add, ...op.set(rp))
    for (let j = 0; j < width; j++) body.push(...op.get(acc(j)), ...op.get(rp), ...op.v128Load(at(j)), ...op.f32x4Add, ...op.set(acc(j)))
    body.push(...op.get(kp), ...op.i32(C1 * F * 4), ...op.i32Add, ...op.set(kp))
    body.push(...op.get(ck), ...op.i32(1), ...op.i32Add, ...op.set(ck))
    body.push(...op.get(k), ...op.i32(1), ...op.i32Add, ...op.tee(k), ...op.i32(K), ...op.i32LtS, ...op.brIf(0), ...op.end)
    for (let j = 0; j < width; j++) {
      body.push(...op.get(o), ...op.get(acc(j)))
      if (s.relu) body.push(...op.v128Zero, ...op.f32x4Max)
      body.push(...op.v128Store(at(j)))
    }
  }
  body.push(...op.get(o), ...op.i32(F * 4), ...op.i32Add, ...op.set(o))
  body.push(...op.get(cp), ...op.i32(stride), ...op.i32Add, ...op.set(cp))
  body.push(...op.get(t), ...op.i32(1), ...op.i32Add, ...op.tee(t), ...op.i32(Lo), ...op.i32LtS, ...op.brIf(0), ...op.end)
  body.push(...op.get(b), ...op.i32(1), ...op.i32Add, ...op.tee(b), ...op.get(n), ...op.i32LtS, ...op.brIf(0), ...op.end)
  return { name: 'conv', params: [I32, I32, I32, I32, I32], locals: [...new Array<number>(8).fill(I32), ...new Array<number>(CONV_BLOCK).fill(V128)], body }
}

/**
 * maxpool(x, n, y, pos): x [n, L, C] float32 in windows of `pool` positions tiled from 0
 * (stride = pool, no padding, Lo = floor(L / pool) windows; Lo = 1 and pool = L is global
 * pooling); y [n, Lo, C] the maxima and pos [n, Lo, C] int32 the position in the sequence of
 * each first maximum (a later equal value never wins, as with ArgMax).
 */
function maxPoolFunction(L: number, C: number, pool: number, Lo: number) {
  const [x, n, y, pos, b, t, p, sp, wp, pp, yp, ip] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  const m = (j: number) => 12 + j
  const w = (j: number) => 12 + POOL_BLOCK + j
  const [v, pv, mask] = [12 + 2 * POOL_BLOCK, 13 + 2 * POOL_BLOCK, 14 + 2 * POOL_BLOCK]
  const body: number[] = [...op.get(n), ...op.i32Eqz, ...op.if, ...op.return, ...op.end]
  body.push(...op.get(x), ...op.set(sp), ...op.get(y), ...op.set(yp), ...op.get(pos), ...op.set(ip))
  body.push(...op.i32(0), ...op.set(b), ...op.loop)
  body.push(...op.get(sp), ...op.set(wp), ...op.i32(0), ...op.set(t), ...op.loop)
  const vectors = C / 4
  for (let first = 0; first < vectors; first += POOL_BLOCK) {
    const width = Math.min(POOL_BLOCK, vectors - first)
    const at = (j: number) => (first + j) * 16
    // The window's first position starts as the winner: its index is t * pool.
    body.push(...op.get(t), ...op.i32(pool), ...op.i32Mul, ...op.tee(p), ...op.i32x4Splat, ...op.set(pv))
    for (let j = 0; j < width; j++) body.push(...op.get(wp), ...op.v128Load(at(j)), ...op.set(m(j)), ...op.get(pv), ...op.set(w(j)))
    if (pool > 1) {
      body.push(...op.get(wp), ...op.i32(C * 4), ...op.i32Add, ...op.set(pp), ...op.loop)
      body.push(...op.get(p), ...op.i32(1), ...op.i32Add, ...op.tee(p), ...op.i32x4Splat, ...op.set(pv))
      for (let j = 0; j < width; j++) {
        body.push(...op.get(pp), ...op.v128Load(at(j)), ...op.set(v))
        body.push(...op.get(v), ...op.get(m(j)), ...op.f32x4Gt, ...op.set(mask))
        body.push(...op.get(v), ...op.get(m(j)), ...op.get(mask), ...op.v128Bitselect, ...op.set(m(j)))
        body.push(...op.get(pv), ...op.get(w(j)), ...op.get(mask), ...op.v128Bitselect, ...op.set(w(j)))
      }
      body.push(...op.get(pp), ...op.i32(C * 4), ...op.i32Add, ...op.set(pp))
      // until p is the window's last position
      body.push(...op.get(p), ...op.get(t), ...op.i32(pool), ...op.i32Mul, ...op.i32(pool - 1), ...op.i32Add, ...op.i32LtS, ...op.brIf(0), ...op.end)
    }
    for (let j = 0; j < width; j++) body.push(...op.get(yp), ...op.get(m(j)), ...op.v128Store(at(j)), ...op.get(ip), ...op.get(w(j)), ...op.v128Store(at(j)))
  }
  body.push(...op.get(wp), ...op.i32(pool * C * 4), ...op.i32Add, ...op.set(wp))
  body.push(...op.get(yp), ...op.i32(C * 4), ...op.i32Add, ...op.set(yp))
  body.push(...op.get(ip), ...op.i32(C * 4), ...op.i32Add, ...op.set(ip))
  body.push(...op.get(t), ...op.i32(1), ...op.i32Add, ...op.tee(t), ...op.i32(Lo), ...op.i32LtS, ...op.brIf(0), ...op.end)
  body.push(...op.get(sp), ...op.i32(L * C * 4), ...op.i32Add, ...op.set(sp))
  body.push(...op.get(b), ...op.i32(1), ...op.i32Add, ...op.tee(b), ...op.get(n), ...op.i32LtS, ...op.brIf(0), ...op.end)
  return { name: 'maxpool', params: [I32, I32, I32, I32], locals: [...new Array<number>(8).fill(I32), ...new Array<number>(2 * POOL_BLOCK + 3).fill(V128)], body }
}

/**
 * scatter(codes, list, m, dz, acc): the filter gradient of a one-hot convolution from the m
 * non-zero output gradients whose flat indices into dz [n, Lo, F] are listed (int32): for
 * each, dW[k, letter at tap k, f] += dz for every tap. acc is [K, C + 1, F] float32, zeroed
 * by the caller; row C of each tap collects padding and N and is dropped afterwards.
 */
function scatterFunction(s: OneHotConvShape) {
  const { K, F, stride, Lo } = s
  const C1 = s.C + 1
  const Lp = paddedLength(s)
  const [codes, list, m, dz, acc, j, i, bt, w, fo, addr, g] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]
  const body: number[] = [...op.get(m), ...op.i32Eqz, ...op.if, ...op.return, ...op.end]
  body.push(...op.i32(0), ...op.set(j), ...op.loop)
  body.push(...op.get(list), ...op.i32Load(), ...op.set(i))
  body.push(...op.get(dz), ...op.get(i), ...op.i32(4), ...op.i32Mul, ...op.i32Add, ...op.f32Load(), ...op.set(g))
  body.push(...op.get(i), ...op.i32(F), ...op.i32DivU, ...op.set(bt))
  // w: the window's first code, sequence bt / Lo at output position bt % Lo
  body.push(...op.get(codes), ...op.get(bt), ...op.i32(Lo), ...op.i32DivU, ...op.i32(Lp), ...op.i32Mul, ...op.i32Add)
  body.push(...op.get(bt), ...op.i32(Lo), ...op.i32RemU, ...op.i32(stride), ...op.i32Mul, ...op.i32Add, ...op.set(w))
  body.push(...op.get(acc), ...op.get(i), ...op.i32(F), ...op.i32RemU, ...op.i32(4), ...op.i32Mul, ...op.i32Add, ...op.set(fo))
  for (let k = 0; k < K; k++) {
    const tap = k * C1 * F * 4
    body.push(...op.get(fo), ...op.get(w), ...op.i32Load8u(k), ...op.i32(F * 4), ...op.i32Mul, ...op.i32Add, ...op.tee(addr))
    body.push(...op.get(addr), ...op.f32Load(tap), ...op.get(g), ...op.f32Add, ...op.f32Store(tap))
  }
  body.push(...op.get(list), ...op.i32(4), ...op.i32Add, ...op.set(list))
  body.push(...op.get(j), ...op.i32(1), ...op.i32Add, ...op.tee(j), ...op.get(m), ...op.i32LtS, ...op.brIf(0), ...op.end)
  return { name: 'scatter', params: [I32, I32, I32, I32, I32], locals: [I32, I32, I32, I32, I32, I32, F32], body }
}

type Kernel = (...args: number[]) => void
/** Instantiated kernels per memory (each worker's backend has its own), by name and sizes. */
const built = new WeakMap<WasmMemory, Map<string, Kernel>>()

function kernel(key: string, memory: WasmMemory, make: () => WasmFunction): Kernel {
  let byKey = built.get(memory)
  if (!byKey) built.set(memory, (byKey = new Map()))
  let k = byKey.get(key)
  if (!k) {
    const fn = make()
    k = instantiate(assemble([fn]), memory)[fn.name]
    byKey.set(key, k)
  }
  return k
}

/** The one-hot convolution kernel for these sizes, on `memory` (compiled once per shape). */
export function oneHotConvKernel(s: OneHotConvShape, memory: WasmMemory): (codes: number, n: number, table: number, bias: number, out: number) => void {
  if (!oneHotConvSupported(s)) throw new Error(`one-hot convolution kernel: unsupported sizes ${JSON.stringify(s)}`)
  return kernel(`conv ${JSON.stringify(s)}`, memory, () => convFunction(s))
}

/** The one-hot filter-gradient scatter for these sizes (see scatterFunction). */
export function oneHotScatterKernel(s: OneHotConvShape, memory: WasmMemory): (codes: number, list: number, m: number, dz: number, acc: number) => void {
  if (!oneHotConvSupported(s)) throw new Error(`one-hot scatter kernel: unsupported sizes ${JSON.stringify(s)}`)
  return kernel(`scatter ${JSON.stringify(s)}`, memory, () => scatterFunction(s))
}

/**
 * The max-pool kernel for [*, L, C] inputs in tiled windows of `pool` (C a multiple of 4,
 * 1 <= pool <= L; pool = L is global pooling).
 */
export function maxPoolKernel(L: number, C: number, pool: number, memory: WasmMemory): (x: number, n: number, y: number, pos: number) => void {
  if (C % 4 !== 0 || C <= 0 || pool < 1 || pool > L) throw new Error(`max-pool kernel: unsupported sizes L=${L} C=${C} pool=${pool}`)
  return kernel(`maxpool ${L} ${C} ${pool}`, memory, () => maxPoolFunction(L, C, pool, Math.floor(L / pool)))
}

/**
 * The convolution's weight table: W [K, C, F] with a zero row appended to every tap, so that
 * code C (padding, N) adds nothing.
 */
export function oneHotTable(w: Float32Array, K: number, C: number, F: number, table: Float32Array): void {
  const C1 = C + 1
  for (let k = 0; k < K; k++) {
    table.set(w.subarray(k * C * F, (k + 1) * C * F), k * C1 * F)
    table.fill(0, (k * C1 + C) * F, (k + 1) * C1 * F)
  }
}
