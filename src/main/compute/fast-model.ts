/**
 * The fast path for training on wasm: a tfjs-layers Sequential model, read from its JSON,
 * executed layer by layer with hand-written forward and backward passes over tensors in wasm
 * memory (wasm-heap.ts). Heavy products go to the backend's XNNPACK kernels (FusedConv2D,
 * BatchMatMul, Transpose, the conv gradients of wasm-conv-grad.ts); elementwise work, pooling,
 * dropout, the LSTM gates and the loss are JavaScript loops over the same memory. No engine
 * ops, no autodiff tape: a danq-lite step is ~200 kernel calls instead of ~8000 engine ops.
 *
 * It computes exactly what tfjs computes for the same model and weights (checked layer by
 * layer against tfjs' own gradients on the cpu backend in tests/compute/fast-model.test.ts):
 * same layers, gate order (i, f, c, o), activations, clipping, Keras-style losses. The model,
 * its JSON and its saved weights are untouched; only the arithmetic is scheduled differently.
 *
 * Supported: Conv1D ('valid'/'same', strides, no dilation), MaxPooling1D, GlobalMaxPooling1D,
 * GlobalAveragePooling1D, Dropout, Flatten, Dense (rank 2 or 3 input), Activation, SimpleRNN
 * (up to SIMPLE_RNN_MAX_WEIGHTS weights; no dropout/state), LSTM
 * (tanh; sigmoid or hard-sigmoid gates; no dropout/masking/state), Bidirectional(LSTM)
 * with concat/sum/ave/mul, and src/main/models/bilstm.ts' MotifLensBidirectionalLSTM;
 * activations linear, relu, sigmoid, tanh, softmax. Anything else
 * (batch norm, GRU, regularisers, ...) makes `compileFastModel` return the reason, and the
 * caller trains through the ordinary tfjs path.
 *
 * Layouts: activations are row-major `[n, length, channels]` or `[n, features]`; weights are
 * one flat vector in `model.getWeights()` order.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { TensorInfo } from '@tensorflow/tfjs-core'
import { LOSS_EPSILON, type LossSpec, type ModelJson } from './train-step.js'
import { WasmHeap } from './wasm-heap.js'
import { maxPoolKernel, oneHotConvKernel, oneHotConvSupported, oneHotScatterKernel, oneHotTable, paddedLength, type OneHotConvShape } from './wasm-onehot.js'
import { mulberry32 } from '../models/random.js'

type Activation = 'linear' | 'relu' | 'sigmoid' | 'tanh' | 'softmax'
const ACTIVATIONS = new Set(['linear', 'relu', 'sigmoid', 'tanh', 'softmax'])
/** Products up to this many multiply-adds run in JavaScript (kernel calls cost more). */
const SMALL_MATMUL = 1 << 16

/** Activations FusedConv2D / _FusedMatMul apply inside the kernel. */
const FUSABLE = new Set(['linear', 'relu', 'sigmoid'])

/** Per-call state shared by the layers. */
interface Ctx {
  heap: WasmHeap
  n: number
  training: boolean
  /** Heap tensors of this call's weights, by weight index. */
  w: TensorInfo[]
  /** Flat trainable-gradient output (may be null in inference). */
  grads: Float32Array | null
  seed: number
  /** Set by a layer whose input gradient is mostly zeros: the flat indices that may not be. */
  sparse?: { dataId: object; list: Int32Array }
}

interface FastLayer {
  /** Element counts of this layer's weight arrays, in getWeights() order. */
  weightSizes: number[]
  weightShapes: number[][]
  /** Index of this layer's first weight array in the model's list. */
  firstWeight: number
  /** Offset of this layer's first weight element in the flat vector. */
  offset: number
  outShape: number[]
  forward(ctx: Ctx, x: TensorInfo): TensorInfo
  /** Gradient w.r.t. the input (null when not needed); writes weight gradients into ctx.grads. */
  backward(ctx: Ctx, dy: TensorInfo, needDx: boolean): TensorInfo | null
}

// ---------------------------------------------------------------------------------------------
// Elementwise helpers

function applyActivation(a: Activation, v: Float32Array, rowLen: number): void {
  switch (a) {
    case 'linear':
      return
    case 'relu':
      for (let i = 0; i < v.length; i++) if (!(v[i] > 0)) v[i] = v[i] !== v[i] ? v[i] : 0
      return
    case 'sigmoid':
      for (let i = 0; i < v.length; i++) v[i] = 1 / (1 + Math.exp(-v[i]))
      return
    case 'tanh':
      for (let i = 0; i < v.length; i++) v[i] = Math.tanh(v[i])
      return
    case 'softmax':
      for (let r = 0; r < v.length; r += rowLen) {
        let m = -Infinity
        for (let j = 0; j < rowLen; j++) m = Math.max(m, v[r + j])
        let s = 0
        for (let j = 0; j < rowLen; j++) s += v[r + j] = Math.exp(v[r + j] - m)
        for (let j = 0; j < rowLen; j++) v[r + j] /= s
      }
      return
  }
}

/** dz = dy * act'(y), in place on dy (y is the activation's output). */
function activationGrad(a: Activation, y: Float32Array, dy: Float32Array, rowLen: number): void {
  switch (a) {
    case 'linear':
      return
    case 'relu':
      for (let i = 0; i < dy.length; i++) if (!(y[i] > 0)) dy[i] = 0
      return
    case 'sigmoid':
      for (let i = 0; i < dy.length; i++) dy[i] *= y[i] * (1 - y[i])
      return
    case 'tanh':
      for (let i = 0; i < dy.length; i++) dy[i] *= 1 - y[i] * y[i]
      return
    case 'softmax':
      for (let r = 0; r < dy.length; r += rowLen) {
        let s = 0
        for (let j = 0; j < rowLen; j++) s += dy[r + j] * y[r + j]
        for (let j = 0; j < rowLen; j++) dy[r + j] = y[r + j] * (dy[r + j] - s)
      }
      return
  }
}

/** activationGrad restricted to the listed flat indices (elementwise activations only). */
function activationGradAt(a: Activation, y: Float32Array, dy: Float32Array, list: Int32Array): void {
  if (a === 'softmax') throw new Error('softmax is not elementwise')
  const n = list.length
  if (a === 'relu') {
    for (let j = 0; j < n; j++) if (!(y[list[j]] > 0)) dy[list[j]] = 0
  } else if (a === 'sigmoid') {
    for (let j = 0; j < n; j++) dy[list[j]] *= y[list[j]] * (1 - y[list[j]])
  } else if (a === 'tanh') {
    for (let j = 0; j < n; j++) dy[list[j]] *= 1 - y[list[j]] * y[list[j]]
  }
}

/** mulberry32 from a seed mixed with a layer index. */
function dropoutRng(seed: number, layer: number): () => number {
  return mulberry32((Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(layer + 1, 0xc2b2ae35)) >>> 0)
}

/** Set globalThis.__fastModelProfile = {} to accumulate per-layer milliseconds (development). */
const PROFILE = (globalThis as { __fastModelProfile?: Record<string, number> }).__fastModelProfile
/** Process CPU milliseconds (user + system). */
function cpuNow(): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1000
}

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1)

function writeGrad(ctx: Ctx, offset: number, g: Float32Array): void {
  ctx.grads?.set(g, offset)
}

// ---------------------------------------------------------------------------------------------
// Layers

class Conv1D implements FastLayer {
  weightSizes: number[]
  weightShapes: number[][]
  outShape: number[]
  firstWeight = 0
  offset = 0
  isFirst = false
  private readonly info: tf.backend_util.Conv2DInfo
  private x!: TensorInfo
  private y!: TensorInfo
  /** This call's input as letter codes (letterCodes), when it is one-hot. */
  private letters: Uint8Array | null = null
  /** This call's letter codes on the heap when the one-hot kernel ran (kept for the gradient). */
  private codes: TensorInfo | null = null
  /** Sizes for the one-hot kernel (wasm-onehot.ts), or null when it cannot run this layer. */
  private readonly oneHot: OneHotConvShape | null

