import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { activationTracks, gradientTimesInput, saturationMutagenesis } from '../../src/main/interpret/index.js'
import { convModel, memoryDataset, rng } from './fixtures.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const oneHot = (s: string): Float32Array => memoryDataset([s]).batch([0]).x
const acg = [
  [1, 0, 0, 0],
  [0, 1, 0, 0],
  [0, 0, 1, 0],
]

/** conv (ACG detector) -> global max -> dense with weight 2, bias -1 -> sigmoid. */
function acgModel(length: number, padding: 'valid' | 'same' = 'valid'): tfl.LayersModel {
  const model = convModel({ length, kernels: [acg], biases: [-2], padding })
  const w = [tf.tensor2d([[2]]), tf.tensor1d([-1])]
  model.getLayer('output').setWeights(w)
  tf.dispose(w)
  return model
}

const sigmoid = (v: number): number => 1 / (1 + Math.exp(-v))

describe('activationTracks', () => {
  it('gives every position and the argmax window start', async () => {
    const t = await activationTracks(acgModel(10), oneHot('TTACGTTACG'))
    expect([t.positions, t.filters, t.width, t.offset]).toEqual([8, 1, 3, 0])
    expect(Array.from(t.values)).toEqual([0, 0, 1, 0, 0, 0, 0, 1])
    expect([t.max[0], t.argmax[0]]).toEqual([1, 2])
    const same = await activationTracks(acgModel(10, 'same'), oneHot('TTACGTTTTT'))
    expect([same.positions, same.offset, same.argmax[0]]).toEqual([10, -1, 2])
  })
})

describe('saturationMutagenesis', () => {
  it('predicts all 3L mutants and reports score changes', async () => {
    const model = acgModel(8)
    const progress: number[] = []
    const m = await saturationMutagenesis(model, oneHot('TACGTTTT'), 0, { batchSize: 10, onProgress: (p) => progress.push(p.done) })
    expect(m.reference).toBeCloseTo(sigmoid(1), 6) // ACG present: 2 * 1 - 1
    expect(progress).toEqual([10, 20, 24]) // 3 x 8 mutants
    // destroying the site (any change of A, C or G at positions 1-3) drops the output to sigmoid(-1)
    for (const p of [1, 2, 3])
      for (let k = 0; k < 4; k++) {
        const ref = 'TACGTTTT'[p] === 'ACGT'[k]
        expect(m.deltas[p * 4 + k]).toBeCloseTo(ref ? 0 : sigmoid(-1) - sigmoid(1), 6)
      }
    // elsewhere nothing changes: one substitution cannot make a second ACG
    for (const p of [0, 4, 5, 6, 7]) for (let k = 0; k < 4; k++) expect(m.deltas[p * 4 + k]).toBeCloseTo(0, 6)
    const logit = await saturationMutagenesis(model, oneHot('TACGTTTT'), 0, { score: 'logit' })
    expect(logit.reference).toBeCloseTo(1, 5)
    expect(logit.deltas[1 * 4 + 3]).toBeCloseTo(-2, 5)
  })

  it('checks the target', async () => {
    await expect(saturationMutagenesis(acgModel(8), oneHot('TACGTTTT'), 3)).rejects.toThrow('target 3 does not exist: the model has 1 outputs (0..0)')
  })
})

describe('gradientTimesInput', () => {
  it('matches finite differences of the score', async () => {
    const rand = rng(8)
    const model = tfl.sequential()
    model.add(tfl.layers.conv1d({ name: 'conv1', inputShape: [12, 4], filters: 3, kernelSize: 4, activation: 'tanh' }))
    model.add(tfl.layers.flatten())
    model.add(tfl.layers.dense({ name: 'output', units: 2, activation: 'sigmoid' }))
    const x = oneHot([...'ACGTACGTTGCA'].sort(() => rand() - 0.5).join(''))
    const s = await gradientTimesInput(model, x, 1, { score: 'logit' })
    const f = (v: Float32Array): number =>
      tf.tidy(() => {
        const p = (model.predict(tf.tensor3d(v, [1, 12, 4])) as tf.Tensor).dataSync()[1]
        return Math.log(p / (1 - p))
      })
    expect(s.score).toBeCloseTo(f(x), 4)
    const h = 1e-2
    for (const i of [0, 5, 17, 30, 47]) {
      const up = x.slice()
      const down = x.slice()
      up[i] += h
      down[i] -= h
      expect(s.gradient[i]).toBeCloseTo((f(up) - f(down)) / (2 * h), 2)
      expect(s.attribution[i]).toBeCloseTo(s.gradient[i] * x[i], 6)
    }
    const p3 = s.attribution.slice(12, 16).reduce((a, b) => a + b, 0)
    expect(s.perPosition[3]).toBeCloseTo(p3, 6)
  })
})
