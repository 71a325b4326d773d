/**
 * Chooses and starts the TensorFlow.js compute backend for this process.
 *
 * Order for 'auto': native TensorFlow through @tensorflow/tfjs-node-gpu (opt-in, CUDA), then
 * @tensorflow/tfjs-node (CPU libtensorflow, downloaded by its install script), then the
 * WebAssembly backend (binaries ship inside the npm package, so it always works offline), and
 * the pure-JavaScript `cpu` backend only when WebAssembly cannot start. The same models and
 * saved runs work on every backend; only speed differs.
 */
import { createRequire } from 'node:module'
import os from 'node:os'
import path from 'node:path'
import util from 'node:util'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm'
import { UserError } from '../errors.js'
import './chained-ops.js'
// tfjs-layers' CommonJS bundle is what registers the gradient functions of every core op.
import '@tensorflow/tfjs-layers'
import { registerWasmTrainingKernels } from './wasm-conv-grad.js'
import { registerWasmFastKernels } from './wasm-fast-kernels.js'

export type BackendName = 'tensorflow' | 'wasm' | 'cpu'
export type BackendPreference = 'auto' | BackendName

export interface BackendInfo {
  name: BackendName
  /** e.g. 'tfjs-node-gpu (CUDA)', 'tfjs-node', 'wasm (SIMD, 1 thread)', 'cpu (pure JavaScript)' */
  detail: string
  /** Threads one training step can use. */
  threads: number
  /** Why a faster backend was not used (only for 'auto'). */
  fallbackReason?: string
}

const nodeRequire = createRequire(import.meta.url)

/** One initialisation per preference; tfjs keeps every started backend registered. */
const started = new Map<BackendPreference, Promise<BackendInfo>>()

/** Native-module probe results, shared by initBackend and describeBackendAvailability. */
let nativeProbe: { name: 'tfjs-node-gpu' | 'tfjs-node'; error?: undefined } | { name?: undefined; error: string } | undefined

/**
 * Start (once) and activate the preferred backend. 'auto' falls back silently and says why
 * in `fallbackReason`; naming a backend that cannot start is the user's error.
 */
export async function initBackend(prefer: BackendPreference = 'auto'): Promise<BackendInfo> {
  let p = started.get(prefer)
  if (!p) {
    p = start(prefer)
    started.set(prefer, p)
    p.catch(() => started.delete(prefer))
  }
  const info = await p
  // Idempotent but also switchable: another preference may have activated a different backend since.
  if (tf.getBackend() !== info.name) await tf.setBackend(info.name)
  return info
}

async function start(prefer: BackendPreference): Promise<BackendInfo> {
  if (prefer === 'auto' || prefer === 'tensorflow') {
    const native = loadNative()
    if (native.name) {
      await activate('tensorflow')
      return {
        name: 'tensorflow',
        detail: native.name === 'tfjs-node-gpu' ? 'tfjs-node-gpu (CUDA)' : 'tfjs-node',
        threads: availableThreads(),
      }
    }
    if (prefer === 'tensorflow') {
      throw new UserError(
        `backend 'tensorflow' is unavailable: ${native.error}; reinstall with 'npm rebuild @tensorflow/tfjs-node' (needs network) or choose --backend wasm`,
      )
    }
  }
  const nativeReason = prefer === 'auto' ? `libtensorflow unavailable (${loadNative().error})` : undefined
  if (prefer === 'auto' || prefer === 'wasm') {
    try {
      const info = await startWasm()
      return nativeReason ? { ...info, fallbackReason: nativeReason } : info
    } catch (e) {
      if (prefer === 'wasm') {
        throw new UserError(`backend 'wasm' failed to start: ${errorText(e)}; choose --backend cpu`)
      }
      await activate('cpu')
      return { ...cpuInfo(), fallbackReason: `${nativeReason}; WebAssembly failed to start (${errorText(e)})` }
    }
  }
  await activate('cpu')
  return cpuInfo()
}

async function startWasm(): Promise<BackendInfo> {
  // Resolve the .wasm binaries from the installed package, not relative to this file: that
  // works from source (tsx, vitest) and from a bundled out/ folder alike.
  setWasmPaths(wasmDistDir() + path.sep)
  registerWasmTrainingKernels()
  registerWasmFastKernels()
  await activate('wasm')
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')
  // tfjs turns wasm threads off under Node (no Worker-backed pthreads there), so one thread.
  const backend = tf.backend() as unknown as { wasm?: { tfjs?: { getThreadsCount?: () => number } } }
  const threads = backend.wasm?.tfjs?.getThreadsCount?.() ?? 1
  return { name: 'wasm', detail: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`, threads }
}

/** Folder holding tfjs-backend-wasm's .wasm files (the package's dist/). */
export function wasmDistDir(): string {
  return path.dirname(nodeRequire.resolve('@tensorflow/tfjs-backend-wasm'))
}

function cpuInfo(): BackendInfo {
  return { name: 'cpu', detail: 'cpu (pure JavaScript)', threads: 1 }
}

async function activate(name: BackendName): Promise<void> {
  const ok = await tf.setBackend(name)
  if (!ok) throw new Error(`tf.setBackend('${name}') failed`)
  await tf.ready()
}

/**
 * Try the native TensorFlow bindings once: the GPU package first (only installed by
 * `motiflens setup gpu`), then the CPU one. Requiring them registers the 'tensorflow' backend.
 */
function loadNative(): NonNullable<typeof nativeProbe> {
  if (nativeProbe) return nativeProbe
  installNodeUtilShim()
  const errors: string[] = []
  for (const name of ['tfjs-node-gpu', 'tfjs-node'] as const) {
    try {
      nodeRequire(`@tensorflow/${name}`)
      if (tf.findBackend('tensorflow') || tf.engine().registryFactory.tensorflow) {
        nativeProbe = { name }
        return nativeProbe
      }
      errors.push(`${name}: loaded but registered no 'tensorflow' backend`)
    } catch (e) {
      const msg = errorText(e)
      if (/Cannot find module '@tensorflow\/tfjs-node(-gpu)?'/.test(msg)) errors.push(`${name}: not installed`)
      else errors.push(`${name}: ${msg.includes('tfjs_binding.node') ? 'native addon missing' : msg.split('\n')[0]}`)
    }
  }
  nativeProbe = { error: errors.join(', ') }
  return nativeProbe
}

/**
 * tfjs-node 4.22 calls util.isNullOrUndefined, which Node 23 removed; put it back before
 * the bindings load (they read it at call time, so this must stay installed).
 */
export function installNodeUtilShim(): void {
  const u = util as unknown as Record<string, unknown>
  if (typeof u.isNullOrUndefined !== 'function') {
    u.isNullOrUndefined = (v: unknown) => v === null || v === undefined
  }
}

function availableThreads(): number {
  return typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length
}

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message
  if (e && typeof e === 'object' && 'message' in e) return String((e as { message: unknown }).message)
  return String(e)
}

/**
 * One line for the install script and `motiflens setup`: which backend training will use.
 * Loads the native bindings if present (so it registers them) but does not switch backends.
 */
export function describeBackendAvailability(): string {
  const native = loadNative()
  if (native.name === 'tfjs-node-gpu') return 'libtensorflow (GPU) available: training will use tfjs-node-gpu (CUDA)'
  if (native.name === 'tfjs-node') return `libtensorflow available: training will use tfjs-node (${availableThreads()} threads)`
  return 'libtensorflow unavailable: training will use the WebAssembly backend'
}
