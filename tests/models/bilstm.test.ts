import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import * as tfl from '@tensorflow/tfjs-layers'
import { beforeAll, describe, expect, it } from 'vitest'
import { BidirectionalLSTM } from '../../src/main/models/bilstm.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const close = (a: tf.Tensor, b: tf.Tensor, tol: number) => {
  expect(a.shape).toEqual(b.shape)
  const x = a.dataSync()
  const y = b.dataSync()
  let worst = 0
  for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i] - y[i]))
  expect(worst).toBeLessThan(tol)
}

describe('BidirectionalLSTM (hand-written backward pass)', () => {
  it.each([true, false])('matches tfjs Bidirectional(LSTM) in outputs and every gradient (returnSequences %s)', (returnSequences) => {
    const units = 3
    const reference = tfl.sequential({
      layers: [
        tfl.layers.bidirectional({
          inputShape: [6, 4],
          mergeMode: 'concat',
          layer: tfl.layers.lstm({ units, returnSequences, recurrentActivation: 'sigmoid', recurrentInitializer: 'zeros' }) as unknown as tfl.RNN,
        }),
      ],
    })
    const ours = tfl.sequential({ layers: [new BidirectionalLSTM({ units, returnSequences, inputShape: [6, 4] })] })
    const weights = reference.getWeights().map((w, k) => tf.randomUniform(w.shape, -0.8, 0.8, 'float32', 10 + k))
    reference.setWeights(weights)
    ours.setWeights(weights)
    const x = tf.randomUniform([2, 6, 4], -1, 1, 'float32', 1)
    const probe = tf.randomUniform(returnSequences ? [2, 6, 2 * units] : [2, 2 * units], -1, 1, 'float32', 2)
    close(ours.predict(x) as tf.Tensor, reference.predict(x) as tf.Tensor, 1e-5)

    const gradsOf = (m: tfl.LayersModel) => {
      const vars = m.trainableWeights.map((w) => w.read() as tf.Variable)
      const { grads } = tf.variableGrads(() => tf.sum(tf.mul(m.apply(x) as tf.Tensor, probe)) as tf.Scalar, vars)
      const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(m.apply(input) as tf.Tensor, probe)))(x)
      return [...vars.map((v) => grads[v.name]), dx]
    }
    const a = gradsOf(ours)
    const b = gradsOf(reference)
    expect(a).toHaveLength(7)
    a.forEach((g, k) => close(g, b[k], 1e-5))
    reference.dispose()
    ours.dispose()
  })

  it('frees everything it allocates in a training step', () => {
    const m = tfl.sequential({ layers: [new BidirectionalLSTM({ units: 4, inputShape: [7, 3] })] })
    const x = tf.randomUniform([2, 7, 3])
    const vars = m.trainableWeights.map((w) => w.read() as tf.Variable)
    const before = tf.memory().numTensors
    const { value, grads } = tf.variableGrads(() => tf.sum(m.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, vars)
    tf.dispose([value, ...Object.values(grads)])
    expect(tf.memory().numTensors).toBe(before)
    m.dispose()
    x.dispose()
  })
})
