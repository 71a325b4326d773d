/**
 * Tensors that live below the tfjs engine, directly in the wasm backend's memory: the fast
 * path allocates, fills and frees them itself and calls the backend's kernels on them without
 * the engine's per-op bookkeeping (tape, scopes, Tensor objects), which costs ~10-40 us per op
 * against ~2 us for a direct kernel call.
 *
 * Views (Float32Array over wasm memory) are invalidated whenever wasm memory grows, which any
 * allocation or kernel call may do: take views after allocating, never hold one across a call.
 */
import * as tf from '@tensorflow/tfjs-core'
import type { TensorInfo } from '@tensorflow/tfjs-core'
import type { WasmMemory } from './wasm-asm.js'
import type { WasmBackend } from './wasm-fast-kernels.js'

export class WasmHeap {
  private readonly owned = new Map<object, TensorInfo>()
  private readonly kernels = new Map<string, tf.KernelConfig>()

  constructor(readonly backend: WasmBackend) {}

  static forActiveBackend(): WasmHeap {
    if (tf.getBackend() !== 'wasm') throw new Error(`the fast path needs the wasm backend, not '${tf.getBackend()}'`)
    return new WasmHeap(tf.backend() as unknown as WasmBackend)
  }

  /** Take ownership of a tensor a kernel returned (multi-output kernels called directly). */
  adopt(t: TensorInfo): TensorInfo {
    this.owned.set(t.dataId, t)
    return t
  }

  /** A new float32 tensor (contents undefined until written). */
  alloc(shape: number[]): TensorInfo {
    const t = this.backend.makeOutput(shape, 'float32')
    this.owned.set(t.dataId, t)
    return t
  }

  zeros(shape: number[]): TensorInfo {
    const t = this.alloc(shape)
    this.view(t).fill(0)
    return t
  }

  upload(values: ArrayLike<number>, shape: number[]): TensorInfo {
    const t = this.alloc(shape)
    this.view(t).set(values as Float32Array)
    return t
  }

  /** The same data seen with another shape (no copy; freed with the original). */
  reshape(t: TensorInfo, shape: number[]): TensorInfo {
    return { dataId: t.dataId, shape, dtype: t.dtype }
  }

  /** Whether the backend exposes its memory, so kernels of our own (wasm-onehot.ts) can run on it. */
  get hasMemory(): boolean {
    return this.backend.wasm?.asm?.memory != null
  }

  /** The backend's wasm memory, for kernels of our own (wasm-onehot.ts) that import it. */
  get memory(): WasmMemory {
    if (!this.hasMemory) throw new Error('the wasm backend does not expose its memory')
    return this.backend.wasm.asm.memory
  }

  /** Byte address of a tensor's data in `memory`. */
  pointer(t: TensorInfo): number {
    const entry = this.backend.dataIdMap.get(t.dataId)
    if (!entry) throw new Error('tensor is not on the wasm heap')
    return entry.memoryOffset
  }

  view(t: TensorInfo): Float32Array {
    return this.backend.typedArrayFromHeap(t) as Float32Array
  }

  /** Run a registered wasm kernel; its output is owned here. */
  run(name: string, inputs: Record<string, TensorInfo | undefined>, attrs: Record<string, unknown>): TensorInfo {
    let k = this.kernels.get(name)
    if (!k) {
      k = tf.getKernel(name, 'wasm')
      if (!k) throw new Error(`wasm kernel '${name}' is not registered`)
      this.kernels.set(name, k)
    }
    const clean: Record<string, TensorInfo> = {}
    for (const [key, v] of Object.entries(inputs)) if (v) clean[key] = v
    const out = k.kernelFunc({ inputs: clean, attrs: attrs as never, backend: this.backend as never }) as TensorInfo
    this.owned.set(out.dataId, out)
    return out
  }

  /** [rows, inner] x [inner, cols] through XNNPACK (operands given as 2D). */
  matMul(a: TensorInfo, b: TensorInfo, rows: number, inner: number, cols: number): TensorInfo {
    const out = this.run('BatchMatMul', { a: this.reshape(a, [1, rows, inner]), b: this.reshape(b, [1, inner, cols]) }, { transposeA: false, transposeB: false })
    return this.reshape(out, [rows, cols])
  }

  /** 2D transpose [rows, cols] -> [cols, rows]. */
  transpose2d(t: TensorInfo, rows: number, cols: number): TensorInfo {
    return this.run('Transpose', { x: this.reshape(t, [rows, cols]) }, { perm: [1, 0] })
  }

  free(t: TensorInfo): void {
    if (this.owned.delete(t.dataId)) this.backend.disposeData(t.dataId)
  }

  freeAll(): void {
    for (const t of this.owned.values()) this.backend.disposeData(t.dataId)
    this.owned.clear()
  }

  get liveCount(): number {
    return this.owned.size
  }
}
