import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { firstConvActivationModel } from '../../src/main/models/index.js'
import { SpecKernels, firstLayerSpec } from '../../src/main/motifs/scan.js'
import { convModel, rng } from './fixtures.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('firstLayerSpec', () => {
  it('folds batch norm into the conv and matches the model activations', () => {
    const rand = rng(4)
    const kernels = Array.from({ length: 5 }, () => Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => rand() - 0.5)))
    const model = convModel({ length: 30, kernels, biases: kernels.map(() => rand() - 0.5), batchNorm: true, padding: 'same' })
    const bn = model.getLayer('bn1')
    const w = [5, 5, 5, 5].map((n, i) => tf.tensor1d(Array.from({ length: n }, () => (i === 3 ? 0.2 + rand() : rand() * 2 - 1))))
    bn.setWeights(w) // gamma, beta, moving mean, moving variance
    tf.dispose(w)
    const spec = firstLayerSpec(model)
    expect(spec).toMatchObject({ width: 6, letters: 4, filters: 5, activation: 'relu', padding: 'same' })
    const x = tf.tensor3d(Array.from({ length: 2 * 30 * 4 }, () => (rand() < 0.25 ? 1 : 0)), [2, 30, 4])
    const k = new SpecKernels(spec!, 30)
    const ours = k.activations(x).arraySync()
    const ref = (firstConvActivationModel(model).predict(x) as tf.Tensor).arraySync() as number[][][]
    ours.forEach((s, i) => s.forEach((p, t) => p.forEach((v, f) => expect(v).toBeCloseTo(ref[i][t][f], 5))))
    k.dispose()
    x.dispose()
  })

  it('returns null for a first layer it cannot describe', () => {
    const model = tfl.sequential()
    model.add(tfl.layers.conv1d({ name: 'conv1', inputShape: [20, 4], filters: 2, kernelSize: 3, activation: 'linear' }))
    model.add(tfl.layers.activation({ name: 'act', activation: 'softmax' }))
    model.add(tfl.layers.flatten())
    expect(firstLayerSpec(model)).toBeNull()
  })
})
