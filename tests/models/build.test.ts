import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  PRESET_NAMES,
  buildModel,
  countParameters,
  firstConvActivationModel,
  firstConvLayer,
  formatSummary,
  listPresets,
  modelSummary,
} from '../../src/main/models/index.js'
import { orthogonalMatrix } from '../../src/main/models/random.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

describe('presets', () => {
  it('DanQ has the published conv (33,600) and BiLSTM (1,640,960) parameter counts', () => {
    const model = buildModel({ preset: 'danq' }, { length: 300, letters: 4, targets: 3, seed: 1 })
    const rows = modelSummary(model).rows
    expect(rows.find((r) => r.name === 'conv1')?.params).toBe(33_600)
    expect(rows.find((r) => r.name === 'bilstm')?.params).toBe(1_640_960)
    expect(rows.find((r) => r.name === 'pool1')?.outputShape).toEqual([null, 21, 320]) // (300-25)/13
    expect(rows.find((r) => r.name === 'bilstm')?.outputShape).toEqual([null, 21, 640])
    model.dispose()
  })

  it('DeepSEA on 1000 bp x 919 targets counts 52,843,119 parameters without building it', () => {
    expect(countParameters({ preset: 'deepsea' }, { length: 1000, letters: 4, targets: 919 })).toBe(52_843_119)
  })

  it.each(PRESET_NAMES)('%s: the analytic parameter count equals the built model', (preset) => {
    const input = preset.startsWith('toy') || preset.startsWith('next') ? { length: 12, letters: 2, targets: 2 } : { length: 620, letters: 4, targets: 5 }
    const model = buildModel({ preset }, { ...input, seed: 3 })
    expect(model.countParams()).toBe(countParameters({ preset }, input))
    const summary = modelSummary(model)
    expect(summary.total).toBe(model.countParams())
    expect(summary.rows[summary.rows.length - 1]).toMatchObject({ name: 'output', outputShape: [null, input.targets] })
    model.dispose()
  })

  it('Basset batch norm moving statistics are non-trainable', () => {
    const model = buildModel({ preset: 'basset' }, { length: 600, letters: 4, targets: 2, seed: 1 })
    const s = modelSummary(model)
    expect(s.nonTrainable).toBe(2 * (300 + 200 + 200))
    expect(s.trainable + s.nonTrainable).toBe(s.total)
    expect(formatSummary(s)).toContain('Non-trainable params: 1,400')
    model.dispose()
  })

  it('the toys have the lecture architectures', () => {
    const rnn = buildModel({ preset: 'toy-rnn' }, { length: 10, letters: 2, targets: 1, seed: 1 })
    expect(modelSummary(rnn).rows.map((r) => [r.type, r.params])).toEqual([
      ['SimpleRNN', 2 * 2 + 2 * 2 + 2],
      ['Flatten', 0],
      ['Dense', 20 + 1],
    ])
    const lstm = buildModel({ preset: 'next-char-lstm' }, { length: 10, letters: 2, targets: 1, seed: 1 })
    expect(modelSummary(lstm).rows.map((r) => [r.type, r.params])).toEqual([
      ['LSTM', 4 * (2 + 1 + 1)],
      ['Dropout', 0],
      ['Flatten', 0],
      ['Dense', 11],
    ])
    const cnn = buildModel({ preset: 'toy-cnn' }, { length: 10, letters: 2, targets: 1, seed: 1 })
    expect(modelSummary(cnn).rows.map((r) => [r.type, r.outputShape, r.params])).toEqual([
      ['Conv1D', [null, 8, 2], 3 * 2 * 2 + 2],
      ['Flatten', [null, 16], 0],
      ['Dense', [null, 1], 17],
    ])
    for (const m of [rnn, lstm, cnn]) m.dispose()
  })

  it('custom reads filters, widths, pools, LSTM units, dense units and dropout', () => {
    const spec = { preset: 'custom' as const, params: { filters: [16, 8], widths: [9, 5], pools: [2, 0], lstmUnits: 4, dense: [6], dropout: 0.1 } }
    const model = buildModel(spec, { length: 40, letters: 4, targets: 2, seed: 1 })
    expect(model.layers.map((l) => l.name)).toEqual(['conv1', 'pool1', 'drop1', 'conv2', 'drop2', 'bilstm', 'bilstm_drop', 'flatten', 'dense1', 'dense1_drop', 'output'])
    // conv2 output (16 - 5 + 1 = 12 positions) x 2 x 4 LSTM units into the dense layer
    expect(modelSummary(model).rows.find((r) => r.name === 'dense1')?.params).toBe(12 * 8 * 6 + 6)
    model.dispose()
  })

  it('refuses a sequence too short for the architecture, naming the layer', () => {
    expect(() => buildModel({ preset: 'deepsea' }, { length: 50, letters: 4, targets: 1 })).toThrow(
      "model deepsea: sequences of 50 positions are too short for layer 'pool2'; use longer sequences (--length) or smaller widths/pools",
    )
    expect(() => buildModel({ preset: 'custom', params: { dropout: 1.5 } }, { length: 50, letters: 4, targets: 1 })).toThrow('model custom: dropout must be in [0, 1), got 1.5')
  })

  it('lists every preset with a description and a parameter count', () => {
    const presets = listPresets()
    expect(presets.map((p) => p.name)).toEqual(PRESET_NAMES)
    const danq = presets.find((p) => p.name === 'danq')!
    expect(danq.parameters).toBe(46_926_479)
    expect(danq.paper).toContain('Quang')
    for (const p of presets) expect(p.description.length).toBeGreaterThan(20)
  })
})

