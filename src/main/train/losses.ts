/**
 * Training losses, as tensor functions for the gradient step and as plain-array functions
 * for validation (same formulas, so train and validation losses are comparable).
 *
 * Shapes: labels and predictions `[n, targets]`. Probabilities are clipped to
 * [1e-7, 1 - 1e-7] before the log, as Keras does.
 *
 * Class weights (for rare labels):
 * - binary cross-entropy (multi-label): positives of target t weigh `pos[t]`, negatives `neg[t]`;
 * - categorical cross-entropy (one class per row): rows of class k weigh `pos[k]`;
 * - MSE takes none.
 * 'balanced' follows scikit-learn: a class seen c times among n rows in K classes weighs
 * n / (K * c), so each class contributes equally (binary: K = 2, per target).
 */
import * as tf from '@tensorflow/tfjs-core'

export type LossName = 'binary-crossentropy' | 'categorical-crossentropy' | 'mse'

export interface ClassWeights {
  /** Weight of a positive label per target (BCE) or of each class (CCE). */
  pos: number[]
  /** Weight of a negative label per target (BCE only). */
  neg: number[]
}

/** Probabilities are clipped to [EPS, 1 - EPS] before the log, as Keras does. */
export const LOSS_EPSILON = 1e-7
const EPS = LOSS_EPSILON
/** Cap on balanced weights, so a target with 1 positive in 10^6 cannot blow the loss up. */
export const MAX_CLASS_WEIGHT = 100

export type LossFn = (yTrue: tf.Tensor2D, yPred: tf.Tensor2D) => tf.Scalar

export function lossFunction(name: LossName, weights: ClassWeights | null): LossFn {
  return (yTrue, yPred) =>
    tf.tidy(() => {
      if (name === 'mse') return tf.mean(tf.squaredDifference(yPred, yTrue))
      const p = tf.clipByValue(yPred, EPS, 1 - EPS)
      if (name === 'categorical-crossentropy') {
        let perClass = tf.mul(yTrue, tf.log(p))
        if (weights) perClass = tf.mul(perClass, tf.tensor1d(weights.pos))
        return tf.neg(tf.mean(tf.sum(perClass, -1)))
      }
      let pos = tf.mul(yTrue, tf.log(p))
      let neg = tf.mul(tf.sub(1, yTrue), tf.log(tf.sub(1, p)))
      if (weights) {
        pos = tf.mul(pos, tf.tensor1d(weights.pos))
        neg = tf.mul(neg, tf.tensor1d(weights.neg))
      }
      return tf.neg(tf.mean(tf.add(pos, neg)))
    }) as tf.Scalar
}

/** The unweighted loss of predictions against labels, both row-major `[n, targets]`. */
export function lossOfArrays(name: LossName, preds: ArrayLike<number>, labels: ArrayLike<number>, targets: number): number {
  const n = preds.length / targets
  if (n === 0) return Number.NaN
  let sum = 0
  for (let i = 0; i < preds.length; i++) {
    const y = labels[i]
    if (name === 'mse') {
      sum += (preds[i] - y) ** 2
      continue
    }
    const p = Math.min(Math.max(preds[i], EPS), 1 - EPS)
    sum -= y * Math.log(p)
    if (name === 'binary-crossentropy') sum -= (1 - y) * Math.log(1 - p)
  }
  return name === 'categorical-crossentropy' ? sum / n : sum / preds.length
}

/** Balanced class weights from the training labels (row-major `[rows.length, targets]`). */
export function balancedClassWeights(name: LossName, dataset: { label(i: number, t: number): number; targets: readonly string[] }, rows: ArrayLike<number>): ClassWeights | null {
  if (name === 'mse') return null
  const T = dataset.targets.length
  const positives = new Array<number>(T).fill(0)
  for (let k = 0; k < rows.length; k++) for (let t = 0; t < T; t++) if (dataset.label(rows[k], t) > 0.5) positives[t]++
  const n = rows.length
  const cap = (w: number) => Math.min(MAX_CLASS_WEIGHT, w)
  if (name === 'categorical-crossentropy') {
    return { pos: positives.map((c) => (c > 0 ? cap(n / (T * c)) : 1)), neg: positives.map(() => 1) }
  }
  return {
    pos: positives.map((c) => (c > 0 ? cap(n / (2 * c)) : 1)),
    neg: positives.map((c) => (n - c > 0 ? cap(n / (2 * (n - c))) : 1)),
  }
}

/**
 * 'auto' loss: categorical cross-entropy when there are several targets and every training
 * row has exactly one positive (classes); binary cross-entropy otherwise (multi-label).
 */
export function autoLoss(dataset: { label(i: number, t: number): number; targets: readonly string[] }, rows: ArrayLike<number>): LossName {
  const T = dataset.targets.length
  if (T < 2) return 'binary-crossentropy'
  for (let k = 0; k < rows.length; k++) {
    let ones = 0
    for (let t = 0; t < T; t++) if (dataset.label(rows[k], t) > 0.5) ones++
    if (ones !== 1) return 'binary-crossentropy'
  }
  return 'categorical-crossentropy'
}

export function outputActivationFor(loss: LossName): 'sigmoid' | 'softmax' | 'linear' {
  return loss === 'categorical-crossentropy' ? 'softmax' : loss === 'mse' ? 'linear' : 'sigmoid'
}
