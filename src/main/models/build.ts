/**
 * Turn a layer plan into a TensorFlow.js layers model, with seeded weight initialisation so
 * a fixed seed builds the same weights on every backend, and a Keras-style summary.
 *
 * Input: one-hot `[batch, length, letters]`; output `[batch, targets]`.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import type { ModelSpec, ModelSummary } from '../../shared/types.js'
import { UserError } from '../errors.js'
import { BidirectionalLSTM } from './bilstm.js'
import { orthogonalMatrix } from './random.js'
import { FIRST_CONV_NAME, type LayerPlan, type ModelInput, layerPlan, planShapes } from './presets.js'

export interface BuildOptions extends ModelInput {
  /** Seed of the weight initialisers; each layer derives its own from it. */
  seed?: number
}

/** A 31-bit seed for layer `index` and weight `slot` from the model seed (splitmix-style hash). */
function layerSeed(seed: number, index: number, slot: number): number {
  let h = (seed ^ Math.imul(index + 1, 0x9e3779b1) ^ Math.imul(slot + 1, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0
  return (h ^ (h >>> 16)) & 0x7fffffff
}

function makeLayer(plan: LayerPlan, index: number, seed: number, inputShape?: number[]): tfl.layers.Layer {
  const glorot = (slot: number) => tfl.initializers.glorotUniform({ seed: layerSeed(seed, index, slot) })
  // Recurrent kernels start as zeros here and get their orthogonal values in buildModel.
  const orthogonal = () => tfl.initializers.zeros()
  const base = { name: plan.name, ...(inputShape ? { inputShape } : {}) }
  switch (plan.type) {
    case 'conv1d':
      return tfl.layers.conv1d({ ...base, filters: plan.filters, kernelSize: plan.width, activation: plan.activation, kernelInitializer: glorot(0) })
    case 'maxpool':
      return tfl.layers.maxPooling1d({ ...base, poolSize: plan.size, strides: plan.size })
    case 'globalmaxpool':
      return tfl.layers.globalMaxPooling1d(base)
    case 'batchnorm':
      return tfl.layers.batchNormalization({ ...base, axis: -1 })
    case 'activation':
      return tfl.layers.activation({ ...base, activation: plan.activation })
    case 'dropout':
      return tfl.layers.dropout({ ...base, rate: plan.rate })
    case 'flatten':
      return tfl.layers.flatten(base)
    case 'dense':
      return tfl.layers.dense({ ...base, units: plan.units, activation: plan.activation, kernelInitializer: glorot(0) })
    case 'simplernn':
      return tfl.layers.simpleRNN({
        ...base,
        units: plan.units,
        returnSequences: plan.returnSequences,
        kernelInitializer: glorot(0),
        recurrentInitializer: orthogonal(),
      })
    case 'lstm':
      return tfl.layers.lstm({
        ...base,
        units: plan.units,
        returnSequences: plan.returnSequences,
        kernelInitializer: glorot(0),
        recurrentInitializer: orthogonal(),
      })
    case 'bilstm':
      return new BidirectionalLSTM({ ...base, units: plan.units, returnSequences: plan.returnSequences, kernelInitializer: glorot(0) })
  }
}

/**
 * Build the model for a spec. Weights are initialised from `seed` (glorot-uniform kernels,
 * orthogonal recurrent kernels, zero biases, LSTM forget-gate bias 1, as Keras does).
 */
export function buildModel(spec: ModelSpec, options: BuildOptions): tfl.LayersModel {
  for (const [k, v] of [['length', options.length], ['letters', options.letters], ['targets', options.targets]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new UserError(`model ${spec.preset}: ${k} must be a positive integer, got ${v}`)
  }
  planShapes(spec, options) // checks the input is long enough, with a message naming the layer
  const seed = options.seed ?? Math.floor(Math.random() * 2 ** 31)
  const plans = layerPlan(spec, options)
  const model = tfl.sequential({ name: spec.preset.replace(/-/g, '_') })
  plans.forEach((plan, i) => model.add(makeLayer(plan, i, seed, i === 0 ? [options.length, options.letters] : undefined)))
  // Recurrent kernels: orthogonal, drawn in JS (tfjs' QR takes minutes on 320 x 1280).
  // Weights come in (kernel, recurrent kernel, bias) triples, one per direction; the
  // backward direction gets its own seeds so the two directions start different.
  plans.forEach((plan, i) => {
    if (plan.type !== 'bilstm' && plan.type !== 'lstm' && plan.type !== 'simplernn') return
    const layer = model.getLayer(plan.name)
    const weights = layer.getWeights()
    const fresh = tf.tidy(() =>
      weights.map((w, k) => {
        const direction = Math.floor(k / 3)
        const shape = w.shape as number[]
        if (k % 3 === 0) return direction === 0 ? w.clone() : tfl.initializers.glorotUniform({ seed: layerSeed(seed, i, 2) }).apply(shape)
        if (k % 3 === 1) return tf.tensor2d(orthogonalMatrix(shape[0], shape[1], layerSeed(seed, i, 3 + direction)), shape as [number, number])
        return forgetGateBias(plan.type, shape[0])
      }),
    )
    layer.setWeights(fresh)
    tf.dispose(fresh)
  })
  return model
}

/**
 * Recurrent bias: zeros, except an LSTM's forget gate starts at 1 (Keras' unitForgetBias),
 * set here rather than through the layer option, whose initializer leaks 4 tensors on
 * every build and load in tfjs-layers 4.22. Gate order in tfjs: input, forget, cell, output.
 */
function forgetGateBias(type: LayerPlan['type'], size: number): tf.Tensor1D {
  const values = new Float32Array(size)
  if (type !== 'simplernn') values.fill(1, size / 4, size / 2)
  return tf.tensor1d(values)
}

function shapeOf(layer: tfl.layers.Layer): (number | null)[] {
  const s = layer.outputShape
  return (Array.isArray(s[0]) ? (s[0] as (number | null)[]) : (s as (number | null)[])).slice()
}

/** Keras `model.summary()` as data: one row per layer, plus totals. */
export function modelSummary(model: tfl.LayersModel): ModelSummary {
  const size = (ws: tfl.LayerVariable[]) => ws.reduce((s, w) => s + (w.shape as number[]).reduce((a, b) => a * b, 1), 0)
  const rows = model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    outputShape: shapeOf(layer),
    params: layer.countParams(),
  }))
  const trainable = size(model.trainableWeights)
  const nonTrainable = size(model.nonTrainableWeights)
  return { rows, total: trainable + nonTrainable, trainable, nonTrainable }
}