  constructor(
    private readonly inShape: number[],
    private readonly filters: number,
    private readonly kernel: number,
    private readonly stride: number,
    private readonly pad: 'valid' | 'same',
    private readonly activation: Activation,
    private readonly useBias: boolean,
  ) {
    const [L, C] = inShape
    this.info = tf.backend_util.computeConv2DInfo([1, 1, L, C], [1, kernel, C, filters], [1, stride], 1, pad)
    this.outShape = [this.info.outWidth, filters]
    this.weightShapes = useBias ? [[kernel, C, filters], [filters]] : [[kernel, C, filters]]
    this.weightSizes = this.weightShapes.map(prod)
    const { left, right } = this.info.padInfo
    const shape: OneHotConvShape = { L, C, K: kernel, F: filters, stride, padLeft: left, padRight: right, Lo: this.info.outWidth, relu: activation === 'relu' }
    this.oneHot = oneHotConvSupported(shape) ? shape : null
  }

  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const [L, C] = this.inShape
    const [Lo, F] = this.outShape
    this.x = x
    this.codes = null
    this.letters = this.letterCodes(heap, n)
    if (this.letters && this.oneHot && heap.hasMemory) {
      this.y = this.forwardOneHot(ctx, this.letters, this.oneHot)
      return this.y
    }
    const filter = heap.reshape(ctx.w[this.firstWeight], [1, this.kernel, C, F])
    const fused = FUSABLE.has(this.activation)
    const y = heap.run(
      'FusedConv2D',
      { x: heap.reshape(x, [n, 1, L, C]), filter, bias: this.useBias ? ctx.w[this.firstWeight + 1] : undefined },
      { strides: [1, this.stride], pad: this.pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined, activation: fused ? this.activation : 'linear', leakyreluAlpha: 0 },
    )
    if (!fused) applyActivation(this.activation, heap.view(y), F)
    this.y = heap.reshape(y, [n, Lo, F])
    return this.y
  }

  /** The first layer on one-hot input: row additions instead of a dense convolution. */
  private forwardOneHot(ctx: Ctx, letters: Uint8Array, s: OneHotConvShape): TensorInfo {
    const { heap, n } = ctx
    const { C, K, F } = s
    const Lp = paddedLength(s)
    const y = heap.alloc([n, s.Lo, F])
    const codes = heap.alloc([Math.ceil((n * Lp) / 4)])
    const table = heap.alloc([K * (C + 1) * F])
    const bias = this.useBias ? ctx.w[this.firstWeight + 1] : heap.zeros([F])
    // Views only now: allocations may grow (and detach) the memory.
    const memory = heap.memory
    new Uint8Array(memory.buffer, heap.pointer(codes), n * Lp).set(letters)
    oneHotTable(heap.view(ctx.w[this.firstWeight]), K, C, F, heap.view(table))
    oneHotConvKernel(s, memory)(heap.pointer(codes), n, heap.pointer(table), heap.pointer(bias), heap.pointer(y))
    this.codes = codes // freed with the call's other tensors
    heap.free(table)
    if (!this.useBias) heap.free(bias)
    if (!s.relu && this.activation !== 'linear') applyActivation(this.activation, heap.view(y), F)
    return y
  }

  backward(ctx: Ctx, dy: TensorInfo, needDx: boolean): TensorInfo | null {
    const { heap, n } = ctx
    const [L, C] = this.inShape
    const [Lo, F] = this.outShape
    const K = this.kernel
    const list = ctx.sparse?.dataId === dy.dataId ? ctx.sparse.list : null
    const dz = heap.view(dy)
    const y = heap.view(this.y)
    if (list) {
      // Only the listed entries can be non-zero (a max-pool sits above): touch only those.
      activationGradAt(this.activation, y, dz, list)
    } else {
      activationGrad(this.activation, y, dz, F)
    }
    if (this.useBias && ctx.grads) {
      const db = new Float64Array(F)
      if (list) for (let j = 0; j < list.length; j++) db[list[j] % F] += dz[list[j]]
      else for (let i = 0; i < dz.length; i += F) for (let f = 0; f < F; f++) db[f] += dz[i + f]
      writeGrad(ctx, this.offset + this.weightSizes[0], Float32Array.from(db))
    }
    if (ctx.grads) {
      // Sparse gradients are the rule after max-pooling (one position per window): then the
      // filter gradient is a scatter of the non-zeros, far cheaper than the dense correlation
      // (a JavaScript add costs about 8 SIMD multiply-adds; one-hot inputs need 1 add per tap).
      let nnz = 0
      if (list) nnz = list.length
      else for (let i = 0; i < dz.length; i++) if (dz[i] !== 0) nnz++
      const letters = this.letters
      if (list && this.codes && this.oneHot) {
        writeGrad(ctx, this.offset, this.scatterFilterGrad(heap, dy, list, this.codes, this.oneHot))
      } else if (nnz * K * (letters ? 1 : C) * 8 < n * Lo * K * C * F) {
        writeGrad(ctx, this.offset, this.sparseFilterGrad(heap, dy, n, letters, list))
      } else {
        const dw = heap.run(
          'Conv2DBackpropFilter',
          { x: heap.reshape(this.x, [n, 1, L, C]), dy: heap.reshape(dy, [n, 1, Lo, F]) },
          { strides: [1, this.stride], pad: this.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [1, K, C, F] },
        )
        writeGrad(ctx, this.offset, heap.view(dw))
        heap.free(dw)
      }
    }
    if (!needDx) return null
    const dx = heap.run(
      'Conv2DBackpropInput',
      { dy: heap.reshape(dy, [n, 1, Lo, F]), filter: heap.reshape(ctx.w[this.firstWeight], [1, K, C, F]) },
      { inputShape: [n, 1, L, C], strides: [1, this.stride], pad: this.pad, dataFormat: 'NHWC', dimRoundingMode: undefined },
    )
    return heap.reshape(dx, [n, L, C])
  }

  /**
   * For a first layer fed one-hot DNA: the letter index at every input position, C for an
   * all-zero position (such as N), each sequence's row padded with C codes as the convolution
   * pads it (padInfo left and right), so a window's taps never need bounds checks; or null
   * when x is not one-hot. The layout of the one-hot kernels' codes (wasm-onehot.ts).
   */
  private letterCodes(heap: WasmHeap, n: number): Uint8Array | null {
    if (!this.isFirst) return null
    const [L, C] = this.inShape
    if (C >= 255) return null
    const { left, right } = this.info.padInfo
    const Lp = left + L + right
    const x = heap.view(this.x)
    const codes = new Uint8Array(n * Lp).fill(C)
    for (let b = 0; b < n; b++) {
      for (let p = 0; p < L; p++) {
        const xo = (b * L + p) * C
        let at = -1
        for (let c = 0; c < C; c++) {
          const v = x[xo + c]
          if (v === 0) continue
          if (v !== 1 || at >= 0) return null
          at = c
        }
        if (at >= 0) codes[b * Lp + left + p] = at
      }
    }
    return codes
  }

  /** The sparse one-hot filter gradient (as sparseFilterGrad) in the wasm scatter kernel. */
  private scatterFilterGrad(heap: WasmHeap, dy: TensorInfo, list: Int32Array, codes: TensorInfo, s: OneHotConvShape): Float32Array {
    const { K, C, F } = s
    const dw = new Float32Array(K * C * F)
    if (list.length === 0) return dw
    const acc = heap.zeros([K * (C + 1) * F])
    const listed = heap.alloc([list.length]) // int32 entries in float32-sized slots
    new Int32Array(heap.memory.buffer, heap.pointer(listed), list.length).set(list)
    oneHotScatterKernel(s, heap.memory)(heap.pointer(codes), heap.pointer(listed), list.length, heap.pointer(dy), heap.pointer(acc))
    const table = heap.view(acc)
    for (let k = 0; k < K; k++) dw.set(table.subarray(k * (C + 1) * F, (k * (C + 1) + C) * F), k * C * F)
    heap.free(acc)
    heap.free(listed)
    return dw
  }

  /** dW[k, c, f] = sum over non-zero dz[b, t, f] of dz * x[b, t*stride + k - padLeft, c]. */
  private sparseFilterGrad(heap: WasmHeap, dy: TensorInfo, n: number, letters: Uint8Array | null, list: Int32Array | null): Float32Array {
    const [L, C] = this.inShape
    const [Lo, F] = this.outShape
    const K = this.kernel
    const s = this.stride
    const left = this.info.padInfo.left
    const dz = heap.view(dy)
    const count = list ? list.length : n * Lo * F
    // Decode the non-zero entries once: where their patch starts, their filter, their value.
    const start = new Int32Array(count)
    const seqs = letters ? null : new Int32Array(count)
    const fs = new Int32Array(count)
    const gs = new Float32Array(count)
    let m = 0
    const Lp = left + L + this.info.padInfo.right
    for (let j = 0; j < count; j++) {
      const i = list ? list[j] : j
      const g = dz[i]
      if (g === 0) continue
      const f = i % F
      const bt = (i - f) / F
      const t = bt % Lo
      const b = (bt - t) / Lo
      start[m] = letters ? b * Lp + t * s : t * s - left
      if (seqs) seqs[m] = b
      fs[m] = f
      gs[m] = g
      m++
    }
    const dw = new Float32Array(K * C * F)
    if (letters) {
      scatterOneHot(dw, letters, start, fs, gs, m, K, C, F)
      return dw
    }
    const x = heap.view(this.x)
    for (let j = 0; j < m; j++) {
      const pos0 = start[j]
      const k0 = Math.max(0, -pos0)
      const k1 = Math.min(K, L - pos0)
      for (let k = k0; k < k1; k++) {
        const xo = (seqs![j] * L + pos0 + k) * C
        const wo = k * C * F + fs[j]
        for (let c = 0; c < C; c++) {
          const xv = x[xo + c]
          if (xv !== 0) dw[wo + c * F] += gs[j] * xv
        }
      }
    }
    return dw
  }
}

