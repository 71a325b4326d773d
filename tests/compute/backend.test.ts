import { createRequire } from 'node:module'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import util from 'node:util'
import { describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import {
  describeBackendAvailability,
  initBackend,
  installNodeUtilShim,
  wasmDistDir,
} from '../../src/main/compute/backend.js'
import { UserError } from '../../src/main/errors.js'

/** Whether tfjs-node's native addon loads here, found independently of backend.ts. */
function nativeLoads(): boolean {
  try {
    installNodeUtilShim()
    createRequire(import.meta.url)('@tensorflow/tfjs-node')
    return true
  } catch {
    return false
  }
}

describe('initBackend', () => {
  const native = nativeLoads()

  it("'auto' picks native TensorFlow when its addon loads, else wasm and says why", async () => {
    const info = await initBackend('auto')
    expect(tf.getBackend()).toBe(info.name)
    if (native) {
      expect(info.name).toBe('tensorflow')
      expect(info.fallbackReason).toBeUndefined()
    } else {
      expect(info.name).toBe('wasm')
      expect(info.detail).toBe('wasm (SIMD, 1 thread)')
      expect(info.threads).toBe(1)
      expect(info.fallbackReason).toMatch(/^libtensorflow unavailable \(.*tfjs-node: native addon missing\)$/)
    }
  })

  it('is idempotent and can switch between started backends', async () => {
    const a = await initBackend('wasm')
    const b = await initBackend('wasm')
    expect(b).toBe(a)
    expect(tf.getBackend()).toBe('wasm')
    const c = await initBackend('cpu')
    expect(c).toEqual({ name: 'cpu', detail: 'cpu (pure JavaScript)', threads: 1 })
    expect(tf.getBackend()).toBe('cpu')
    await initBackend('wasm')
    expect(tf.getBackend()).toBe('wasm')
  })

  it("'tensorflow' is a user error when libtensorflow is missing", async () => {
    if (native) {
      expect((await initBackend('tensorflow')).name).toBe('tensorflow')
      return
    }
    const err = await initBackend('tensorflow').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UserError)
    expect((err as Error).message).toMatch(/^backend 'tensorflow' is unavailable: .*; reinstall with 'npm rebuild @tensorflow\/tfjs-node' \(needs network\) or choose --backend wasm$/)
  })

  it('the one-line install message matches what initBackend does', () => {
    expect(describeBackendAvailability()).toBe(
      native ? `libtensorflow available: training will use tfjs-node (${os.availableParallelism()} threads)` : 'libtensorflow unavailable: training will use the WebAssembly backend',
    )
  })

  it('finds the wasm binaries in the installed package', () => {
    const dir = wasmDistDir()
    expect(fs.existsSync(path.join(dir, 'tfjs-backend-wasm-simd.wasm'))).toBe(true)
    expect(fs.existsSync(path.join(dir, 'tfjs-backend-wasm.wasm'))).toBe(true)
  })

  it('restores util.isNullOrUndefined for tfjs-node on Node >= 23', () => {
    const u = util as unknown as Record<string, unknown>
    const saved = u.isNullOrUndefined
    try {
      delete u.isNullOrUndefined
      installNodeUtilShim()
      const f = u.isNullOrUndefined as (v: unknown) => boolean
      expect([f(null), f(undefined), f(0), f('')]).toEqual([true, true, false, false])
    } finally {
      u.isNullOrUndefined = saved
    }
  })
})
