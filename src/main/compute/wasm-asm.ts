/**
 * Just enough of a WebAssembly binary writer to build small SIMD kernels at run time, with
 * their sizes baked in as constants (so loops unroll over a layer's filters and the JIT keeps
 * the accumulators in registers). A kernel imports the memory it works on (`env.memory`) and
 * exports its functions by name. No text format, no toolchain: opcodes from the core and
 * fixed-width SIMD specifications.
 */

/** The few WebAssembly APIs used here (tsconfig.node has no DOM lib, where their types live). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer
}
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> }
  Memory: new (descriptor: { initial: number; maximum?: number }) => WasmMemory
}
export const wasmApi = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = []
  do {
    let byte = n & 0x7f
    n >>>= 7
    if (n !== 0) byte |= 0x80
    out.push(byte)
  } while (n !== 0)
  return out
}

/** Signed LEB128 (32-bit values). */
export function sleb(n: number): number[] {
  const out: number[] = []
  n |= 0
  for (;;) {
    const byte = n & 0x7f
    n >>= 7
    const done = (n === 0 && (byte & 0x40) === 0) || (n === -1 && (byte & 0x40) !== 0)
    out.push(done ? byte : byte | 0x80)
    if (done) return out
  }
}

export const I32 = 0x7f
export const F32 = 0x7d
export const V128 = 0x7b

/** Instruction bytes. Memory offsets are byte constants added to the address operand. */
export const op = {
  block: [0x02, 0x40],
  loop: [0x03, 0x40],
  if: [0x04, 0x40],
  end: [0x0b],
  br: (depth: number) => [0x0c, ...uleb(depth)],
  brIf: (depth: number) => [0x0d, ...uleb(depth)],
  return: [0x0f],
  get: (local: number) => [0x20, ...uleb(local)],
  set: (local: number) => [0x21, ...uleb(local)],
  tee: (local: number) => [0x22, ...uleb(local)],
  i32: (value: number) => [0x41, ...sleb(value)],
  i32Load: (offset = 0) => [0x28, 2, ...uleb(offset)],
  i32Load8u: (offset = 0) => [0x2d, 0, ...uleb(offset)],
  f32Load: (offset = 0) => [0x2a, 2, ...uleb(offset)],
  f32Store: (offset = 0) => [0x38, 2, ...uleb(offset)],
  f32Add: [0x92],
  i32Store: (offset = 0) => [0x36, 2, ...uleb(offset)],
  i32Eqz: [0x45],
  i32LtS: [0x48],
  i32GeS: [0x4e],
  i32Add: [0x6a],
  i32Sub: [0x6b],
  i32Mul: [0x6c],
  i32DivU: [0x6e],
  i32RemU: [0x70],
  // 0xfd-prefixed SIMD instructions (alignment hint 0: loads and stores may be unaligned)
  v128Load: (offset = 0) => [0xfd, 0x00, 0, ...uleb(offset)],
  v128Store: (offset = 0) => [0xfd, 0x0b, 0, ...uleb(offset)],
  v128Zero: [0xfd, 0x0c, ...new Array<number>(16).fill(0)],
  i32x4Splat: [0xfd, 0x11],
  f32x4Gt: [0xfd, 0x44],
  v128Bitselect: [0xfd, 0x52],
  f32x4Add: [0xfd, ...uleb(0xe4)],
  f32x4Max: [0xfd, ...uleb(0xe9)],
} as const

export interface WasmFunction {
  name: string
  params: number[]
  /** Extra locals after the parameters, by type. */
  locals: number[]
  body: number[]
}

const section = (id: number, payload: number[]) => [id, ...uleb(payload.length), ...payload]
const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()]

/** A module importing `env.memory` and exporting each function (no results). */
export function assemble(functions: WasmFunction[]): Uint8Array {
  const types = vec(functions.map((f) => [0x60, ...uleb(f.params.length), ...f.params, 0]))
  const imports = vec([[...uleb(3), ...'env'.split('').map((c) => c.charCodeAt(0)), ...uleb(6), ...'memory'.split('').map((c) => c.charCodeAt(0)), 0x02, 0x00, 1]])
  const funcs = vec(functions.map((_, i) => uleb(i)))
  const exports = vec(functions.map((f, i) => [...uleb(f.name.length), ...f.name.split('').map((c) => c.charCodeAt(0)), 0x00, ...uleb(i)]))
  const code = vec(
    functions.map((f) => {
      // Locals grouped into runs of one type.
      const runs: number[][] = []
      for (const t of f.locals) {
        const last = runs[runs.length - 1]
        if (last && last[1] === t) last[0]++
        else runs.push([1, t])
      }
      const body = [...vec(runs.map(([count, t]) => [...uleb(count), t])), ...f.body, ...op.end]
      return [...uleb(body.length), ...body]
    }),
  )
  return new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...section(1, types), ...section(2, imports), ...section(3, funcs), ...section(7, exports), ...section(10, code)])
}

/** Instantiate synchronously against a memory (modules here are a few kilobytes). */
export function instantiate(bytes: Uint8Array, memory: WasmMemory): Record<string, (...args: number[]) => void> {
  const instance = new wasmApi.Instance(new wasmApi.Module(bytes), { env: { memory } })
  return instance.exports as Record<string, (...args: number[]) => void>
}
