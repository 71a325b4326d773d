/**
 * Faster wasm versions of kernels that training leans on but tfjs-backend-wasm 4.22 runs on
 * slow generic paths (profiled on the bench workloads, batch 32, one thread):
 *
 *  - Equal with broadcasting (the gradient of max / global max-pool): 18 ms -> < 1 ms. The C++
 *    compare kernels walk broadcast indices generically; here a JavaScript loop on the wasm heap.
 *  - MaxPoolGrad: 33 ms -> ~1 ms for pool 13 over [32, 1, 482, 64]. Same rule as the cpu
 *    backend: each window's gradient goes to its first maximum (strictly greater wins).
 *  - BatchMatMul with transposeA/transposeB (every matmul gradient): the C++ kernel drops
 *    to a naive loop when an operand is transposed (9 ms vs 0.8 ms); an explicit Transpose
 *    kernel followed by the XNNPACK path is ~10x faster.
 *
 * Each override keeps the original kernel for the cases it does not cover, reads and writes
 * tensors in place on the wasm heap, and is checked against the cpu backend in
 * tests/compute/wasm-fast-kernels.test.ts.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { KernelConfig, KernelFunc, TensorInfo } from '@tensorflow/tfjs-core'
import type { WasmMemory } from './wasm-asm.js'

/** The parts of tfjs-backend-wasm's BackendWasm these kernels use. */
export interface WasmBackend {
  makeOutput(shape: number[], dtype: tf.DataType): TensorInfo
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array | Uint8Array
  disposeData(dataId: object): boolean
  /** The emscripten module: its exported memory is the heap every tensor lives in. */
  wasm: { asm: { memory: WasmMemory } }
  dataIdMap: { get(dataId: object): { memoryOffset: number } | undefined }
}

type Args = { inputs: Record<string, TensorInfo>; attrs: Record<string, unknown>; backend: WasmBackend }

/** Replace a registered wasm kernel, keeping the original (and its setup) for fallback. */
export function overrideWasmKernel(name: string, make: (original: KernelConfig) => KernelFunc): void {
  const original = tf.getKernel(name, 'wasm')
  if (!original) return
  tf.unregisterKernel(name, 'wasm')
  tf.registerKernel({ kernelName: name, backendName: 'wasm', setupFunc: original.setupFunc, kernelFunc: make(original) })
}

/** Strides of `shape` (row-major), with 0 for axes broadcast up to `outShape`. */
function broadcastStrides(shape: number[], outShape: number[]): number[] {
  const rank = outShape.length
  const padded = [...new Array(rank - shape.length).fill(1), ...shape]
  const strides = new Array<number>(rank)
  let s = 1
  for (let i = rank - 1; i >= 0; i--) {
    strides[i] = padded[i] === 1 && outShape[i] !== 1 ? 0 : s
    s *= padded[i]
  }
  return strides
}

/**
 * out[i] = a[...] === b[...] with numpy broadcasting, walking the output in order and
 * stepping both inputs' offsets like an odometer (no index division per element).
 */
function equalBroadcast(a: TensorInfo, b: TensorInfo, backend: WasmBackend): TensorInfo {
  const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape)
  const out = backend.makeOutput(outShape, 'bool')
  const size = tf.util.sizeFromShape(outShape)
  if (size === 0) return out
  // Views after makeOutput: allocating can grow (and detach) the wasm memory.
  const av = backend.typedArrayFromHeap(a)
  const bv = backend.typedArrayFromHeap(b)
  const ov = backend.typedArrayFromHeap(out)
  const rank = Math.max(outShape.length, 1)
  const shape = outShape.length ? outShape : [1]
  const sa = broadcastStrides(a.shape, shape)
  const sb = broadcastStrides(b.shape, shape)
  const inner = shape[rank - 1]
  const ia = sa[rank - 1]
  const ib = sb[rank - 1]
  const idx = new Array<number>(rank).fill(0)
  let oa = 0
  let ob = 0
  for (let o = 0; o < size; o += inner) {
    let pa = oa
    let pb = ob
    for (let j = 0; j < inner; j++, pa += ia, pb += ib) ov[o + j] = av[pa] === bv[pb] ? 1 : 0
    // Advance the outer axes.
    for (let ax = rank - 2; ax >= 0; ax--) {
      idx[ax]++
      oa += sa[ax]
      ob += sb[ax]
      if (idx[ax] < shape[ax]) break
      oa -= sa[ax] * shape[ax]
      ob -= sb[ax] * shape[ax]
      idx[ax] = 0
    }
  }
  return out
}

