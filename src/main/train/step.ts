/**
 * One gradient step on one batch, behind a small interface so the training loop does not
 * care how the step is computed: the default runs in-process on the active backend
 * (tf.variableGrads + optimizer.applyGradients); a data-parallel implementation (several
 * wasm workers each taking part of the batch) can plug in through `TrainOptions.stepFactory`.
 *
 * Contract: `step` updates the model's weights (and the optimizer's state) in place and
 * resolves to the batch's mean training loss. `seed` fixes the dropout masks of this step,
 * so a run is reproducible and a resumed run repeats exactly what the first one would do.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { Batch } from '../data/types.js'
import type { ClassWeights, LossFn, LossName } from './losses.js'
import { mixSeed } from '../models/random.js'

export interface StepContext {
  model: tfl.LayersModel
  optimizer: tf.Optimizer
  loss: LossFn
  /** Input shape `[length, letters]` and number of targets. */
  length: number
  letters: number
  targets: number
  /** The loss as data, for steps that compute it elsewhere (worker threads cannot receive `loss`). */
  lossSpec?: { name: LossName; classWeights: ClassWeights | null }
}

export interface TrainStep {
  step(batch: Batch, seed: number): Promise<number>
  /** Called when the weights were changed outside the step (checkpoint restore). */
  weightsChanged?(): Promise<void>
  dispose(): void
}

export type TrainStepFactory = (ctx: StepContext) => TrainStep | Promise<TrainStep>

/**
 * Give every Dropout layer a seed for this step (tfjs' Dropout draws its mask from its
 * `seed` field; unset, it draws from Math.random). `null` clears them again.
 */
export function setDropoutSeeds(model: tfl.LayersModel, seed: number | null): void {
  model.layers.forEach((layer, i) => {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed?: number }).seed = seed === null ? undefined : mixSeed(seed, i)
  })
}

export function createLocalStep(ctx: StepContext): TrainStep {
  const { model, optimizer, loss } = ctx
  return {
    async step(batch: Batch, seed: number): Promise<number> {
      const vars = model.trainableWeights.map((w) => w.read() as tf.Variable)
      setDropoutSeeds(model, seed)
      try {
        const value = tf.tidy(() => {
          const x = tf.tensor3d(batch.x, [batch.n, ctx.length, ctx.letters])
          const y = tf.tensor2d(batch.y, [batch.n, ctx.targets])
          const { value, grads } = tf.variableGrads(() => loss(y, model.apply(x, { training: true }) as tf.Tensor2D), vars)
          optimizer.applyGradients(grads)
          return value
        })
        const out = (await value.data())[0]
        value.dispose()
        return out
      } finally {
        setDropoutSeeds(model, null)
      }
    },
    dispose() {},
  }
}
