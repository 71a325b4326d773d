/**
 * The pieces of one training step that every trainer shares: rebuilding a model from its
 * JSON, the loss functions, and the gradient computation. Runs on whatever backend is active.
 *
 * Tensor conventions: x is `[n, ...inputShape]` (one-hot DNA: `[n, length, letters]`),
 * y is `[n, ...outputShape]`, both row-major Float32Arrays; losses are averaged over the
 * batch like Keras' compiled losses.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { LOSS_EPSILON, lossFunction as trainingLoss, type ClassWeights, type LossName } from '../train/losses.js'

export type { LossName }
export { LOSS_EPSILON }

/** The loss as data, so it can cross to worker threads; the function is train/losses.ts's. */
export interface LossSpec {
  name: LossName
  classWeights?: ClassWeights | null
}

export function lossFunction(spec: LossSpec): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar {
  if (spec.name !== 'binary-crossentropy' && spec.name !== 'categorical-crossentropy' && spec.name !== 'mse') {
    throw new Error(`unknown loss '${String(spec.name)}'; expected binary-crossentropy, categorical-crossentropy or mse`)
  }
  return trainingLoss(spec.name, spec.classWeights ?? null) as (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar
}

/** A model's JSON as `model.toJSON(null, false)` gives it, or the string form. */
export type ModelJson = string | Record<string, unknown>

/**
 * Replace every `*_initializer` in a Keras-style config by zeros: the weights are set right
 * after building, and some initialisers are slow (orthogonal runs a QR decomposition that
 * takes minutes at DanQ size).
 */
function zeroInitializers(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(zeroInitializers)
  if (node && typeof node === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, v] of Object.entries(node)) {
      out[k] = k.endsWith('_initializer') && v && typeof v === 'object' ? { class_name: 'Zeros', config: {} } : zeroInitializers(v)
    }
    return out
  }
  return node
}

/** Rebuild a model from its JSON and give it `weights` (in `model.getWeights()` order). */
export async function modelFromJson(json: ModelJson, weights?: ArrayLike<number>[]): Promise<tfl.LayersModel> {
  const topology = zeroInitializers(typeof json === 'string' ? JSON.parse(json) : json) as tf.io.ModelJSON['modelTopology']
  const model = await tfl.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON)
  if (weights) setModelWeights(model, weights)
  return model
}

export function setModelWeights(model: tfl.LayersModel, weights: ArrayLike<number>[]): void {
  const current = model.weights
  if (weights.length !== current.length) throw new Error(`model has ${current.length} weight arrays, got ${weights.length}`)
  tf.tidy(() => {
    model.setWeights(current.map((w, i) => tf.tensor(weights[i] as Float32Array, w.shape as number[], 'float32')))
  })
}

/** Per-sample size of the model's (single) input and output. */
export function ioSizes(model: tfl.LayersModel): { inputShape: number[]; outputShape: number[] } {
  const shape = (s: (number | null)[]) => s.slice(1).map((d) => d ?? 0)
  return { inputShape: shape(model.inputs[0].shape), outputShape: shape(model.outputs[0].shape) }
}

/** The tf.Variable behind each trainable weight, in `model.trainableWeights` order. */
export function trainableVariables(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read())
}

/**
 * Loss of a batch and its gradients, both multiplied by `scale` (a worker with n_i of a
 * batch's n rows uses n_i / n, so the workers' gradients sum to the full-batch gradient).
 * Runs the model in training mode (dropout on). Regularisation penalties are included.
 */
export function lossAndGradients(
  model: tfl.LayersModel,
  loss: (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Scalar,
  x: tf.Tensor,
  y: tf.Tensor,
  scale = 1,
): { loss: number; grads: tf.Tensor[] } {
  const vars = trainableVariables(model)
  const { value, grads } = tf.variableGrads(() => {
    const pred = model.apply(x, { training: true }) as tf.Tensor
    let total: tf.Tensor = loss(y, pred)
    for (const r of (model as unknown as { calculateLosses(): tf.Scalar[] }).calculateLosses()) total = tf.add(total, r)
    return (scale === 1 ? total : tf.mul(total, scale)) as tf.Scalar
  }, vars)
  const lossValue = value.dataSync()[0]
  value.dispose()
  return { loss: lossValue, grads: vars.map((v) => grads[v.name]) }
}