/** dx of max-pooling: each window sends its dy to its first maximum (as the cpu backend). */
function maxPoolGrad(args: Args): TensorInfo {
  const { inputs, attrs, backend } = args
  const { dy, input } = inputs
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize as [number, number] | number,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as 'valid',
    attrs.dimRoundingMode as 'round' | undefined,
  )
  const dx = backend.makeOutput(input.shape, 'float32')
  const xv = backend.typedArrayFromHeap(input) as Float32Array
  const dyv = backend.typedArrayFromHeap(dy) as Float32Array
  const dxv = backend.typedArrayFromHeap(dx) as Float32Array
  dxv.fill(0)
  const { batchSize, inHeight, inWidth, inChannels: C, outHeight, outWidth, strideHeight, strideWidth } = info
  const { effectiveFilterHeight: fh, effectiveFilterWidth: fw } = info
  const { top, left } = info.padInfo
  const rowStride = inWidth * C
  // Per window, scan positions in memory order with all channels innermost (contiguous).
  const best = new Float32Array(C)
  const at = new Int32Array(C)
  for (let n = 0; n < batchSize; n++) {
    const xBase = n * inHeight * rowStride
    for (let yr = 0; yr < outHeight; yr++) {
      const r0 = yr * strideHeight - top
      const rMin = Math.max(0, r0)
      const rMax = Math.min(inHeight, r0 + fh)
      for (let yc = 0; yc < outWidth; yc++) {
        const c0 = yc * strideWidth - left
        const cMin = Math.max(0, c0)
        const cMax = Math.min(inWidth, c0 + fw)
        best.fill(Number.NEGATIVE_INFINITY)
        at.fill(-1)
        for (let r = rMin; r < rMax; r++) {
          for (let c = cMin; c < cMax; c++) {
            const p = xBase + r * rowStride + c * C
            for (let d = 0; d < C; d++) {
              const v = xv[p + d]
              if (v > best[d]) {
                best[d] = v
                at[d] = p + d
              }
            }
          }
        }
        const dyBase = ((n * outHeight + yr) * outWidth + yc) * C
        for (let d = 0; d < C; d++) if (at[d] >= 0) dxv[at[d]] += dyv[dyBase + d]
      }
    }
  }
  return dx
}

function transposeLastTwo(t: TensorInfo, backend: WasmBackend): TensorInfo {
  const r = t.shape.length
  const perm = [...Array(r - 2).keys(), r - 1, r - 2]
  const k = tf.getKernel('Transpose', 'wasm')
  if (!k) throw new Error("wasm kernel 'Transpose' is not registered")
  return k.kernelFunc({ inputs: { x: t }, attrs: { perm }, backend: backend as never }) as TensorInfo
}

let registered = false

/** Install the overrides above on the wasm backend. Idempotent. */
export function registerWasmFastKernels(): void {
  if (registered) return
  registered = true

  overrideWasmKernel('Equal', (original) => (args) => {
    const { a, b } = args.inputs as Record<string, TensorInfo>
    const same = tf.util.arraysEqual(a.shape, b.shape)
    if (same || a.dtype !== b.dtype || a.dtype === 'string' || b.dtype === 'string') return original.kernelFunc(args)
    return equalBroadcast(a, b, args.backend as unknown as WasmBackend)
  })

  overrideWasmKernel('MaxPoolGrad', (original) => (args) => {
    const { input, dy } = args.inputs as Record<string, TensorInfo>
    if (input.dtype !== 'float32' || dy.dtype !== 'float32') return original.kernelFunc(args)
    return maxPoolGrad(args as unknown as Args)
  })

  overrideWasmKernel('BatchMatMul', (original) => (args) => {
    const { a, b } = args.inputs as Record<string, TensorInfo>
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean }
    if (!transposeA && !transposeB) return original.kernelFunc(args)
    const backend = args.backend as unknown as WasmBackend
    const at = transposeA ? transposeLastTwo(a, backend) : a
    const bt = transposeB ? transposeLastTwo(b, backend) : b
    try {
      return original.kernelFunc({ ...args, inputs: { a: at, b: bt }, attrs: { ...args.attrs, transposeA: false, transposeB: false } })
    } finally {
      if (at !== a) backend.disposeData(at.dataId)
      if (bt !== b) backend.disposeData(bt.dataId)
    }
  })
}
