/** Optimizers by name, and the learning-rate schedule (step decay). */
import * as tf from '@tensorflow/tfjs-core'

export type OptimizerName = 'sgd' | 'adam' | 'rmsprop'

export interface OptimizerSettings {
  optimizer: OptimizerName
  learningRate: number
  /** SGD momentum (0 = plain SGD). */
  momentum: number
  nesterov: boolean
}

export function makeOptimizer(s: OptimizerSettings): tf.Optimizer {
  switch (s.optimizer) {
    case 'sgd':
      return s.momentum > 0 || s.nesterov ? tf.train.momentum(s.learningRate, s.momentum, s.nesterov) : tf.train.sgd(s.learningRate)
    case 'adam':
      return tf.train.adam(s.learningRate)
    case 'rmsprop':
      return tf.train.rmsprop(s.learningRate)
  }
}

/** Change an optimizer's learning rate in place (tfjs reads it on every update). */
export function setLearningRate(optimizer: tf.Optimizer, lr: number): void {
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate: number }
  if (typeof o.setLearningRate === 'function') o.setLearningRate(lr)
  o.learningRate = lr
}

/** Step decay: the rate is multiplied by `factor` every `every` epochs (epoch is 0-based). */
export function learningRateAt(base: number, epoch: number, decay: { every: number; factor: number } | null): number {
  if (!decay || decay.every < 1) return base
  return base * decay.factor ** Math.floor(epoch / decay.every)
}
