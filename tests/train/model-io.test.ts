import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildModel } from '../../src/main/models/build.js'
import { ArrayDataset } from '../../src/main/train/array-dataset.js'
import { writeDirAtomic } from '../../src/main/train/files.js'
import { loadModelDir, modelFiles, optimizerFiles, restoreOptimizer } from '../../src/main/train/model-io.js'
import { makeOptimizer } from '../../src/main/train/optimizer.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('model files', () => {
  it('round-trips every weight (batch-norm statistics and BiLSTM included) and the predictions', async () => {
    for (const spec of [{ preset: 'basset' as const, params: { filters: [4, 3, 3], widths: [5, 3, 3], dense: [6, 6] } }, { preset: 'danq' as const, params: { filters: [4], widths: [5], pools: [3], lstmUnits: 3, dense: [5] } }]) {
      const model = buildModel(spec, { length: 120, letters: 4, targets: 3, seed: 2 })
      // move the batch-norm moving statistics away from their initial 0/1
      const bn = model.layers.find((l) => l.getClassName() === 'BatchNormalization')
      if (bn) bn.setWeights(bn.getWeights().map((w, k) => tf.fill(w.shape, 0.5 + k)))
      const dir = mkdtempSync(join(tmpdir(), 'motiflens-io-'))
      await writeDirAtomic(join(dir, 'm'), await modelFiles(model))
      const loaded = await loadModelDir(join(dir, 'm'))
      expect(loaded.layers.map((l) => l.name)).toEqual(model.layers.map((l) => l.name))
      const a = model.getWeights().map((w) => Array.from(w.dataSync()))
      const b = loaded.getWeights().map((w) => Array.from(w.dataSync()))
      expect(b).toEqual(a)
      const x = tf.randomUniform([2, 120, 4], 0, 1, 'float32', 3)
      const pa = tf.tidy(() => Array.from((model.predict(x) as tf.Tensor).dataSync()))
      const pb = tf.tidy(() => Array.from((loaded.predict(x) as tf.Tensor).dataSync()))
      expect(pb).toEqual(pa)
      tf.dispose(x)
      model.dispose()
      loaded.dispose()
    }
  })

  it('restores Adam moments and iteration count into a fresh optimizer', async () => {
    const v = tf.variable(tf.tensor1d([1, 2, 3]), true, 'io_test_v')
    const opt = makeOptimizer({ optimizer: 'adam', learningRate: 0.1, momentum: 0, nesterov: false })
    for (let i = 0; i < 3; i++) opt.minimize(() => tf.sum(tf.square(v)) as tf.Scalar)
    const files = await optimizerFiles(opt)
    const dir = mkdtempSync(join(tmpdir(), 'motiflens-opt-'))
    await writeDirAtomic(join(dir, 'o'), files)
    const again = makeOptimizer({ optimizer: 'adam', learningRate: 0.1, momentum: 0, nesterov: false })
    await restoreOptimizer(again, join(dir, 'o'))
    const saved = await opt.getWeights()
    const restored = await again.getWeights()
    expect(restored.map((w) => [w.name.replace(/_\d+$/, ''), Array.from(w.tensor.dataSync())])).toEqual(saved.map((w) => [w.name.replace(/_\d+$/, ''), Array.from(w.tensor.dataSync())]))
    await expect(restoreOptimizer(makeOptimizer({ optimizer: 'rmsprop', learningRate: 0.1, momentum: 0, nesterov: false }), join(dir, 'o'))).rejects.toThrow(
      `${join(dir, 'o')}: the checkpoint's optimizer is Adam, this run uses RMSProp; resume with the same --optimizer`,
    )
    opt.dispose()
    again.dispose()
    v.dispose()
  })
})

describe('ArrayDataset', () => {
  it('one-hot batches, reverse complement, ambiguous letters and splits', () => {
    const ds = new ArrayDataset({ alphabet: 'dna', sequences: ['ACGN', 'TTAA'], labels: [[1, 0], [0, 1]], targets: ['a', 'b'], splits: ['train', 'test'] })
    const b = ds.batch([0])
    expect(Array.from(b.x)).toEqual([1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0.25, 0.25, 0.25, 0.25])
    // reverse complement of ACGN is NCGT
    expect(Array.from(ds.batch([0], { reverseComplement: true, ambiguous: 'zero' }).x)).toEqual([0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1])
    expect(Array.from(ds.batch([1, 0]).y)).toEqual([0, 1, 1, 0])
    expect(Array.from(ds.indices('test'))).toEqual([1])
    expect(ds.fingerprint).not.toBe(new ArrayDataset({ alphabet: 'dna', sequences: ['ACGN', 'TTAT'], labels: [[1, 0], [0, 1]], targets: ['a', 'b'] }).fingerprint)
  })
})