/**
 * dW[k, letter, f] += g for every entry (patch start in letterCodes' layout, f, g) and tap k. Entries come grouped
 * by patch (max-pool lists the channels that won at one position together), so each run of
 * equal starts reads its K letters once.
 */
function scatterOneHot(dw: Float32Array, letters: Uint8Array, start: Int32Array, fs: Int32Array, gs: Float32Array, m: number, K: number, C: number, F: number): void {
  let j = 0
  while (j < m) {
    const s0 = start[j]
    let e = j + 1
    while (e < m && start[e] === s0) e++
    for (let k = 0; k < K; k++) {
      const c = letters[s0 + k]
      if (c === C) continue // padding or N
      const row = (k * C + c) * F
      for (let r = j; r < e; r++) dw[row + fs[r]] += gs[r]
    }
    j = e
  }
}

/** Max pooling over length: windows of `pool`, step `stride`; also the global case. */
class MaxPool1D implements FastLayer {
  weightSizes: number[] = []
  weightShapes: number[][] = []
  firstWeight = 0
  offset = 0
  outShape: number[]
  private readonly left: number
  private x!: TensorInfo
  private y!: TensorInfo
  /** Scratch marks of positions already in the sparse list (kept all-zero between calls). */
  private listed = new Uint8Array(0)
  /** Training, tiled windows: flat input index of each window's first maximum, [n, Lo, C]. */
  private argmax: Int32Array | null = null

  constructor(
    private readonly inShape: number[],
    private readonly pool: number,
    private readonly stride: number,
    private readonly pad: 'valid' | 'same',
    private readonly global: boolean,
  ) {
    const [L, C] = inShape
    if (global) {
      this.outShape = [C]
      this.left = 0
    } else {
      const info = tf.backend_util.computePool2DInfo([1, 1, L, C], [1, pool], [1, stride], 1, pad)
      this.outShape = [info.outWidth, C]
      this.left = info.padInfo.left
    }
  }

  /**
   * Windows the SIMD kernel (wasm-onehot.ts) pools with their winners in training: global,
   * or tiled from position 0 (stride = pool, no padding), over channels in 4-lane vectors.
   */
  private get simdWindows(): boolean {
    const C = this.inShape[1]
    if (C % 4 !== 0) return false
    return this.global || (this.stride === this.pool && this.left === 0 && this.outShape[0] === Math.floor(this.inShape[0] / this.pool))
  }

  /**
   * Global pooling: one C++ ArgMax pass finds every winner (~2x faster than scanning in JS).
   * For windows of ~10 positions the wasm ArgMax (and the Slice it needs) costs as much as
   * the JS scan, so windows keep the lazy scan in backward.
   */
  private get tiled(): boolean {
    return this.global
  }

  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const [L, C] = this.inShape
    const pool = this.global ? L : this.pool
    const stride = this.global ? L : this.stride
    const Lo = this.global ? 1 : this.outShape[0]
    this.x = x
    this.argmax = null
    if (ctx.training && this.simdWindows && heap.hasMemory) {
      // One SIMD pass for the maxima and the position of each first maximum.
      const y = heap.alloc([n, ...this.outShape])
      const at = heap.alloc([n * Lo * C])
      maxPoolKernel(L, C, pool, heap.memory)(heap.pointer(x), n, heap.pointer(y), heap.pointer(at))
      const idx = new Int32Array(heap.memory.buffer, heap.pointer(at), n * Lo * C).slice()
      heap.free(at)
      for (let b = 0, w = 0; b < n; b++) for (let i = 0; i < Lo * C; i++, w++) idx[w] = (b * L + idx[w]) * C + (i % C)
      this.argmax = idx
      this.y = y
      return y
    }
    if (ctx.training && this.tiled) {
      // Training needs the winners anyway: the first-maximum index of every window (ArgMax,
      // like tfjs), and the values read off them.
      const am = heap.run('ArgMax', { x: heap.reshape(x, [n * Lo, pool, C]) }, { axis: 1 })
      const idx = new Int32Array(heap.backend.typedArrayFromHeap(am) as Int32Array)
      heap.free(am)
      const y = heap.alloc([n, ...this.outShape])
      const yv = heap.view(y)
      const xv = heap.view(x)
      for (let w = 0; w < n * Lo; w++) {
        const b = Math.floor(w / Lo)
        const base = (b * L + (w - b * Lo) * pool) * C
        for (let c = 0; c < C; c++) {
          const i = base + idx[w * C + c] * C + c
          idx[w * C + c] = i
          yv[w * C + c] = xv[i]
        }
      }
      this.argmax = idx
      this.y = y
      return y
    }
    // XNNPACK's max-pool for the values; which position won is worked out in backward,
    // only for the windows that receive a gradient.
    const y = heap.run(
      'MaxPool',
      { x: heap.reshape(x, [n, 1, L, C]) },
      { filterSize: [1, pool], strides: [1, stride], pad: this.global ? 'valid' : this.pad, dimRoundingMode: undefined },
    )
    this.y = heap.reshape(y, [n, ...this.outShape])
    return this.y
  }

  /** dx: each window's dy goes to its first maximum (as tfjs); the touched positions are listed in ctx.sparse. */
  backward(ctx: Ctx, dy: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const [L, C] = this.inShape
    const Lo = this.global ? 1 : this.outShape[0]
    const pool = this.global ? L : this.pool
    const stride = this.global ? L : this.stride
    const dx = heap.zeros([n, L, C])
    const dxv = heap.view(dx)
    const dyv = heap.view(dy)
    const xv = heap.view(this.x)
    const yv = heap.view(this.y)
    const list = new Int32Array(n * Lo * C)
    let count = 0
    if (this.argmax) {
      // Winners known from the forward pass; tiled windows never share a position.
      const am = this.argmax
      for (let w = 0; w < am.length; w++) {
        const g = dyv[w]
        if (g === 0) continue
        dxv[am[w]] = g
        list[count++] = am[w]
      }
      ctx.sparse = { dataId: dx.dataId, list: list.subarray(0, count) }
      return dx
    }
    if (this.global) {
      // One window per sequence: scan positions in memory order, all channels at once, and
      // stop when every channel that has a gradient found its first maximum.
      const pending = new Uint8Array(C)
      for (let b = 0; b < n; b++) {
        let left = 0
        for (let c = 0; c < C; c++) left += pending[c] = dyv[b * C + c] !== 0 ? 1 : 0
        for (let p = 0, i = b * L * C; p < L && left > 0; p++, i += C) {
          for (let c = 0; c < C; c++) {
            if (pending[c] && xv[i + c] === yv[b * C + c]) {
              pending[c] = 0
              left--
              dxv[i + c] = dyv[b * C + c]
              list[count++] = i + c // one window per (sequence, channel): never repeats
            }
          }
        }
      }
      ctx.sparse = { dataId: dx.dataId, list: list.subarray(0, count) }
      return dx
    }
    // Windows that overlap can send two gradients to one position: list it once.
    const overlapping = stride < pool
    if (overlapping && this.listed.length < n * L * C) this.listed = new Uint8Array(n * L * C)
    const listed = this.listed
    const pending = new Uint8Array(C)
    for (let b = 0; b < n; b++) {
      for (let t = 0; t < Lo; t++) {
        const p0 = Math.max(0, t * stride - this.left)
        const p1 = Math.min(L, t * stride - this.left + pool)
        const o = (b * Lo + t) * C
        let left = 0
        for (let c = 0; c < C; c++) left += pending[c] = dyv[o + c] !== 0 ? 1 : 0
        // Positions in memory order, all channels at once, until each found its first maximum.
        for (let p = p0, i = (b * L + p0) * C; p < p1 && left > 0; p++, i += C) {
          for (let c = 0; c < C; c++) {
            if (pending[c] === 0 || xv[i + c] !== yv[o + c]) continue
            pending[c] = 0
            left--
            if (!overlapping) list[count++] = i + c
            else if (!listed[i + c]) {
              listed[i + c] = 1
              list[count++] = i + c
            }
            dxv[i + c] += dyv[o + c]
          }
        }
      }
    }
    if (overlapping) for (let j = 0; j < count; j++) listed[list[j]] = 0
    ctx.sparse = { dataId: dx.dataId, list: list.subarray(0, count) }
    return dx
  }
}

