import { existsSync, readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import type { TrainProgress } from '../../src/shared/types.js'
import { labelsOf, predict } from '../../src/main/evaluate/predict.js'
import { rocAuc } from '../../src/main/evaluate/metrics.js'
import { ArrayDataset } from '../../src/main/train/array-dataset.js'
import { createLocalStep, loadRun, readRunRecord, train, type TrainStepFactory } from '../../src/main/train/index.js'
import { SMALL_CNN, plantedDataset, tempDir } from './helpers.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const weightsOf = (dir: string, which = 'last') => readFileSync(join(dir, which, 'weights.bin'))

describe('train', () => {
  it('learns a planted motif, reports progress and writes the run folder', async () => {
    const ds = plantedDataset(240, 30, 1)
    const dir = tempDir()
    const events: TrainProgress[] = []
    const result = await train({ dataset: ds, model: SMALL_CNN, outDir: dir, epochs: 12, batchSize: 16, learningRate: 0.02, seed: 3 }, { onProgress: (p) => events.push(p) })
    expect(result.status).toBe('completed')
    expect(result.history).toHaveLength(12)
    expect(events[0]).toMatchObject({ kind: 'start', epochs: 12, batchesPerEpoch: 9, trainSize: 144, validSize: 48 })
    const epochs = events.filter((e) => e.kind === 'epoch')
    expect(epochs).toHaveLength(12)
    expect(events.some((e) => e.kind === 'batch' && e.batch === 9 && e.samplesPerSec > 0)).toBe(true)
    expect(result.best!.metrics.val_roc_auc).toBeGreaterThan(0.9)
    expect(readdirSync(dir).sort()).toEqual(['best', 'last', 'run.json'])
    expect(readdirSync(join(dir, 'last')).sort()).toEqual(['model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin'])

    const run = await readRunRecord(dir)
    expect(run).toMatchObject({
      status: 'completed',
      dataset: { alphabet: 'dna', letters: 'ACGT', length: 30, targets: ['bound'], sizes: { train: 144, valid: 48, test: 48 }, fingerprint: ds.fingerprint },
      config: { loss: 'binary-crossentropy', outputActivation: 'sigmoid', optimizer: 'adam', seed: 3, batchSize: 16 },
      parameters: 4 * 7 * 4 + 4 + 4 + 1,
    })
    expect(run.versions['tfjs-core']).toBe('4.22.0')
    expect(run.backend.name).toBe('cpu')

    // The best model predicts the held-out test split well.
    const loaded = await loadRun(dir)
    expect(loaded.checkpoint).toBe('best')
    const test = ds.indices('test')
    const auc = rocAuc(await predict(loaded.model, ds, test, 32), labelsOf(ds, test))
    expect(auc).toBeGreaterThan(0.9)
    loaded.model.dispose()
  })

  it('a fixed seed gives the same run twice (weights, shuffles, dropout)', async () => {
    const ds = plantedDataset(80, 20, 2)
    const spec = { preset: 'custom' as const, params: { filters: [3], widths: [5], pools: [2], dense: [4], dropout: 0.3 } }
    const run = async () => {
      const dir = tempDir()
      const r = await train({ dataset: ds, model: spec, outDir: dir, epochs: 3, batchSize: 8, seed: 11, reverseComplement: true })
      return { losses: r.history.map((h) => [h.loss, h.valLoss]), weights: weightsOf(dir) }
    }
    const a = await run()
    const b = await run()
    expect(b.losses).toEqual(a.losses)
    expect(Buffer.compare(a.weights, b.weights)).toBe(0)
    const c = await train({ dataset: ds, model: spec, outDir: tempDir(), epochs: 3, batchSize: 8, seed: 12, reverseComplement: true })
    expect(c.history.map((h) => h.loss)).not.toEqual(a.losses.map((l) => l[0]))
  })

  it('tensor count does not grow across epochs, and nothing is left after training', async () => {
    const ds = plantedDataset(60, 20, 3)
    const counts: number[] = []
    const after: number[] = []
    for (let round = 0; round < 2; round++) {
      await train({ dataset: ds, model: { preset: 'custom', params: { filters: [3], widths: [5], pools: [2], lstmUnits: 2, dense: [4], dropout: 0.2 } }, outDir: tempDir(), epochs: 4, batchSize: 16, seed: 1 }, {
        onProgress: (p) => {
          if (p.kind === 'epoch' && round === 0) counts.push(tf.memory().numTensors)
        },
      })
      after.push(tf.memory().numTensors)
    }
    expect(counts).toHaveLength(4)
    expect(new Set(counts).size).toBe(1)
    // tfjs-layers caches a few constants on first use; a second run must not add any.
    expect(after[1]).toBe(after[0])
  })

  it('resume after a finished epoch continues to exactly the uninterrupted result', async () => {
    const ds = plantedDataset(64, 20, 4)
    const base = { dataset: ds, model: SMALL_CNN, batchSize: 8, seed: 5, optimizer: 'sgd' as const, momentum: 0.9, nesterov: true, lrDecay: { every: 1, factor: 0.5 } }
    const full = tempDir()
    const a = await train({ ...base, outDir: full, epochs: 3 })
    const split = tempDir()
    await train({ ...base, outDir: split, epochs: 1 })
    const b = await train({ ...base, outDir: split, epochs: 3, resume: true })
    expect(b.history.map((h) => h.loss)).toEqual(a.history.map((h) => h.loss))
    expect(b.history.map((h) => h.lr)).toEqual([0.01, 0.005, 0.0025])
    expect(Buffer.compare(weightsOf(full), weightsOf(split))).toBe(0)
    expect(Buffer.compare(weightsOf(full, 'best'), weightsOf(split, 'best'))).toBe(0)
  })

  it('cancel mid-epoch keeps a checkpoint; resume (with Adam state) matches the uninterrupted run', async () => {
    const ds = plantedDataset(80, 20, 6) // 48 training rows: 6 batches of 8
    const base = { dataset: ds, model: SMALL_CNN, batchSize: 8, seed: 9, epochs: 2 }
    const full = tempDir()
    const a = await train({ ...base, outDir: full })

    const dir = tempDir()
    const controller = new AbortController()
    let steps = 0
    // The pluggable step: the default one, counting batches to cancel after the 9th (epoch 2, batch 3).
    const counting: TrainStepFactory = (ctx) => {
      const inner = createLocalStep(ctx)
      return {
        async step(batch, seed) {
          const loss = await inner.step(batch, seed)
          if (++steps === 9) controller.abort()
          return loss
        },
        dispose: () => inner.dispose(),
      }
    }
    const c = await train({ ...base, outDir: dir, stepFactory: counting }, { signal: controller.signal })
    expect(c.status).toBe('cancelled')
    expect(c.message).toBe('cancelled at epoch 2, batch 4 of 6; resume with --resume')
    expect(JSON.parse(readFileSync(join(dir, 'last', 'state.json'), 'utf8')).state).toMatchObject({ epoch: 1, batch: 3 })
    expect((await readRunRecord(dir)).status).toBe('cancelled')
    const b = await train({ ...base, outDir: dir, resume: true })
    expect(b.status).toBe('completed')
    expect(b.history.map((h) => h.valLoss)).toEqual(a.history.map((h) => h.valLoss))
    expect(Buffer.compare(weightsOf(full), weightsOf(dir))).toBe(0)
  })

  it('a NaN loss stops training with a clear message and keeps the best model', async () => {
    const ds = plantedDataset(40, 20, 7) // 24 training rows: 3 batches of 8
    const dir = tempDir()
    let steps = 0
    const poisoned: TrainStepFactory = (ctx) => {
      const inner = createLocalStep(ctx)
      return { step: async (b, s) => (++steps === 8 ? Number.NaN : inner.step(b, s)), dispose: () => inner.dispose() }
    }
    const r = await train({ dataset: ds, model: SMALL_CNN, outDir: dir, epochs: 5, batchSize: 8, seed: 1, stepFactory: poisoned })
    expect(r.status).toBe('diverged')
    expect(r.message).toBe(`training stopped at epoch 3, batch 2: the loss became NaN; lower the learning rate (--lr) or use --optimizer adam; the best model (epoch ${r.best!.epoch}) is kept in ${join(dir, 'best')}`)
    expect(r.history).toHaveLength(2)
    const run = await readRunRecord(dir)
    expect(run).toMatchObject({ status: 'diverged', message: r.message })
    const loaded = await loadRun(dir)
    expect(Array.from(loaded.model.getWeights()[0].dataSync()).every(Number.isFinite)).toBe(true)
    loaded.model.dispose()
  })

  it('early stopping after `patience` epochs without a lower validation loss', async () => {
    const ds = plantedDataset(48, 20, 8)
    const frozen: TrainStepFactory = () => ({ step: async () => 0.7, dispose: () => {} })
    const r = await train({ dataset: ds, model: SMALL_CNN, outDir: tempDir(), epochs: 10, batchSize: 8, seed: 1, patience: 2, stepFactory: frozen })
    expect(r.status).toBe('early-stopped')
    expect(r.history.map((h) => h.best)).toEqual([true, false, false])
    expect(r.message).toBe('early stopping after epoch 3: no lower validation loss for 2 epochs; best epoch 1')
  })

  it('refuses a folder holding a run unless resuming or overwriting, and data that differs on resume', async () => {
    const ds = plantedDataset(32, 20, 9)
    const dir = tempDir()
    await train({ dataset: ds, model: SMALL_CNN, outDir: dir, epochs: 1, batchSize: 8, seed: 1 })
    await expect(train({ dataset: ds, model: SMALL_CNN, outDir: dir, epochs: 1 })).rejects.toThrow(
      `${dir}: already holds a training run (run.json, best, last); use --resume to continue it or --force to replace it`,
    )
    const other = plantedDataset(32, 20, 10)
    await expect(train({ dataset: other, model: SMALL_CNN, outDir: dir, resume: true })).rejects.toThrow(
      `${join(dir, 'run.json')}: the run was trained on different data (fingerprint ${ds.fingerprint}, now ${other.fingerprint}); resume with the same data options, or start a new run`,
    )
    const r = await train({ dataset: ds, model: SMALL_CNN, outDir: dir, epochs: 1, batchSize: 8, seed: 2, overwrite: true })
    expect(r.status).toBe('completed')
    expect((await readRunRecord(dir)).config.seed).toBe(2)
  })

  it('multi-class data gets categorical cross-entropy and softmax; balanced weights for rare labels', async () => {
    const seqs = ['AAAAAAAAAA', 'CCCCCCCCCC', 'GGGGGGGGGG', 'AAAAAAAAAC', 'CCCCCCCCCA', 'GGGGGGGGGA', 'AAAAAAAAAG', 'CCCCCCCCCG']
    const labels = [[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0], [0, 1, 0]]
    const ds = new ArrayDataset({ alphabet: 'dna', sequences: seqs, labels, targets: ['a', 'c', 'g'] })
    const dir = tempDir()
    const r = await train({ dataset: ds, model: { preset: 'motif-cnn', params: { filters: [2], widths: [3] } }, outDir: dir, epochs: 1, batchSize: 4, classWeights: 'balanced', seed: 1 })
    expect(r.best!.valLoss).toBeNull() // no validation split: best by training loss
    const run = await readRunRecord(dir)
    expect(run.config).toMatchObject({ loss: 'categorical-crossentropy', outputActivation: 'softmax', classWeightsMode: 'balanced' })
    // 8 rows, 3 classes seen 3, 3, 2 times: n / (K * count)
    expect(run.config.classWeights!.pos).toEqual([8 / 9, 8 / 9, 8 / 6])
    const { model } = await loadRun(dir)
    const out = tf.tidy(() => Array.from((model.predict(tf.ones([1, 10, 4])) as tf.Tensor).dataSync()))
    expect(out.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5)
    model.dispose()
  })

  it('refuses reverse-complement augmentation on a binary alphabet', async () => {
    const ds = new ArrayDataset({ alphabet: 'binary', sequences: ['0101', '1100'], labels: [[1], [0]], targets: ['y'] })
    await expect(train({ dataset: ds, model: { preset: 'toy-rnn' }, outDir: tempDir(), reverseComplement: true })).rejects.toThrow(
      'train: reverse-complement augmentation needs DNA or RNA; this dataset is binary',
    )
  })
})

describe('run folder', () => {
  it('loadRun falls back to last/ and recovers a checkpoint folder caught between renames', async () => {
    const ds = plantedDataset(32, 20, 12)
    const dir = tempDir()
    await train({ dataset: ds, model: SMALL_CNN, outDir: dir, epochs: 1, batchSize: 8, seed: 1 })
    const { renameSync, rmSync } = await import('node:fs')
    rmSync(join(dir, 'best'), { recursive: true })
    renameSync(join(dir, 'last'), join(dir, 'last.old'))
    const loaded = await loadRun(dir)
    expect(loaded.checkpoint).toBe('last')
    expect(existsSync(join(dir, 'last', 'model.json'))).toBe(true)
    loaded.model.dispose()
    await expect(loadRun(tempDir())).rejects.toThrow(/run\.json: no such file; give the folder a training run wrote/)
  })
})