/** The summary as fixed-width text, like Keras prints it. */
export function formatSummary(summary: ModelSummary): string {
  const head = ['Layer (type)', 'Output shape', 'Param #']
  const body = summary.rows.map((r) => [`${r.name} (${r.type})`, `[${r.outputShape.map((d) => (d === null ? 'null' : d)).join(',')}]`, r.params.toLocaleString('en-US')])
  const widths = head.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)))
  const line = (cells: string[]) => cells.map((s, c) => (c === 2 ? s.padStart(widths[c]) : s.padEnd(widths[c]))).join('  ')
  const rule = '-'.repeat(widths.reduce((a, b) => a + b + 2, -2))
  return [
    line(head),
    rule,
    ...body.map(line),
    rule,
    `Total params: ${summary.total.toLocaleString('en-US')}`,
    `Trainable params: ${summary.trainable.toLocaleString('en-US')}`,
    `Non-trainable params: ${summary.nonTrainable.toLocaleString('en-US')}`,
    '',
  ].join('\n')
}

/** What interpretation needs about the first convolution. */
export interface FirstConv {
  /** The Conv1D layer; its kernel is `[width, letters, filters]`, its bias `[filters]`. */
  layer: tfl.layers.Layer
  /** The layer whose output is the filters' activation after ReLU (`[batch, length - width + 1, filters]`). */
  activationLayer: tfl.layers.Layer
  filters: number
  width: number
  letters: number
}

/**
 * The first convolution of a conv model (named `conv1` in every preset); throws a UserError
 * for models without one (the RNN toys), whose filters cannot be read as motifs.
 */
export function firstConvLayer(model: tfl.LayersModel): FirstConv {
  const index = model.layers.findIndex((l) => l.name === FIRST_CONV_NAME && l.getClassName() === 'Conv1D')
  if (index < 0) throw new UserError(`model '${model.name}' has no convolution layer '${FIRST_CONV_NAME}'; motifs can only be read from a conv model (e.g. --model motif-cnn)`)
  const layer = model.layers[index]
  const [width, letters, filters] = layer.getWeights()[0].shape
  // With batch norm (Basset) the ReLU comes two layers later; otherwise the conv applies it.
  let activationLayer = layer
  for (let j = index + 1; j < model.layers.length && j <= index + 2; j++) {
    if (model.layers[j].getClassName() === 'Activation') activationLayer = model.layers[j]
  }
  return { layer, activationLayer, filters, width, letters }
}

/** A model from the input to the first conv's activations, sharing the weights. */
export function firstConvActivationModel(model: tfl.LayersModel): tfl.LayersModel {
  const { activationLayer } = firstConvLayer(model)
  return tfl.model({ inputs: model.inputs, outputs: activationLayer.output as tfl.SymbolicTensor })
}
