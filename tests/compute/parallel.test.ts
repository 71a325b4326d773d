/**
 * The data-parallel trainer does the same math as one in-process step on the whole batch:
 * same loss, same weights after several steps, same predictions, for every optimizer.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import * as tfl from '@tensorflow/tfjs-layers'
import { initBackend } from '../../src/main/compute/backend.js'
import { createInProcessTrainer, createParallelTrainer, splitRows, type Trainer } from '../../src/main/compute/parallel.js'
import type { OptimizerConfig } from '../../src/main/compute/optimizers.js'
import { relativeError, seededFloats, seededOneHot } from './helpers.js'

function smallDanq(): tfl.LayersModel {
  const m = tfl.sequential()
  m.add(tfl.layers.conv1d({ inputShape: [30, 4], filters: 6, kernelSize: 5, activation: 'relu' }))
  m.add(tfl.layers.maxPooling1d({ poolSize: 4 }))
  m.add(tfl.layers.bidirectional({ layer: tfl.layers.lstm({ units: 4, returnSequences: true, recurrentInitializer: 'glorotUniform' }) as unknown as tfl.RNN }))
  m.add(tfl.layers.flatten())
  m.add(tfl.layers.dense({ units: 3, activation: 'sigmoid' }))
  return m
}

const rows = 13 // uneven split over 2 workers
const x = seededOneHot(rows, 30, 11)
const y = seededFloats(rows * 3, 12).map((v) => (v > 0 ? 1 : 0))

describe('parallel trainer', () => {
  let json: Record<string, unknown>
  let weights: Float32Array[]
  const open: Trainer[] = []

  beforeAll(async () => {
    await initBackend('wasm')
    const m = smallDanq()
    json = m.toJSON(null, false) as Record<string, unknown>
    weights = m.getWeights().map((w) => w.dataSync().slice() as Float32Array)
  })
  afterAll(async () => {
    await Promise.all(open.map((t) => t.dispose()))
  })

  it('splits rows evenly', () => {
    expect(splitRows(13, 2)).toEqual([[0, 7], [7, 6]])
    expect(splitRows(1, 2)).toEqual([[0, 1], [1, 0]])
  })

  // (Every optimizer's JS update is checked against tfjs in optimizers.test.ts.)
  const variants: [OptimizerConfig, boolean][] = [
    [{ name: 'adam', learningRate: 0.01 }, true],
    [{ name: 'adam', learningRate: 0.01 }, false],
    [{ name: 'momentum', learningRate: 0.05, momentum: 0.9 }, true],
  ]
  for (const [optimizer, fastPath] of variants) {
    it(`2 workers match one in-process trainer: ${optimizer.name}, ${fastPath ? 'fast path' : 'tfjs layers path'}`, async () => {
      const opts = { modelJson: json, weights, optimizer, loss: { name: 'binary-crossentropy' as const } }
      const local = await createInProcessTrainer(opts)
      const par = await createParallelTrainer({ ...opts, workers: 2, maxBatch: 4, fastPath }) // buffers must grow
      open.push(local, par)
      expect(par.backend).toBe(`wasm (SIMD, 1 thread) x 2 workers, ${fastPath ? 'fast path' : 'tfjs layers (fast path: disabled)'}`)
      expect(par.inputShape).toEqual([30, 4])
      expect(par.outputShape).toEqual([3])
      for (let s = 0; s < 3; s++) {
        const a = await local.step(x, y, rows)
        const b = await par.step(x, y, rows)
        expect(Math.abs(a - b) / a).toBeLessThan(1e-5)
      }
      const wa = await local.getWeights()
      const wb = await par.getWeights()
      // Compare what training changed. Splitting the batch changes the order of float32 sums;
      // Adam divides by sqrt(v), so a component whose gradient is ~0 can move differently by a
      // few 1e-5: measured against the updates themselves that stays well under 1%.
      for (let i = 0; i < wa.length; i++) {
        const moved = (w: Float32Array) => w.map((v, k) => v - weights[i][k])
        expect(relativeError(moved(wb[i]), moved(wa[i]))).toBeLessThan(5e-3)
        expect(relativeError(wb[i], weights[i])).toBeGreaterThan(1e-4) // it trained
      }
      expect(relativeError(await par.predict(x, rows), await local.predict(x, rows))).toBeLessThan(1e-4)
      await local.dispose()
      await par.dispose()
    })
  }

  it('one row on two workers, weights round-trip, learning rate changes', async () => {
    const par = await createParallelTrainer({ modelJson: json, weights, optimizer: { name: 'sgd', learningRate: 0.1 }, loss: { name: 'binary-crossentropy' }, workers: 2 })
    open.push(par)
    const loss = await par.step(x, y, 1)
    expect(Number.isFinite(loss)).toBe(true)
    await par.setWeights(weights)
    expect(await par.getWeights()).toEqual(weights)
    await par.setLearningRate(0)
    await par.step(x, y, rows)
    expect(await par.getWeights()).toEqual(weights) // lr 0: nothing moves
    await par.dispose()
  })

  it('reads the batch before step() returns, so the caller can refill its buffers', async () => {
    const opts = { modelJson: json, weights, optimizer: { name: 'sgd', learningRate: 0.1 } as OptimizerConfig, loss: { name: 'binary-crossentropy' as const }, workers: 2 }
    const a = await createParallelTrainer(opts)
    const b = await createParallelTrainer(opts)
    open.push(a, b)
    const xs = x.slice()
    const ys = y.slice()
    const pending = a.step(xs, ys, rows)
    xs.fill(0) // the next batch overwrites the buffer while the step runs
    ys.fill(1)
    await pending
    await b.step(x, y, rows)
    expect(await a.getWeights()).toEqual(await b.getWeights())
    await a.dispose()
    await b.dispose()
  })

  it('rejects overlapping calls and bad sizes with clear errors', async () => {
    const par = await createParallelTrainer({ modelJson: json, weights, optimizer: { name: 'sgd', learningRate: 0.1 }, loss: { name: 'mse' }, workers: 1 })
    open.push(par)
    const first = par.step(x, y, rows)
    await expect(par.step(x, y, rows)).rejects.toThrow('trainer is busy: await each call before the next')
    await first
    await expect(par.step(x.subarray(0, 10), y, rows)).rejects.toThrow('step: x has 10 values, 13 rows need 1560')
    await par.dispose()
    await expect(createParallelTrainer({ modelJson: json, weights: weights.slice(1), optimizer: { name: 'sgd', learningRate: 1 }, loss: { name: 'mse' }, workers: 1 })).rejects.toThrow(
      `the model has ${weights.length} weight arrays, got ${weights.length - 1}`,
    )
  })
})
