/** The JavaScript optimizer updates (used by the parallel trainer) follow tfjs' optimizers. */
import { describe, expect, it, beforeAll } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import { initBackend } from '../../src/main/compute/backend.js'
import { applyUpdate, makeTfOptimizer, optimizerSlots, resolveOptimizer, type OptimizerConfig } from '../../src/main/compute/optimizers.js'
import { relativeError, seededFloats } from './helpers.js'

const configs: OptimizerConfig[] = [
  { name: 'sgd', learningRate: 0.1 },
  { name: 'momentum', learningRate: 0.05, momentum: 0.9 },
  { name: 'momentum', learningRate: 0.05, momentum: 0.8, useNesterov: true },
  { name: 'adam' },
  { name: 'adam', learningRate: 0.01, beta1: 0.8, beta2: 0.99, epsilon: 1e-4 },
  { name: 'rmsprop', learningRate: 0.01 },
  { name: 'rmsprop', learningRate: 0.01, momentum: 0.5, centered: true },
]

describe('JS optimizer updates', () => {
  beforeAll(async () => {
    await initBackend('cpu')
  })

  for (const c of configs) {
    it(`${JSON.stringify(c)} matches tfjs over 5 steps (split into two slices)`, () => {
      const n = 50
      const w0 = seededFloats(n, 1)
      const grads = Array.from({ length: 5 }, (_, s) => seededFloats(n, 10 + s))
      // tfjs
      const v = tf.variable(tf.tensor1d(w0), true, `w_${Math.random()}`)
      const opt = makeTfOptimizer(c)
      for (const g of grads) tf.tidy(() => opt.applyGradients({ [v.name]: tf.tensor1d(g) }))
      const expected = v.dataSync()
      // JS, updating [0, 20) and [20, 50) separately as two workers would
      const w = w0.slice()
      const slots = Array.from({ length: optimizerSlots(c) }, () => new Float32Array(n))
      const r = resolveOptimizer(c)
      grads.forEach((g, s) => {
        applyUpdate(r, s + 1, w, g, slots, 0, 20)
        applyUpdate(r, s + 1, w, g, slots, 20, n)
      })
      expect(relativeError(w, expected)).toBeLessThan(1e-5)
      expect(relativeError(w, w0)).toBeGreaterThan(1e-3)
      opt.dispose()
      v.dispose()
    })
  }
})