class GlobalAvgPool1D implements FastLayer {
  weightSizes: number[] = []
  weightShapes: number[][] = []
  firstWeight = 0
  offset = 0
  outShape: number[]
  constructor(private readonly inShape: number[]) {
    this.outShape = [inShape[1]]
  }
  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const [L, C] = this.inShape
    const out = heap.alloc([n, C])
    const xv = heap.view(x)
    const ov = heap.view(out)
    for (let b = 0; b < n; b++) {
      for (let c = 0; c < C; c++) {
        let s = 0
        for (let p = 0; p < L; p++) s += xv[(b * L + p) * C + c]
        ov[b * C + c] = s / L
      }
    }
    return out
  }
  backward(ctx: Ctx, dy: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const [L, C] = this.inShape
    const dx = heap.alloc([n, L, C])
    const dxv = heap.view(dx)
    const dyv = heap.view(dy)
    for (let b = 0; b < n; b++) for (let p = 0; p < L; p++) for (let c = 0; c < C; c++) dxv[(b * L + p) * C + c] = dyv[b * C + c] / L
    return dx
  }
}

class Dropout implements FastLayer {
  weightSizes: number[] = []
  weightShapes: number[][] = []
  firstWeight = 0
  offset = 0
  outShape: number[]
  private mask = new Float32Array(0)
  private active = false
  constructor(
    inShape: number[],
    private readonly rate: number,
    private readonly index: number,
  ) {
    this.outShape = inShape
  }
  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    this.active = ctx.training && this.rate > 0
    if (!this.active) return x
    const { heap, n } = ctx
    const size = n * prod(this.outShape)
    if (this.mask.length !== size) this.mask = new Float32Array(size)
    // tfjs: keep where u + keepProb >= 1, scaled by 1 / keepProb.
    const keep = 1 - this.rate
    const rand = dropoutRng(ctx.seed, this.index)
    const out = heap.alloc([n, ...this.outShape])
    const xv = heap.view(x)
    const ov = heap.view(out)
    for (let i = 0; i < size; i++) {
      const m = Math.floor(rand() + keep) / keep
      this.mask[i] = m
      ov[i] = xv[i] * m
    }
    return out
  }
  backward(ctx: Ctx, dy: TensorInfo): TensorInfo {
    if (!this.active) return dy
    const v = ctx.heap.view(dy)
    for (let i = 0; i < v.length; i++) v[i] *= this.mask[i]
    return dy
  }
}

class Reshape implements FastLayer {
  weightSizes: number[] = []
  weightShapes: number[][] = []
  firstWeight = 0
  offset = 0
  constructor(
    private readonly inShape: number[],
    readonly outShape: number[],
  ) {}
  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    return ctx.heap.reshape(x, [ctx.n, ...this.outShape])
  }
  backward(ctx: Ctx, dy: TensorInfo): TensorInfo {
    return ctx.heap.reshape(dy, [ctx.n, ...this.inShape])
  }
}

class ActivationLayer implements FastLayer {
  weightSizes: number[] = []
  weightShapes: number[][] = []
  firstWeight = 0
  offset = 0
  outShape: number[]
  private y!: TensorInfo
  constructor(
    inShape: number[],
    private readonly activation: Activation,
  ) {
    this.outShape = inShape
  }
  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    const y = ctx.heap.alloc([ctx.n, ...this.outShape])
    const v = ctx.heap.view(y)
    v.set(ctx.heap.view(x))
    applyActivation(this.activation, v, this.outShape[this.outShape.length - 1])
    this.y = y
    return y
  }
  backward(ctx: Ctx, dy: TensorInfo): TensorInfo {
    activationGrad(this.activation, ctx.heap.view(this.y), ctx.heap.view(dy), this.outShape[this.outShape.length - 1])
    return dy
  }
}

/** Dense on the last axis: [n, D] or [n, T, D] -> [n, (T,) U]. */
class Dense implements FastLayer {
  weightSizes: number[]
  weightShapes: number[][]
  firstWeight = 0
  offset = 0
  outShape: number[]
  private x!: TensorInfo
  private y!: TensorInfo

  constructor(
    private readonly inShape: number[],
    private readonly units: number,
    private readonly activation: Activation,
    private readonly useBias: boolean,
  ) {
    const D = inShape[inShape.length - 1]
    this.outShape = [...inShape.slice(0, -1), units]
    this.weightShapes = useBias ? [[D, units], [units]] : [[D, units]]
    this.weightSizes = this.weightShapes.map(prod)
  }

  private get rowsPerSample(): number {
    return prod(this.inShape.slice(0, -1))
  }

  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const D = this.inShape[this.inShape.length - 1]
    const U = this.units
    const R = n * this.rowsPerSample
    this.x = x
    if (R * D * U <= SMALL_MATMUL) {
      // A few thousand multiply-adds: cheaper in JavaScript than a kernel call (and XNNPACK
      // operator set-up) per product.
      const y = heap.alloc([n, ...this.outShape])
      const yv = heap.view(y)
      const xv = heap.view(x)
      const wv = heap.view(ctx.w[this.firstWeight])
      const bv = this.useBias ? heap.view(ctx.w[this.firstWeight + 1]) : null
      for (let r = 0; r < R; r++) {
        for (let u = 0; u < U; u++) {
          let acc = bv ? bv[u] : 0
          for (let d = 0; d < D; d++) acc += xv[r * D + d] * wv[d * U + u]
          yv[r * U + u] = acc
        }
      }
      applyActivation(this.activation, yv, U)
      this.y = y
      return y
    }
    if (this.large) {
      // y^T = W^T x^T: the big matrix is the (unpacked) left operand; see `large`.
      const w = ctx.w[this.firstWeight]
      const wt = heap.transpose2d(w, D, U)
      const xt = heap.transpose2d(x, R, D)
      const yt = heap.matMul(wt, xt, U, D, R)
      heap.free(wt)
      heap.free(xt)
      const y = heap.transpose2d(yt, U, R)
      heap.free(yt)
      const yv = heap.view(y)
      if (this.useBias) {
        const bv = heap.view(ctx.w[this.firstWeight + 1])
        for (let i = 0; i < yv.length; i += U) for (let u = 0; u < U; u++) yv[i + u] += bv[u]
      }
      applyActivation(this.activation, yv, U)
      this.y = heap.reshape(y, [n, ...this.outShape])
      return this.y
    }
    const fused = FUSABLE.has(this.activation)
    const y = heap.run(
      '_FusedMatMul',
      { a: heap.reshape(x, [1, R, D]), b: heap.reshape(ctx.w[this.firstWeight], [1, D, U]), bias: this.useBias ? ctx.w[this.firstWeight + 1] : undefined },
      { transposeA: false, transposeB: false, activation: fused ? this.activation : 'linear', leakyreluAlpha: 0 },
    )
    if (!fused) applyActivation(this.activation, heap.view(y), U)
    this.y = heap.reshape(y, [n, ...this.outShape])
    return this.y
  }

  /**
   * XNNPACK packs a matmul's right operand into its own layout whenever that tensor is new,
   * as the weights are on every step: ~36 ns per element, 1.7 s for DeepSEA's 50880 x 925
   * kernel against 0.04 s for the product itself. Big kernels therefore go on the left
   * (unpacked) side: y^T = W^T x^T and dx^T = W dz^T, which costs a transpose instead.
   */
  private get large(): boolean {
    return this.weightSizes[0] >= 1 << 20
  }

  backward(ctx: Ctx, dy: TensorInfo, needDx: boolean): TensorInfo | null {
    const { heap, n } = ctx
    const D = this.inShape[this.inShape.length - 1]
    const U = this.units
    const R = n * this.rowsPerSample
    activationGrad(this.activation, heap.view(this.y), heap.view(dy), U)
    if (R * D * U <= SMALL_MATMUL) {
      const dz = heap.view(dy)
      const xv = heap.view(this.x)
      if (ctx.grads) {
        const dw = new Float64Array(D * U)
        for (let r = 0; r < R; r++) for (let d = 0; d < D; d++) for (let u = 0; u < U; u++) dw[d * U + u] += xv[r * D + d] * dz[r * U + u]
        writeGrad(ctx, this.offset, Float32Array.from(dw))
        if (this.useBias) {
          const db = new Float64Array(U)
          for (let i = 0; i < dz.length; i += U) for (let u = 0; u < U; u++) db[u] += dz[i + u]
          writeGrad(ctx, this.offset + this.weightSizes[0], Float32Array.from(db))
        }
      }
      if (!needDx) return null
      const dx = heap.alloc([n, ...this.inShape])
      const dxv = heap.view(dx)
      const dzv = heap.view(dy)
      const wv2 = heap.view(ctx.w[this.firstWeight])
      for (let r = 0; r < R; r++) {
        for (let d = 0; d < D; d++) {
          let acc = 0
          for (let u = 0; u < U; u++) acc += dzv[r * U + u] * wv2[d * U + u]
          dxv[r * D + d] = acc
        }
      }
      return dx
    }
    if (ctx.grads) {
      const xt = heap.transpose2d(this.x, R, D)
      const dw = heap.matMul(xt, dy, D, R, U)
      writeGrad(ctx, this.offset, heap.view(dw))
      heap.free(xt)
      heap.free(dw)
      if (this.useBias) {
        const dz = heap.view(dy)
        const db = new Float64Array(U)
        for (let i = 0; i < dz.length; i += U) for (let u = 0; u < U; u++) db[u] += dz[i + u]
        writeGrad(ctx, this.offset + this.weightSizes[0], Float32Array.from(db))
      }
    }
    if (!needDx) return null
    if (this.large) {
      const dyt = heap.transpose2d(dy, R, U)
      const dxt = heap.matMul(ctx.w[this.firstWeight], dyt, D, U, R)
      heap.free(dyt)
      const dx = heap.transpose2d(dxt, D, R)
      heap.free(dxt)
      return heap.reshape(dx, [n, ...this.inShape])
    }
    const wt = heap.transpose2d(ctx.w[this.firstWeight], D, U)
    const dx = heap.matMul(dy, wt, R, U, D)
    heap.free(wt)
    return heap.reshape(dx, [n, ...this.inShape])
  }
}

