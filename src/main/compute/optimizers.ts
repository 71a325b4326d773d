/**
 * Optimizer configs shared by every trainer, and a plain-JavaScript implementation of the
 * same update rules as tfjs' tf.train.{sgd, momentum, adam, rmsprop}, for the data-parallel
 * trainer: there the weights and optimizer state live once in shared memory and each worker
 * updates its own slice of the flat parameter vector, instead of every worker running the
 * same ~10 tfjs ops per variable. Updates are computed in double precision and stored as
 * float32 (tfjs rounds after every op; the difference is ~1e-7 relative per step).
 */
import * as tf from '@tensorflow/tfjs-core'

export type OptimizerConfig =
  | { name: 'sgd'; learningRate: number }
  | { name: 'momentum'; learningRate: number; momentum: number; useNesterov?: boolean }
  | { name: 'adam'; learningRate?: number; beta1?: number; beta2?: number; epsilon?: number }
  | { name: 'rmsprop'; learningRate: number; decay?: number; momentum?: number; epsilon?: number; centered?: boolean }

/** tfjs' default epsilon for float32 backends (ENGINE.backend.epsilon()). */
export const FLOAT32_EPSILON = 1e-7

/** Every field filled in, with tfjs' defaults. */
export function resolveOptimizer(c: OptimizerConfig): Required<OptimizerConfig> {
  switch (c.name) {
    case 'sgd':
      return { name: 'sgd', learningRate: c.learningRate }
    case 'momentum':
      return { name: 'momentum', learningRate: c.learningRate, momentum: c.momentum, useNesterov: c.useNesterov ?? false }
    case 'adam':
      return { name: 'adam', learningRate: c.learningRate ?? 0.001, beta1: c.beta1 ?? 0.9, beta2: c.beta2 ?? 0.999, epsilon: c.epsilon ?? FLOAT32_EPSILON }
    case 'rmsprop':
      return {
        name: 'rmsprop',
        learningRate: c.learningRate,
        decay: c.decay ?? 0.9,
        momentum: c.momentum ?? 0,
        epsilon: c.epsilon ?? FLOAT32_EPSILON,
        centered: c.centered ?? false,
      }
  }
}

/** The equivalent tfjs optimizer (for in-process training and for tests). */
export function makeTfOptimizer(c: OptimizerConfig): tf.Optimizer {
  const r = resolveOptimizer(c)
  switch (r.name) {
    case 'sgd':
      return tf.train.sgd(r.learningRate)
    case 'momentum':
      return tf.train.momentum(r.learningRate, r.momentum, r.useNesterov)
    case 'adam':
      return tf.train.adam(r.learningRate, r.beta1, r.beta2, r.epsilon)
    case 'rmsprop':
      return tf.train.rmsprop(r.learningRate, r.decay, r.momentum, r.epsilon, r.centered)
  }
}

/** Number of per-parameter state arrays each optimizer keeps. */
export function optimizerSlots(c: OptimizerConfig): number {
  switch (c.name) {
    case 'sgd':
      return 0
    case 'momentum':
      return 1
    case 'adam':
      return 2
    case 'rmsprop':
      return c.centered ? 3 : 2
  }
}

/**
 * One update of w[lo, hi) from gradient g, tfjs' formulas exactly. `step` counts from 1
 * (Adam's bias correction uses beta^step). `slots` are zero-initialised state arrays.
 */
export function applyUpdate(
  c: Required<OptimizerConfig>,
  step: number,
  w: Float32Array,
  g: Float32Array,
  slots: Float32Array[],
  lo = 0,
  hi = w.length,
): void {
  switch (c.name) {
    case 'sgd': {
      const lr = c.learningRate
      for (let i = lo; i < hi; i++) w[i] = w[i] - lr * g[i]
      return
    }
    case 'momentum': {
      // tfjs: acc = m*acc + g; w -= lr*acc (nesterov: w -= lr*(g + m*acc)).
      const [acc] = slots
      const { learningRate: lr, momentum: m, useNesterov } = c
      for (let i = lo; i < hi; i++) {
        const a = m * acc[i] + g[i]
        acc[i] = a
        w[i] = w[i] - lr * (useNesterov ? g[i] + m * a : a)
      }
      return
    }
    case 'adam': {
      const [m, v] = slots
      const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps } = c
      const c1 = 1 - Math.pow(b1, step)
      const c2 = 1 - Math.pow(b2, step)
      for (let i = lo; i < hi; i++) {
        const gi = g[i]
        const mi = b1 * m[i] + (1 - b1) * gi
        const vi = b2 * v[i] + (1 - b2) * gi * gi
        m[i] = mi
        v[i] = vi
        w[i] = w[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps)
      }
      return
    }
    case 'rmsprop': {
      const { learningRate: lr, decay: d, momentum: mom, epsilon: eps, centered } = c
      const [ms, mo, mg] = slots
      for (let i = lo; i < hi; i++) {
        const gi = g[i]
        const s = d * ms[i] + (1 - d) * gi * gi
        ms[i] = s
        let denom: number
        if (centered) {
          const a = d * mg[i] + (1 - d) * gi
          mg[i] = a
          denom = Math.sqrt(s - (a * a + eps))
        } else {
          denom = Math.sqrt(s + eps)
        }
        const moment = mom * mo[i] + (lr * gi) / denom
        mo[i] = moment
        w[i] = w[i] - moment
      }
      return
    }
  }
}

/** Completed steps and per-parameter slots, each the trainable weights concatenated. */
export interface OptimizerState {
  step: number
  slots: Float32Array[]
}

/** tfjs' slot-name suffixes, in the order its getWeights() lists them. */
const SLOT_SUFFIXES: Record<OptimizerConfig['name'], string[]> = { sgd: [], momentum: ['momentum'], adam: ['m', 'v'], rmsprop: ['rms', 'momentum', 'mg'] }

const sizeOf = (shape: number[]) => shape.reduce((a, b) => a * b, 1)

/** Read a tfjs optimizer's state (zeros where it has not stepped yet). */
export async function optimizerStateFromTf(optimizer: tf.Optimizer, c: OptimizerConfig, shapes: number[][]): Promise<OptimizerState> {
  const named = await optimizer.getWeights()
  const step = named.length ? Number(named[0].tensor.dataSync()[0]) : 0
  const total = shapes.reduce((a, s) => a + sizeOf(s), 0)
  const rest = named.slice(1)
  const slots = Array.from({ length: optimizerSlots(c) }, (_, k) => {
    const out = new Float32Array(total)
    const parts = rest.slice(k * shapes.length, (k + 1) * shapes.length)
    if (parts.length === shapes.length) {
      let off = 0
      for (const p of parts) {
        const v = p.tensor.dataSync() as Float32Array
        out.set(v, off)
        off += v.length
      }
    }
    return out
  })
  return { step, slots }
}

/** Give a tfjs optimizer this state (for checkpoints written from it). */
export async function optimizerStateToTf(optimizer: tf.Optimizer, c: OptimizerConfig, state: OptimizerState, shapes: number[][], names: string[]): Promise<void> {
  const named: { name: string; tensor: tf.Tensor }[] = [{ name: 'iter', tensor: tf.scalar(state.step, 'int32') }]
  state.slots.forEach((flat, k) => {
    let off = 0
    shapes.forEach((shape, i) => {
      const size = sizeOf(shape)
      named.push({ name: `${names[i]}/${SLOT_SUFFIXES[c.name][k]}`, tensor: tf.tensor(flat.slice(off, off + size), shape) })
      off += size
    })
  })
  await optimizer.setWeights(named)
  tf.dispose(named.map((n) => n.tensor))
}