describe('seeded initialisation', () => {
  it('a seed gives the same weights twice, another seed different ones, and the two LSTM directions differ', () => {
    const weights = (seed: number) => {
      const m = buildModel({ preset: 'custom', params: { filters: [4], widths: [5], pools: [2], lstmUnits: 3, dense: [], dropout: 0 } }, { length: 20, letters: 4, targets: 1, seed })
      const ws = m.getWeights().map((w) => Array.from(w.dataSync()))
      m.dispose()
      return ws
    }
    const a = weights(7)
    expect(weights(7)).toEqual(a)
    expect(weights(8)[0]).not.toEqual(a[0])
    // bilstm weights: forward kernel, recurrent, bias, then backward kernel, recurrent, bias
    expect(a[2]).not.toEqual(a[5])
    expect(a[3]).not.toEqual(a[6])
  })

  it('LSTM forget-gate biases start at 1, the other gates at 0, and building leaks no tensors', () => {
    const before = tf.memory().numTensors
    const m = buildModel({ preset: 'next-char-lstm', params: { units: 2 } }, { length: 10, letters: 2, targets: 1, seed: 1 })
    expect(Array.from(m.getLayer('lstm').getWeights()[2].dataSync())).toEqual([0, 0, 1, 1, 0, 0, 0, 0])
    m.dispose()
    expect(tf.memory().numTensors).toBe(before)
  })

  it('orthogonalMatrix has orthonormal rows or columns', () => {
    for (const [rows, cols] of [[3, 12], [12, 3], [5, 5]]) {
      const m = orthogonalMatrix(rows, cols, 11)
      const byRows = rows <= cols
      const n = Math.min(rows, cols)
      const vec = (k: number) => Array.from({ length: Math.max(rows, cols) }, (_, i) => (byRows ? m[k * cols + i] : m[i * cols + k]))
      for (let a = 0; a < n; a++)
        for (let b = 0; b < n; b++) {
          const dot = vec(a).reduce((s, x, i) => s + x * vec(b)[i], 0)
          expect(dot).toBeCloseTo(a === b ? 1 : 0, 5)
        }
    }
  })
})

describe('first conv layer', () => {
  it('finds conv1 and the post-ReLU layer (after batch norm for Basset)', () => {
    const basset = buildModel({ preset: 'basset' }, { length: 600, letters: 4, targets: 1, seed: 1 })
    const fc = firstConvLayer(basset)
    expect([fc.layer.name, fc.activationLayer.name, fc.filters, fc.width, fc.letters]).toEqual(['conv1', 'relu1', 300, 19, 4])
    basset.dispose()
    const cnn = buildModel({ preset: 'motif-cnn' }, { length: 30, letters: 4, targets: 1, seed: 1 })
    const first = firstConvLayer(cnn)
    expect([first.activationLayer.name, first.filters, first.width]).toEqual(['conv1', 32, 15])
    const act = firstConvActivationModel(cnn)
    const out = tf.tidy(() => act.predict(tf.ones([2, 30, 4])) as tf.Tensor)
    expect(out.shape).toEqual([2, 16, 32])
    expect(tf.min(out).dataSync()[0]).toBeGreaterThanOrEqual(0)
    out.dispose()
    cnn.dispose()
  })

  it('refuses a model without convolutions', () => {
    const rnn = buildModel({ preset: 'toy-rnn' }, { length: 10, letters: 2, targets: 1, seed: 1 })
    expect(() => firstConvLayer(rnn)).toThrow("model 'toy_rnn' has no convolution layer 'conv1'; motifs can only be read from a conv model (e.g. --model motif-cnn)")
    rnn.dispose()
  })
})
