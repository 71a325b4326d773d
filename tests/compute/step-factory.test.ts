/**
 * The parallel step plugged into the training loop's TrainStep contract gives the loop's own
 * in-process step's results: weights in the loop's model, optimizer state in its tf.Optimizer
 * (what checkpoints save), learning-rate changes, and restores through weightsChanged().
 */
import { beforeAll, describe, expect, it } from 'vitest'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { initBackend } from '../../src/main/compute/backend.js'
import { createParallelStepFactory, optimizerConfigOf, type ParallelStepContext } from '../../src/main/compute/step-factory.js'
import { createLocalStep } from '../../src/main/train/step.js'
import { lossFunction } from '../../src/main/train/losses.js'
import { relativeError, seededFloats, seededOneHot } from './helpers.js'

function build(): tfl.LayersModel {
  return tfl.sequential({
    layers: [
      tfl.layers.conv1d({ inputShape: [24, 4], filters: 5, kernelSize: 5, activation: 'relu' }),
      tfl.layers.maxPooling1d({ poolSize: 4 }),
      tfl.layers.flatten(),
      tfl.layers.dense({ units: 2, activation: 'sigmoid' }),
    ],
  })
}

const n = 10
const batch = { x: seededOneHot(n, 24, 3), y: seededFloats(n * 2, 4).map((v) => (v > 0 ? 1 : 0)), n }

async function values(o: tf.Optimizer): Promise<Float32Array[]> {
  return (await o.getWeights()).map((w) => w.tensor.dataSync().slice() as Float32Array)
}

describe('parallel step factory', () => {
  beforeAll(async () => {
    await initBackend('wasm')
  })

  it('maps tfjs optimizers to configs', () => {
    expect(optimizerConfigOf(tf.train.adam(0.01))).toEqual({ name: 'adam', learningRate: 0.01, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 })
    expect(optimizerConfigOf(tf.train.momentum(0.1, 0.9, true))).toEqual({ name: 'momentum', learningRate: 0.1, momentum: 0.9, useNesterov: true })
    expect(optimizerConfigOf(tf.train.adagrad(0.1))).toBeNull()
  })

  it('trains like createLocalStep, keeps the tf.Optimizer checkpointable, and follows restores', async () => {
    const seed = 7
    const make = () => {
      const model = build()
      const optimizer = tf.train.adam(0.01)
      const ctx: ParallelStepContext = {
        model,
        optimizer,
        loss: lossFunction('binary-crossentropy', { pos: [2, 1], neg: [1, 0.5] }),
        lossSpec: { name: 'binary-crossentropy', classWeights: { pos: [2, 1], neg: [1, 0.5] } },
        length: 24,
        letters: 4,
        targets: 2,
      }
      return ctx
    }
    const a = make()
    const b = make()
    b.model.setWeights(a.model.getWeights())
    const local = createLocalStep(a)
    let detail = ''
    const par = await createParallelStepFactory({ workers: 2, onBackend: (d) => (detail = d) })(b)
    expect(detail).toBe('wasm (SIMD, 1 thread) x 2 workers, fast path')
    for (let s = 0; s < 3; s++) {
      if (s === 2) {
        ;(a.optimizer as unknown as { learningRate: number }).learningRate = 0.002
        ;(b.optimizer as unknown as { learningRate: number }).learningRate = 0.002
      }
      const la = await local.step(batch, seed + s)
      const lb = await par.step(batch, seed + s)
      expect(Math.abs(la - lb) / la).toBeLessThan(1e-5)
    }
    const wa = a.model.getWeights().map((w) => w.dataSync())
    const wb = b.model.getWeights().map((w) => w.dataSync())
    wa.forEach((w, i) => expect(relativeError(wb[i], w)).toBeLessThan(1e-5))
    // What a checkpoint would save: iterations, then Adam's m and v per variable.
    const oa = await values(a.optimizer)
    const ob = await values(b.optimizer)
    expect(ob.length).toBe(oa.length)
    expect(ob[0][0]).toBe(3)
    oa.forEach((v, i) => expect(relativeError(ob[i], v)).toBeLessThan(1e-4))
    // Restore: reset the loop's model and optimizer to the checkpoint of `a`, then step both.
    b.model.setWeights(a.model.getWeights())
    await b.optimizer.setWeights(await a.optimizer.getWeights())
    await par.weightsChanged!()
    const la = await local.step(batch, 99)
    const lb = await par.step(batch, 99)
    expect(Math.abs(la - lb) / la).toBeLessThan(1e-5)
    a.model.getWeights().forEach((w, i) => expect(relativeError(b.model.getWeights()[i].dataSync(), w.dataSync())).toBeLessThan(1e-5))
    local.dispose()
    par.dispose()
  })

  it('falls back to the in-process step without a loss spec', async () => {
    const model = build()
    const step = await createParallelStepFactory()({ model, optimizer: tf.train.sgd(0.1), loss: lossFunction('mse', null), length: 24, letters: 4, targets: 2 })
    expect(Number.isFinite(await step.step(batch, 1))).toBe(true)
    step.dispose()
  })
})
