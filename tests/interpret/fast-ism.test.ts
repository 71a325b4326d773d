import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { canCutModel, fastSaturationMutagenesis, saturationMutagenesis, saturationMutagenesisAuto, trunkGeometry } from '../../src/main/interpret/index.js'
import { buildModel } from '../../src/main/models/index.js'
import { mulberry32 } from '../../src/main/models/random.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

function randomOneHot(L: number, seed: number): Float32Array {
  const r = mulberry32(seed)
  const x = new Float32Array(L * 4)
  for (let p = 0; p < L; p++) {
    if (p % 37 === 5) x.fill(0.25, p * 4, p * 4 + 4) // an N now and then
    else x[p * 4 + Math.floor(r() * 4)] = 1
  }
  return x
}

async function expectSameAsPlain(model: tfl.LayersModel, L: number, target: number): Promise<void> {
  expect(canCutModel(model)).toBe(true)
  const x = randomOneHot(L, 3)
  const plain = await saturationMutagenesis(model, x, target, { batchSize: 50 })
  const fast = await fastSaturationMutagenesis(model, x, target, { batchSize: 50 })
  expect(fast.reference).toBeCloseTo(plain.reference, 5)
  let worst = 0
  for (let i = 0; i < plain.deltas.length; i++) worst = Math.max(worst, Math.abs(fast.deltas[i] - plain.deltas[i]))
  expect(worst).toBeLessThan(2e-5)
  // the comparison is not vacuous: mutations do change the prediction
  expect(Math.max(...Array.from(plain.deltas, Math.abs))).toBeGreaterThan(1e-4)
  // the model itself is untouched: its layers still have one output each
  expect(() => model.layers.map((l) => l.output)).not.toThrow()
}

describe('fastSaturationMutagenesis', () => {
  it('equals plain mutagenesis on a Basset-shaped model (conv, batch norm, pools, dense head)', async () => {
    const model = buildModel({ preset: 'basset', params: { filters: [8, 6, 4], widths: [7, 5, 3], pools: [3, 2, 2], dense: [16] } }, { length: 157, letters: 4, targets: 3, seed: 4 })
    const g = trunkGeometry(model)
    expect(g).not.toBeNull()
    expect(g?.stride).toBe(12)
    // receptive field 1 + 6 (conv 7) + 2 (pool 3) + 4*3 (conv 5) + 1*3 (pool 2) + 2*6 (conv 3) + 1*6 (pool 2) = 42
    expect(g?.receptive).toBe(42)
    expect([g?.positions, g?.window, g?.windowInput]).toEqual([10, 4, 78])
    // level by level: one base reaches 3 pooled conv1 outputs (15 bases in), then 4 and 4
    expect(g?.segments.map((s) => [s.from, s.to, s.receptive, s.stride, s.window, s.windowInput])).toEqual([
      [0, 4, 9, 3, 3, 15],
      [4, 8, 6, 2, 4, 12],
      [8, 12, 4, 2, 4, 10],
    ])
    await expectSameAsPlain(model, 157, 2)
  })

  it('equals plain mutagenesis on a DeepSEA-shaped model with dropout', async () => {
    const model = buildModel({ preset: 'deepsea', params: { filters: [6, 5, 4], widths: [5, 5, 5], pools: [4, 4], dense: [8], dropout: 0.3 } }, { length: 400, letters: 4, targets: 2, seed: 9 })
    expect(trunkGeometry(model)).toMatchObject({ stride: 16, receptive: 100, positions: 19, window: 7 })
    await expectSameAsPlain(model, 400, 1)
  })

  it('chooses the split where it pays off and the whole model elsewhere (DanQ: BiLSTM head)', async () => {
    const basset = buildModel({ preset: 'basset', params: { filters: [8, 6, 4], widths: [7, 5, 3], pools: [3, 2, 2], dense: [16] } }, { length: 300, letters: 4, targets: 1, seed: 4 })
    const motifCnn = buildModel({ preset: 'motif-cnn', params: { filters: [4], widths: [7] } }, { length: 100, letters: 4, targets: 1, seed: 4 })
    const danq = buildModel({ preset: 'danq', params: { filters: [4], widths: [9], pools: [5], lstmUnits: 3, dense: [5] } }, { length: 120, letters: 4, targets: 1, seed: 4 })
    expect((await saturationMutagenesisAuto(basset, randomOneHot(300, 1), 0)).method).toBe('split')
    expect((await saturationMutagenesisAuto(motifCnn, randomOneHot(100, 1), 0)).method).toBe('whole')
    const x = randomOneHot(120, 2)
    const auto = await saturationMutagenesisAuto(danq, x, 0)
    const plain = await saturationMutagenesis(danq, x, 0)
    let worst = 0
    for (let i = 0; i < plain.deltas.length; i++) worst = Math.max(worst, Math.abs(auto.deltas[i] - plain.deltas[i]))
    expect(worst).toBeLessThan(2e-5)
  })

  it('declines models it cannot cut', () => {
    const same = tfl.sequential()
    same.add(tfl.layers.conv1d({ name: 'conv1', inputShape: [50, 4], filters: 2, kernelSize: 5, padding: 'same' }))
    same.add(tfl.layers.flatten())
    same.add(tfl.layers.dense({ units: 1, activation: 'sigmoid' }))
    expect(canCutModel(same)).toBe(false)
    const rnn = buildModel({ preset: 'toy-rnn' }, { length: 20, letters: 2, targets: 1, seed: 1 })
    expect(canCutModel(rnn)).toBe(false)
  })
})
