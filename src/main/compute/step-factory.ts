/**
 * Plug the data-parallel trainer into the training loop (src/main/train): a TrainStepFactory
 * for `TrainOptions.stepFactory`. The loop keeps its model and tf.Optimizer as the source of
 * truth for everything outside the step (validation, checkpoints, resume), so after every step
 * the new weights are copied into the loop's model, and the optimizer's state is copied into
 * its tf.Optimizer whenever something reads it (`optimizer.getWeights()`, which checkpoints use).
 *
 * Falls back to the loop's own in-process step (createLocalStep) where the parallel trainer
 * brings nothing or cannot reproduce the step: native TensorFlow (already multi-threaded),
 * an optimizer other than SGD/momentum/Adam/RMSprop, or a context without `lossSpec`.
 */
import * as tf from '@tensorflow/tfjs-core'
import { createLocalStep, type StepContext, type TrainStep, type TrainStepFactory } from '../train/step.js'
import type { OptimizerConfig } from './optimizers.js'
import { optimizerStateFromTf, optimizerStateToTf } from './optimizers.js'
import { createTrainer, type Trainer } from './parallel.js'
import type { LossSpec } from './train-step.js'

export interface ParallelStepOptions {
  /** Worker threads (default: 2 on two or more cores). */
  workers?: number
  /** Compiled fast path where the model allows (default true). */
  fastPath?: boolean
  /** Called once with what the step runs on, e.g. 'wasm (SIMD, 1 thread) x 2 workers, fast path'. */
  onBackend?: (detail: string) => void
}

/** The step context plus the loss as data (the parallel trainer cannot ship a function to workers). */
export type ParallelStepContext = StepContext & { lossSpec?: LossSpec }

/** OptimizerConfig of a tfjs optimizer, or null for kinds the parallel trainer does not implement. */
export function optimizerConfigOf(o: tf.Optimizer): OptimizerConfig | null {
  const c = o.getConfig() as Record<string, number | boolean>
  switch (o.getClassName()) {
    case 'SGD':
      return { name: 'sgd', learningRate: c.learningRate as number }
    case 'Momentum':
      return { name: 'momentum', learningRate: c.learningRate as number, momentum: c.momentum as number, useNesterov: Boolean(c.useNesterov) }
    case 'Adam':
      return { name: 'adam', learningRate: c.learningRate as number, beta1: c.beta1 as number, beta2: c.beta2 as number, epsilon: c.epsilon as number }
    case 'RMSProp':
      return { name: 'rmsprop', learningRate: c.learningRate as number, decay: c.decay as number, momentum: c.momentum as number, epsilon: c.epsilon as number, centered: Boolean(c.centered) }
    default:
      return null
  }
}

export function createParallelStepFactory(options: ParallelStepOptions = {}): TrainStepFactory {
  return async (base: StepContext): Promise<TrainStep> => {
    const ctx = base as ParallelStepContext
    const optimizerConfig = optimizerConfigOf(ctx.optimizer)
    if (tf.getBackend() === 'tensorflow' || !optimizerConfig || !ctx.lossSpec) return createLocalStep(ctx)
    const { model, optimizer } = ctx
    const vars = () => model.trainableWeights.map((w) => (w as unknown as { read(): tf.Variable }).read())
    const shapes = model.trainableWeights.map((w) => w.shape as number[])
    const trainer: Trainer = await createTrainer({
      modelJson: model.toJSON(null, false) as Record<string, unknown>,
      weights: model.getWeights().map((w) => w.dataSync().slice() as Float32Array),
      optimizer: optimizerConfig,
      loss: ctx.lossSpec,
      backend: tf.getBackend() === 'cpu' ? 'cpu' : 'wasm',
      workers: options.workers,
      fastPath: options.fastPath,
    })
    options.onBackend?.(trainer.backend)
    await trainer.setOptimizerState(await optimizerStateFromTf(optimizer, optimizerConfig, shapes))
    let learningRate = optimizerConfig.learningRate ?? 0.001
    let optimizerStale = false

    // Checkpoints read the optimizer through getWeights(): bring it up to date first.
    const originalGetWeights = optimizer.getWeights.bind(optimizer)
    optimizer.getWeights = async () => {
      if (optimizerStale) {
        await optimizerStateToTf(optimizer, optimizerConfig, await trainer.getOptimizerState(), shapes, vars().map((v) => v.name))
        optimizerStale = false
      }
      return originalGetWeights()
    }

    const pullWeights = async () => {
      const ws = await trainer.getWeights()
      tf.tidy(() => model.setWeights(model.weights.map((w, i) => tf.tensor(ws[i], w.shape as number[]))))
    }

    return {
      async step(batch, seed) {
        const lr = (optimizer as unknown as { learningRate: number }).learningRate
        if (lr !== learningRate) {
          await trainer.setLearningRate(lr)
          learningRate = lr
        }
        const loss = await trainer.step(batch.x, batch.y, batch.n, seed)
        optimizerStale = true
        await pullWeights()
        return loss
      },
      async weightsChanged() {
        // A checkpoint was restored into the loop's model and optimizer: push both.
        optimizerStale = false // the tf.Optimizer now holds the truth: read it, do not overwrite it
        await trainer.setWeights(model.getWeights().map((w) => w.dataSync().slice() as Float32Array))
        await trainer.setOptimizerState(await optimizerStateFromTf(optimizer, optimizerConfig, shapes))
      },
      dispose() {
        optimizer.getWeights = originalGetWeights
        void trainer.dispose()
      },
    }
  }
}
