/** Shared helpers for compute tests: seeded data and relative comparison. */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'

/** Deterministic uniform(-1, 1) floats (mulberry32), so every backend sees the same numbers. */
export function seededFloats(n: number, seed: number): Float32Array {
  let a = seed >>> 0
  const out = new Float32Array(n)
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1
  }
  return out
}

/** Random one-hot DNA [n, length, 4] (an A/C/G/T per position). */
export function seededOneHot(n: number, length: number, seed: number): Float32Array {
  const u = seededFloats(n * length, seed)
  const out = new Float32Array(n * length * 4)
  for (let i = 0; i < n * length; i++) out[i * 4 + Math.min(3, Math.floor((u[i] + 1) * 2))] = 1
  return out
}

/** max |a-b| / max(max|b|, tiny): one number per tensor, robust to near-zero entries. */
export function relativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`length ${a.length} != ${b.length}`)
  let diff = 0
  let scale = 1e-12
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i] - b[i]))
    scale = Math.max(scale, Math.abs(b[i]))
  }
  return diff / scale
}

export async function onBackend<T>(name: string, f: () => T | Promise<T>): Promise<T> {
  await tf.setBackend(name)
  await tf.ready()
  return f()
}

/**
 * One training-mode pass of `model` on the active backend: the mean loss, each trainable
 * weight's gradient and all weights (copies), then the model's layers are disposed.
 */
export function trainingGradients(
  model: tfl.LayersModel,
  x: tf.Tensor,
  y: tf.Tensor,
  loss: (y: tf.Tensor, p: tf.Tensor) => tf.Tensor,
): { loss: number; grads: Float32Array[]; weights: Float32Array[] } {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => tf.mean(loss(y, model.apply(x, { training: true }) as tf.Tensor)) as tf.Scalar)
    const out = {
      loss: value.dataSync()[0],
      grads: model.trainableWeights.map((w) => grads[w.originalName ?? w.name].dataSync() as Float32Array),
      weights: model.getWeights().map((w) => w.dataSync() as Float32Array),
    }
    model.layers.forEach((l) => l.dispose())
    return out
  })
}
