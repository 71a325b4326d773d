import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { filterInfluence, rocAuc } from '../../src/main/motifs/index.js'
import { convModel, memoryDataset, plant, randomSequence, rng } from './fixtures.js'
import { python } from './python.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('rocAuc', () => {
  it('matches sklearn roc_auc_score, ties included', () => {
    const rand = rng(3)
    const scores = Array.from({ length: 200 }, () => Math.round(rand() * 20) / 20)
    const labels = scores.map((s) => (rand() < 0.3 + 0.4 * s ? 1 : 0))
    const ref = Number(
      python(
        'import json,sys\nfrom sklearn.metrics import roc_auc_score\nd=json.load(sys.stdin)\nprint(roc_auc_score(d["y"], d["s"]))',
        JSON.stringify({ s: scores, y: labels }),
      ),
    )
    expect(rocAuc(scores, labels)).toBeCloseTo(ref, 12)
    expect(rocAuc([1, 2], [1, 1])).toBeNull()
  })
})

describe('filterInfluence', () => {
  it('finds the filter the output depends on, and none for an unused one', async () => {
    const rand = rng(5)
    const seqs: string[] = []
    const labels: number[][] = []
    for (let i = 0; i < 80; i++) {
      const pos = i % 2 === 0
      const s = randomSequence(rand, 40).replace(/ACGTA/g, 'TTTTT')
      seqs.push(pos ? plant(s, 'ACGTA', 10 + (i % 20)) : s)
      labels.push([pos ? 1 : 0])
    }
    const acgta = [...'ACGTA'].map((l) => [...'ACGT'].map((k) => (k === l ? 1 : 0)))
    const model = convModel({ length: 40, kernels: [acgta, acgta.map((r) => r.map((v) => 1 - v))], biases: [-4, -4] })
    // output = sigmoid(6 * filter0 - 3): only filter 0 matters
    const dense = model.getLayer('output')
    const w = [tf.tensor2d([[6], [0]]), tf.tensor1d([-3])]
    dense.setWeights(w)
    tf.dispose(w)
    const r = await filterInfluence(model, memoryDataset(seqs, labels), Uint32Array.from(seqs.keys()), { batchSize: 16 })
    expect(r.lossKind).toBe('binary-crossentropy')
    expect(r.sequences).toBe(80)
    expect(r.baseAuc).toBe(1)
    expect(r.filters[0].lossDelta).toBeGreaterThan(1)
    expect(r.filters[0].aucDelta).toBe(0.5) // zeroed: every prediction is the same
    expect(r.filters[1].lossDelta).toBe(0)
    expect(r.filters[1].aucDelta).toBe(0)
    // base loss is the mean BCE of the model's own predictions
    const pred = model.predict(tf.tensor3d(memoryDataset(seqs, labels).batch(Uint32Array.from(seqs.keys())).x, [80, 40, 4])) as tf.Tensor
    const p = await pred.data()
    pred.dispose()
    const bce = -Array.from(p).reduce((a, q, i) => a + (labels[i][0] ? Math.log(q) : Math.log(1 - q)), 0) / 80
    expect(r.baseLoss).toBeCloseTo(bce, 5)
  })
})