/**
 * One direction of an LSTM over [n, T, D], tfjs/Keras semantics: z = x W + h U + b split in
 * gates (i, f, c, o); i, f, o = recurrentActivation; c' = f c + i tanh(z_c); h = o tanh(c').
 * `reverse` walks time backwards (the backward half of a Bidirectional); outputs are stored
 * at their original time index either way.
 */
class LstmDirection {
  private Z = new Float32Array(0) // pre-activations, by processing step [T][n][4U]
  private G = new Float32Array(0) // activated gates i, f, g, o
  private Cs = new Float32Array(0) // cell states [T+1][n][U]
  private Hs = new Float32Array(0) // hidden states [T+1][n][U]
  private TC = new Float32Array(0) // tanh(c) [T][n][U]
  private x!: TensorInfo

  constructor(
    private readonly T: number,
    private readonly D: number,
    private readonly U: number,
    private readonly hard: boolean,
    private readonly useBias: boolean,
    private readonly reverse: boolean,
  ) {}

  private gateGrad(z: number, g: number): number {
    if (this.hard) {
      const v = 0.2 * z + 0.5
      return v >= 0 && v <= 1 ? 0.2 : 0 // clipByValue passes gradients at the bounds
    }
    return g * (1 - g)
  }

  /** Runs the recurrence; writes h_t into `out` (row stride `outStride`, column `outCol`). */
  forward(ctx: Ctx, x: TensorInfo, w: TensorInfo, u: TensorInfo, b: TensorInfo | undefined, sink: (step: number, t: number, h: Float32Array) => void): void {
    const { heap, n } = ctx
    const { T, D, U } = this
    const G4 = 4 * U
    this.x = x
    const xw = heap.run(
      '_FusedMatMul',
      { a: heap.reshape(x, [1, n * T, D]), b: heap.reshape(w, [1, D, G4]), bias: b },
      { transposeA: false, transposeB: false, activation: 'linear', leakyreluAlpha: 0 },
    )
    const size = T * n * G4
    if (this.Z.length !== size) {
      this.Z = new Float32Array(size)
      this.G = new Float32Array(size)
      this.Cs = new Float32Array((T + 1) * n * U)
      this.Hs = new Float32Array((T + 1) * n * U)
      this.TC = new Float32Array(T * n * U)
    }
    const { Z, G, Cs, Hs, TC } = this
    Cs.fill(0, 0, n * U)
    Hs.fill(0, 0, n * U)
    const h = new Float32Array(n * U)
    const hard = this.hard
    // Reused inputs (XNNPACK caches by weight tensor, so overwriting an input is fine).
    const hPrev = heap.alloc([n, U])
    const twoC = heap.alloc([n, U])
    for (let step = 0; step < T; step++) {
      const t = this.reverse ? T - 1 - step : step
      heap.view(hPrev).set(Hs.subarray(step * n * U, (step + 1) * n * U))
      // z = x W + b (precomputed) + h U; the gates' logistic sigmoids and the candidate's
      // tanh(z) = 2 sigmoid(2z) - 1 in one vectorised Sigmoid kernel over all 4U columns.
      const r = heap.matMul(hPrev, u, n, U, G4)
      const rv = heap.view(r)
      const xv = heap.view(xw)
      for (let bi = 0; bi < n; bi++) {
        const zo = (step * n + bi) * G4
        const xo = (bi * T + t) * G4
        const ro = bi * G4
        for (let j = 0; j < G4; j++) {
          const z = xv[xo + j] + rv[ro + j]
          Z[zo + j] = z
          rv[ro + j] = j >= 2 * U && j < 3 * U ? 2 * z : z
        }
      }
      const sg = heap.run('Sigmoid', { x: r }, {})
      const sv = heap.view(sg)
      const cv = heap.view(twoC)
      for (let bi = 0; bi < n; bi++) {
        const zo = (step * n + bi) * G4
        const so = bi * G4
        const co = (step * n + bi) * U
        for (let k = 0; k < U; k++) {
          let gi: number, gf: number, go: number
          if (hard) {
            gi = Math.min(1, Math.max(0, 0.2 * Z[zo + k] + 0.5))
            gf = Math.min(1, Math.max(0, 0.2 * Z[zo + U + k] + 0.5))
            go = Math.min(1, Math.max(0, 0.2 * Z[zo + 3 * U + k] + 0.5))
          } else {
            gi = sv[so + k]
            gf = sv[so + U + k]
            go = sv[so + 3 * U + k]
          }
          const gc = 2 * sv[so + 2 * U + k] - 1
          G[zo + k] = gi
          G[zo + U + k] = gf
          G[zo + 2 * U + k] = gc
          G[zo + 3 * U + k] = go
          const c = gf * Cs[co + k] + gi * gc
          Cs[co + n * U + k] = c
          cv[bi * U + k] = 2 * c
        }
      }
      const tcs = heap.run('Sigmoid', { x: twoC }, {})
      const tv = heap.view(tcs)
      for (let bi = 0; bi < n; bi++) {
        const zo = (step * n + bi) * G4
        const co = (step * n + bi) * U
        for (let k = 0; k < U; k++) {
          const tc = 2 * tv[bi * U + k] - 1
          TC[co + k] = tc
          const hv = G[zo + 3 * U + k] * tc
          Hs[co + n * U + k] = hv
          h[bi * U + k] = hv
        }
      }
      heap.free(r)
      heap.free(sg)
      heap.free(tcs)
      sink(step, t, h)
    }
    heap.free(hPrev)
    heap.free(twoC)
    heap.free(xw)
  }

  /**
   * `dh(step, t)` gives dL/dh_t from above (or null). Writes dW, dU, db at `offset`; returns
   * dL/dx [n, T, D] when asked.
   */
  backward(ctx: Ctx, w: TensorInfo, u: TensorInfo, offset: number, dhAbove: (step: number, t: number) => Float32Array | null, needDx: boolean): TensorInfo | null {
    const { heap, n } = ctx
    const { T, D, U, Z, G, Cs, TC } = this
    const G4 = 4 * U
    const dZ = heap.alloc([n * T, G4]) // rows b*T + t, like x
    const uT = heap.transpose2d(u, U, G4) // [4U, U]
    const dzIn = heap.alloc([n, G4])
    const dhNext = new Float32Array(n * U)
    const dcNext = new Float32Array(n * U)
    const dzStep = new Float32Array(n * G4)
    for (let step = T - 1; step >= 0; step--) {
      const t = this.reverse ? T - 1 - step : step
      const above = dhAbove(step, t)
      for (let bi = 0; bi < n; bi++) {
        const zo = (step * n + bi) * G4
        const co = (step * n + bi) * U
        for (let k = 0; k < U; k++) {
          const dh = (above ? above[bi * U + k] : 0) + dhNext[bi * U + k]
          const gi = G[zo + k]
          const gf = G[zo + U + k]
          const gc = G[zo + 2 * U + k]
          const go = G[zo + 3 * U + k]
          const tc = TC[co + k]
          const dc = dh * go * (1 - tc * tc) + dcNext[bi * U + k]
          dcNext[bi * U + k] = dc * gf
          const so = bi * G4
          dzStep[so + k] = dc * gc * this.gateGrad(Z[zo + k], gi)
          dzStep[so + U + k] = dc * Cs[co + k] * this.gateGrad(Z[zo + U + k], gf)
          dzStep[so + 2 * U + k] = dc * gi * (1 - gc * gc)
          dzStep[so + 3 * U + k] = dh * tc * this.gateGrad(Z[zo + 3 * U + k], go)
        }
      }
      const dzv = heap.view(dZ)
      for (let bi = 0; bi < n; bi++) dzv.set(dzStep.subarray(bi * G4, (bi + 1) * G4), (bi * T + t) * G4)
      if (step > 0) {
        heap.view(dzIn).set(dzStep)
        const dh = heap.matMul(dzIn, uT, n, G4, U)
        dhNext.set(heap.view(dh))
        heap.free(dh)
      }
    }
    heap.free(uT)
    heap.free(dzIn)
    if (ctx.grads) {
      // dW = x^T dZ, dU = h_{t-1}^T dZ, db = column sums of dZ (rows in x's b*T + t order).
      const xt = heap.transpose2d(this.x, n * T, D)
      const dw = heap.matMul(xt, dZ, D, n * T, G4)
      writeGrad(ctx, offset, heap.view(dw))
      heap.free(xt)
      heap.free(dw)
      const hPrevT = heap.alloc([U, n * T])
      const hv = heap.view(hPrevT)
      const Hs = this.Hs
      for (let step = 0; step < T; step++) {
        const t = this.reverse ? T - 1 - step : step
        for (let bi = 0; bi < n; bi++) {
          const ho = (step * n + bi) * U
          for (let k = 0; k < U; k++) hv[k * n * T + bi * T + t] = Hs[ho + k]
        }
      }
      const du = heap.matMul(hPrevT, dZ, U, n * T, G4)
      writeGrad(ctx, offset + D * G4, heap.view(du))
      heap.free(hPrevT)
      heap.free(du)
      if (this.useBias) {
        const dzv = heap.view(dZ)
        const db = new Float64Array(G4)
        for (let i = 0; i < dzv.length; i += G4) for (let j = 0; j < G4; j++) db[j] += dzv[i + j]
        writeGrad(ctx, offset + D * G4 + U * G4, Float32Array.from(db))
      }
    }
    let dx: TensorInfo | null = null
    if (needDx) {
      const wt = heap.transpose2d(w, D, G4)
      dx = heap.reshape(heap.matMul(dZ, wt, n * T, G4, D), [n, T, D])
      heap.free(wt)
    }
    heap.free(dZ)
    return dx
  }
}

/** Largest SimpleRNN (weights per step, D * U + U * U) run here; bigger ones go through tfjs. */
const SIMPLE_RNN_MAX_WEIGHTS = 1 << 14

/**
 * SimpleRNN: h_t = act(x_t W + h_{t-1} R + b), h_0 = 0, as tfjs-layers computes it. The
 * lecture's toys are one or two units over 100 steps, where kernel calls would cost far more
 * than the arithmetic, so forward and backward (through time) are JavaScript loops.
 */
class SimpleRnn implements FastLayer {
  weightSizes: number[]
  weightShapes: number[][]
  firstWeight = 0
  offset = 0
  outShape: number[]
  private xs = new Float32Array(0) // this call's input [n, T, D]
  private hs = new Float32Array(0) // hidden states [n, T, U]

  constructor(
    private readonly inShape: number[],
    private readonly units: number,
    private readonly activation: Activation,
    private readonly useBias: boolean,
    private readonly returnSequences: boolean,
  ) {
    const [T, D] = inShape
    this.weightShapes = useBias ? [[D, units], [units, units], [units]] : [[D, units], [units, units]]
    this.weightSizes = this.weightShapes.map(prod)
    this.outShape = returnSequences ? [T, units] : [units]
  }

  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const [T, D] = this.inShape
    const U = this.units
    const W = heap.view(ctx.w[this.firstWeight])
    const R = heap.view(ctx.w[this.firstWeight + 1])
    const bias = this.useBias ? heap.view(ctx.w[this.firstWeight + 2]) : null
    const xs = heap.view(x).slice(0, n * T * D)
    const hs = new Float32Array(n * T * U)
    for (let b = 0; b < n; b++) {
      for (let t = 0; t < T; t++) {
        const row = (b * T + t) * U
        for (let u = 0; u < U; u++) hs[row + u] = bias ? bias[u] : 0
        for (let d = 0, xo = (b * T + t) * D; d < D; d++) {
          const v = xs[xo + d]
          if (v !== 0) for (let u = 0; u < U; u++) hs[row + u] += v * W[d * U + u]
        }
        if (t > 0) {
          for (let k = 0, ho = row - U; k < U; k++) {
            const h = hs[ho + k]
            for (let u = 0; u < U; u++) hs[row + u] += h * R[k * U + u]
          }
        }
        applyActivation(this.activation, hs.subarray(row, row + U), U)
      }
    }
    this.xs = xs
    this.hs = hs
    const out = heap.alloc([n, ...this.outShape])
    const ov = heap.view(out)
    if (this.returnSequences) ov.set(hs)
    else for (let b = 0; b < n; b++) ov.set(hs.subarray(((b + 1) * T - 1) * U, (b + 1) * T * U), b * U)
    return out
  }

  backward(ctx: Ctx, dy: TensorInfo, needDx: boolean): TensorInfo | null {
    const { heap, n } = ctx
    const [T, D] = this.inShape
    const U = this.units
    const dx = needDx ? heap.zeros([n, T, D]) : null
    // Views after the allocation (it may grow the memory).
    const dxv = dx ? heap.view(dx) : null
    const dyv = heap.view(dy)
    const W = heap.view(ctx.w[this.firstWeight])
    const R = heap.view(ctx.w[this.firstWeight + 1])
    const { xs, hs } = this
    const dW = new Float64Array(D * U)
    const dR = new Float64Array(U * U)
    const db = new Float64Array(U)
    const dh = new Float64Array(U) // dL/dh_t from later steps
    const dz = new Float32Array(U)
    for (let b = 0; b < n; b++) {
      dh.fill(0)
      for (let t = T - 1; t >= 0; t--) {
        const row = (b * T + t) * U
        for (let u = 0; u < U; u++) {
          const g = this.returnSequences ? dyv[row + u] : t === T - 1 ? dyv[b * U + u] : 0
          dz[u] = dh[u] + g
        }
        activationGrad(this.activation, hs.subarray(row, row + U), dz, U)
        for (let u = 0; u < U; u++) db[u] += dz[u]
        const xo = (b * T + t) * D
        for (let d = 0; d < D; d++) {
          const v = xs[xo + d]
          if (v !== 0) for (let u = 0; u < U; u++) dW[d * U + u] += v * dz[u]
          if (dxv) {
            let sum = 0
            for (let u = 0; u < U; u++) sum += W[d * U + u] * dz[u]
            dxv[xo + d] = sum
          }
        }
        if (t === 0) continue
        for (let k = 0, ho = row - U; k < U; k++) {
          const h = hs[ho + k]
          let sum = 0
          for (let u = 0; u < U; u++) {
            dR[k * U + u] += h * dz[u]
            sum += R[k * U + u] * dz[u]
          }
          dh[k] = sum
        }
      }
    }
    writeGrad(ctx, this.offset, Float32Array.from(dW))
    writeGrad(ctx, this.offset + D * U, Float32Array.from(dR))
    if (this.useBias) writeGrad(ctx, this.offset + D * U + U * U, Float32Array.from(db))
    return dx
  }
}

type Merge = 'concat' | 'sum' | 'ave' | 'mul'

/** LSTM, or Bidirectional(LSTM) when `merge` is set. */
class Lstm implements FastLayer {
  weightSizes: number[]
  weightShapes: number[][]
  firstWeight = 0
  offset = 0
  outShape: number[]
  private readonly dirs: LstmDirection[]
  private outs: Float32Array[] = [] // per direction, [n, T or 1, U] outputs (for 'mul')

  constructor(
    private readonly inShape: number[],
    private readonly units: number,
    private readonly returnSequences: boolean,
    hard: boolean,
    private readonly useBias: boolean,
    private readonly merge: Merge | null,
  ) {
    const [T, D] = inShape
    const U = units
    const one = useBias ? [[D, 4 * U], [U, 4 * U], [4 * U]] : [[D, 4 * U], [U, 4 * U]]
    this.weightShapes = merge ? [...one, ...one] : one
    this.weightSizes = this.weightShapes.map(prod)
    this.dirs = merge ? [new LstmDirection(T, D, U, hard, useBias, false), new LstmDirection(T, D, U, hard, useBias, true)] : [new LstmDirection(T, D, U, hard, useBias, false)]
    const width = merge === 'concat' ? 2 * U : U
    this.outShape = returnSequences ? [T, width] : [width]
  }

  private per(): number {
    return this.useBias ? 3 : 2
  }

  forward(ctx: Ctx, x: TensorInfo): TensorInfo {
    const { heap, n } = ctx
    const [T] = this.inShape
    const U = this.units
    const steps = this.returnSequences ? T : 1
    this.outs = this.dirs.map(() => new Float32Array(n * steps * U))
    this.dirs.forEach((dir, d) => {
      const i = this.firstWeight + d * this.per()
      const buf = this.outs[d]
      dir.forward(ctx, x, ctx.w[i], ctx.w[i + 1], this.useBias ? ctx.w[i + 2] : undefined, (step, t, h) => {
        if (this.returnSequences) for (let b = 0; b < n; b++) buf.set(h.subarray(b * U, (b + 1) * U), (b * T + t) * U)
        else if (step === T - 1) buf.set(h)
      })
    })
    const width = this.outShape[this.outShape.length - 1]
    const out = heap.alloc([n, ...this.outShape])
    const ov = heap.view(out)
    const [a, b] = this.outs
    const rows = n * steps
    if (!this.merge) ov.set(a)
    else if (this.merge === 'concat') {
      for (let r = 0; r < rows; r++) {
        ov.set(a.subarray(r * U, (r + 1) * U), r * width)
        ov.set(b.subarray(r * U, (r + 1) * U), r * width + U)
      }
    } else {
      for (let i = 0; i < a.length; i++) ov[i] = this.merge === 'sum' ? a[i] + b[i] : this.merge === 'ave' ? (a[i] + b[i]) / 2 : a[i] * b[i]
    }
    return out
  }

  backward(ctx: Ctx, dy: TensorInfo, needDx: boolean): TensorInfo | null {
    const { heap, n } = ctx
    const [T] = this.inShape
    const U = this.units
    const steps = this.returnSequences ? T : 1
    const width = this.outShape[this.outShape.length - 1]
    const dyv = heap.view(dy)
    // Split the merged gradient into each direction's dL/dh, [n, steps, U].
    const dOut = this.dirs.map((_, d) => {
      const g = new Float32Array(n * steps * U)
      const other = this.outs[1 - d]
      for (let r = 0; r < n * steps; r++) {
        for (let k = 0; k < U; k++) {
          const i = r * U + k
          if (!this.merge) g[i] = dyv[i]
          else if (this.merge === 'concat') g[i] = dyv[r * width + d * U + k]
          else if (this.merge === 'sum') g[i] = dyv[i]
          else if (this.merge === 'ave') g[i] = dyv[i] / 2
          else g[i] = dyv[i] * other[i]
        }
      }
      return g
    })
    let dx: TensorInfo | null = null
    const row = new Float32Array(n * U)
    this.dirs.forEach((dir, d) => {
      const i = this.firstWeight + d * this.per()
      const off = this.offset + d * this.weightSizes.slice(0, this.per()).reduce((a, b) => a + b, 0)
      const g = dOut[d]
      const dxd = dir.backward(
        ctx,
        ctx.w[i],
        ctx.w[i + 1],
        off,
        (step, t) => {
          if (this.returnSequences) {
            for (let b = 0; b < n; b++) row.set(g.subarray((b * T + t) * U, (b * T + t + 1) * U), b * U)
            return row
          }
          return step === T - 1 ? g : null
        },
        needDx,
      )
      if (dxd) {
        if (!dx) dx = dxd
        else {
          const a = heap.view(dx)
          const b = heap.view(dxd)
          for (let k = 0; k < a.length; k++) a[k] += b[k]
          heap.free(dxd)
        }
      }
    })
    return dx
  }
}

// ---------------------------------------------------------------------------------------------
// Compilation from the Keras-style JSON (snake_case config keys, as model.toJSON gives them)

type Cfg = Record<string, unknown>

class Unsupported extends Error {}

function activationOf(cfg: Cfg, key = 'activation'): Activation {
  const a = (cfg[key] ?? 'linear') as string
  if (!ACTIVATIONS.has(a)) throw new Unsupported(`activation '${a}'`)
  return a as Activation
}

function rejectExtras(name: string, cfg: Cfg): void {
  for (const k of ['kernel_regularizer', 'bias_regularizer', 'activity_regularizer', 'recurrent_regularizer', 'kernel_constraint', 'bias_constraint', 'recurrent_constraint']) {
    if (cfg[k] != null) throw new Unsupported(`${name} with ${k}`)
  }
  if (cfg.trainable === false) throw new Unsupported(`frozen layer ${name}`)
}

function one(v: unknown): number {
  return Array.isArray(v) ? Number(v[0]) : Number(v)
}

function buildLayer(className: string, cfg: Cfg, inShape: number[], index: number): FastLayer {
  const name = String(cfg.name ?? className)
  rejectExtras(name, cfg)
  switch (className) {
    case 'Conv1D': {
      if (inShape.length !== 2) throw new Unsupported(`${name}: input rank ${inShape.length + 1}`)
      if (one(cfg.dilation_rate ?? 1) !== 1) throw new Unsupported(`${name}: dilation`)
      if (cfg.padding !== 'valid' && cfg.padding !== 'same') throw new Unsupported(`${name}: padding '${String(cfg.padding)}'`)
      if ((cfg.data_format ?? 'channels_last') !== 'channels_last') throw new Unsupported(`${name}: channels_first`)
      if (cfg.activation === 'softmax') throw new Unsupported(`${name}: softmax over filters`)
      return new Conv1D(inShape, Number(cfg.filters), one(cfg.kernel_size), one(cfg.strides ?? 1), cfg.padding as 'valid' | 'same', activationOf(cfg), cfg.use_bias !== false)
    }
    case 'MaxPooling1D': {
      if (cfg.padding !== 'valid' && cfg.padding !== 'same') throw new Unsupported(`${name}: padding '${String(cfg.padding)}'`)
      const pool = one(cfg.pool_size ?? 2)
      return new MaxPool1D(inShape, pool, cfg.strides == null ? pool : one(cfg.strides), cfg.padding as 'valid' | 'same', false)
    }
    case 'GlobalMaxPooling1D':
      return new MaxPool1D(inShape, 0, 0, 'valid', true)
    case 'GlobalAveragePooling1D':
      return new GlobalAvgPool1D(inShape)
    case 'Dropout':
      if (cfg.noise_shape != null) throw new Unsupported(`${name}: noise_shape`)
      return new Dropout(inShape, Number(cfg.rate ?? 0), index)
    case 'Flatten':
      return new Reshape(inShape, [prod(inShape)])
    case 'Activation':
      return new ActivationLayer(inShape, activationOf(cfg))
    case 'Dense':
      if (inShape.length > 2) throw new Unsupported(`${name}: input rank ${inShape.length + 1}`)
      return new Dense(inShape, Number(cfg.units), activationOf(cfg), cfg.use_bias !== false)
    case 'MotifLensBidirectionalLSTM': {
      // src/main/models/bilstm.ts: Keras Bidirectional(LSTM(sigmoid gates), concat), same weights.
      if (inShape.length !== 2) throw new Unsupported(`${name}: input rank ${inShape.length + 1}`)
      const seqs = cfg.return_sequences ?? cfg.returnSequences ?? true
      return new Lstm(inShape, Number(cfg.units), Boolean(seqs), false, true, 'concat')
    }
    case 'SimpleRNN': {
      if (inShape.length !== 2) throw new Unsupported(`${name}: input rank ${inShape.length + 1}`)
      for (const k of ['dropout', 'recurrent_dropout']) if (Number(cfg[k] ?? 0) !== 0) throw new Unsupported(`${name}: ${k}`)
      for (const k of ['stateful', 'go_backwards', 'return_state']) if (cfg[k]) throw new Unsupported(`${name}: ${k}`)
      const units = Number(cfg.units)
      if ((inShape[1] + units) * units > SIMPLE_RNN_MAX_WEIGHTS) throw new Unsupported(`${name}: ${units} units (large SimpleRNNs train faster through tfjs)`)
      return new SimpleRnn(inShape, units, activationOf(cfg), cfg.use_bias !== false, Boolean(cfg.return_sequences))
    }
    case 'LSTM':
    case 'Bidirectional': {
      let lstm = cfg
      let merge: Merge | null = null
      if (className === 'Bidirectional') {
        const inner = cfg.layer as { class_name: string; config: Cfg }
        if (inner?.class_name !== 'LSTM') throw new Unsupported(`${name}: Bidirectional(${inner?.class_name})`)
        lstm = inner.config
        rejectExtras(name, lstm)
        merge = (cfg.merge_mode ?? 'concat') as Merge
        if (!['concat', 'sum', 'ave', 'mul'].includes(merge)) throw new Unsupported(`${name}: merge_mode ${String(merge)}`)
      }
      if (inShape.length !== 2) throw new Unsupported(`${name}: input rank ${inShape.length + 1}`)
      if (activationOf(lstm) !== 'tanh') throw new Unsupported(`${name}: activation '${String(lstm.activation)}'`)
      const rec = String(lstm.recurrent_activation ?? 'hard_sigmoid')
      const hard = rec === 'hard_sigmoid' || rec === 'hardSigmoid' || rec === 'hardsigmoid'
      if (!hard && rec !== 'sigmoid') throw new Unsupported(`${name}: recurrent_activation '${rec}'`)
      for (const k of ['dropout', 'recurrent_dropout']) if (Number(lstm[k] ?? 0) !== 0) throw new Unsupported(`${name}: ${k}`)
      for (const k of ['stateful', 'go_backwards', 'return_state']) if (lstm[k]) throw new Unsupported(`${name}: ${k}`)
      return new Lstm(inShape, Number(lstm.units), Boolean(lstm.return_sequences), hard, lstm.use_bias !== false, merge)
    }
    default:
      throw new Unsupported(`layer type ${className}`)
  }
}

export interface FastModel {
  readonly inputShape: number[]
  readonly outputShape: number[]
  /** Element count and shape of each weight array (model.getWeights() order); all trainable. */
  readonly weightSizes: number[]
  readonly weightShapes: number[][]
  /**
   * Loss of the first n rows and its gradient (both multiplied by `scale`), in training mode.
   * `weights` is the flat weight vector; the gradient is written to `grads` (same layout).
   */
  lossAndGradients(x: Float32Array, y: Float32Array, n: number, weights: Float32Array, grads: Float32Array, loss: LossSpec, scale: number, seed: number): number
  /** Inference-mode outputs of the first n rows into `out`. */
  predict(x: Float32Array, n: number, weights: Float32Array, out: Float32Array): void
}

/** Compile a model's JSON, or say why the fast path cannot run it. */
export function compileFastModel(json: ModelJson): { model: FastModel } | { unsupported: string } {
  try {
    return { model: compile(typeof json === 'string' ? (JSON.parse(json) as Cfg) : (json as Cfg)) }
  } catch (e) {
    if (e instanceof Unsupported) return { unsupported: e.message }
    throw e
  }
}

function compile(json: Cfg): FastModel {
  const top = (json.model_config ?? json) as Cfg
  if (top.class_name !== 'Sequential') throw new Unsupported(`model class ${String(top.class_name)}`)
  const config = top.config as Cfg | Cfg[]
  const layerCfgs = (Array.isArray(config) ? config : (config.layers as Cfg[])) as { class_name: string; config: Cfg }[]
  const entries = layerCfgs.filter((l) => l.class_name !== 'InputLayer')
  const first = layerCfgs[0].config
  const batchShape = (first.batch_input_shape ?? first.batchInputShape) as (number | null)[] | undefined
  if (!batchShape) throw new Unsupported('no input shape')
  const inputShape = batchShape.slice(1).map(Number)
  if (inputShape.some((d) => !Number.isInteger(d) || d < 1)) throw new Unsupported('variable input length')
  const layers: FastLayer[] = []
  let shape = inputShape
  let weightIndex = 0
  let offset = 0
  entries.forEach((l, i) => {
    const layer = buildLayer(l.class_name, l.config, shape, i)
    layer.firstWeight = weightIndex
    layer.offset = offset
    weightIndex += layer.weightSizes.length
    offset += layer.weightSizes.reduce((a, b) => a + b, 0)
    layers.push(layer)
    shape = layer.outShape
  })
  if (layers[0] instanceof Conv1D) layers[0].isFirst = true
  const outputShape = shape
  const weightSizes = layers.flatMap((l) => l.weightSizes)
  const weightShapes = layers.flatMap((l) => l.weightShapes)
  const inSize = prod(inputShape)
  const outSize = prod(outputShape)

  const begin = (n: number, weights: Float32Array, training: boolean, grads: Float32Array | null, seed: number): Ctx => {
    const heap = WasmHeap.forActiveBackend()
    // New tensors for the weights on every call: XNNPACK caches packed weights per tensor.
    let off = 0
    const w = weightShapes.map((s, i) => {
      const t = heap.upload(weights.subarray(off, off + weightSizes[i]), s)
      off += weightSizes[i]
      return t
    })
    return { heap, n, training, w, grads, seed }
  }

  const forward = (ctx: Ctx, x: Float32Array): TensorInfo => {
    let h = ctx.heap.upload(x.subarray(0, ctx.n * inSize), [ctx.n, ...inputShape])
    for (const layer of layers) {
      const t0 = PROFILE ? cpuNow() : 0
      h = layer.forward(ctx, h)
      if (PROFILE) PROFILE[`${layer.constructor.name} fwd`] = (PROFILE[`${layer.constructor.name} fwd`] ?? 0) + cpuNow() - t0
    }
    return h
  }

  return {
    inputShape,
    outputShape,
    weightSizes,
    weightShapes,
    lossAndGradients(x, y, n, weights, grads, loss, scale, seed) {
      const ctx = begin(n, weights, true, grads, seed)
      try {
        const out = forward(ctx, x)
        const dOut = ctx.heap.alloc([n, ...outputShape])
        const value = lossAndGrad(loss, ctx.heap.view(out), y, ctx.heap.view(dOut), n, outSize, scale)
        let g: TensorInfo | null = dOut
        for (let i = layers.length - 1; i >= 0 && g; i--) {
          const t0 = PROFILE ? cpuNow() : 0
          g = layers[i].backward(ctx, g, i > 0)
          if (PROFILE) PROFILE[`${layers[i].constructor.name} bwd`] = (PROFILE[`${layers[i].constructor.name} bwd`] ?? 0) + cpuNow() - t0
        }
        return value
      } finally {
        ctx.heap.freeAll()
      }
    },
    predict(x, n, weights, out) {
      const ctx = begin(n, weights, false, null, 0)
      try {
        out.set(ctx.heap.view(forward(ctx, x)).subarray(0, n * outSize))
      } finally {
        ctx.heap.freeAll()
      }
    },
  }
}

/** The loss of predictions p against labels y (train/losses.ts formulas) and dL/dp, times scale. */
export function lossAndGrad(spec: LossSpec, p: Float32Array, y: ArrayLike<number>, dp: Float32Array, n: number, outSize: number, scale: number): number {
  const eps = LOSS_EPSILON
  const w = spec.classWeights ?? null
  const size = n * outSize
  let sum = 0
  if (spec.name === 'mse') {
    for (let i = 0; i < size; i++) {
      const d = p[i] - y[i]
      sum += d * d
      dp[i] = (scale * 2 * d) / size
    }
    return (scale * sum) / size
  }
  const T = outSize
  if (spec.name === 'categorical-crossentropy') {
    for (let i = 0; i < size; i++) {
      const wk = w ? w.pos[i % T] : 1
      const inside = p[i] >= eps && p[i] <= 1 - eps
      const pc = Math.min(Math.max(p[i], eps), 1 - eps)
      sum -= wk * y[i] * Math.log(pc)
      dp[i] = inside ? (-scale * wk * y[i]) / pc / n : 0
    }
    return (scale * sum) / n
  }
  for (let i = 0; i < size; i++) {
    const wp = w ? w.pos[i % T] : 1
    const wn = w ? w.neg[i % T] : 1
    const inside = p[i] >= eps && p[i] <= 1 - eps
    const pc = Math.min(Math.max(p[i], eps), 1 - eps)
    sum -= wp * y[i] * Math.log(pc) + wn * (1 - y[i]) * Math.log(1 - pc)
    dp[i] = inside ? (-scale * (wp * y[i] / pc - (wn * (1 - y[i])) / (1 - pc))) / size : 0
  }
  return (scale * sum) / size
}
