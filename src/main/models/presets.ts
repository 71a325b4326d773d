/**
 * Model presets as layer plans: plain lists of layer descriptions that `buildModel` turns
 * into a TensorFlow.js model and `countParameters` sizes without allocating a tensor (the
 * Model view shows parameter counts for DeepSEA-sized models that would take 200 MB to build).
 *
 * Input convention: one-hot `[batch, length, letters]` (channels last). Convolutions and
 * pools use 'valid' padding, so every conv of width w shortens the sequence by w - 1 and a
 * pool of size p (stride p) divides it by p, rounding down, as in the published Keras code.
 */
import type { ModelParams, ModelPresetInfo, ModelPresetName, ModelSpec } from '../../shared/types.js'
import { UserError } from '../errors.js'

export type Activation = 'relu' | 'sigmoid' | 'softmax' | 'linear' | 'tanh'

/** One layer of a plan. Names are fixed so checkpoints and interpretation can find layers. */
export type LayerPlan =
  | { type: 'conv1d'; name: string; filters: number; width: number; activation: Activation }
  | { type: 'maxpool'; name: string; size: number }
  | { type: 'globalmaxpool'; name: string }
  | { type: 'batchnorm'; name: string }
  | { type: 'activation'; name: string; activation: Activation }
  | { type: 'dropout'; name: string; rate: number }
  | { type: 'simplernn' | 'lstm'; name: string; units: number; returnSequences: boolean }
  | { type: 'bilstm'; name: string; units: number; returnSequences: boolean }
  | { type: 'flatten'; name: string }
  | { type: 'dense'; name: string; units: number; activation: Activation }

export interface ModelInput {
  /** Sequence length (positions). */
  length: number
  /** Alphabet size (one-hot channels). */
  letters: number
  /** Number of outputs. */
  targets: number
  /** Output nonlinearity: sigmoid per target (multi-label), softmax (one class of several), linear (regression). */
  outputActivation?: 'sigmoid' | 'softmax' | 'linear'
}

/** The name of the first convolution of every conv preset; interpretation reads its filters. */
export const FIRST_CONV_NAME = 'conv1'
export const OUTPUT_NAME = 'output'

interface PresetDefinition {
  title: string
  description: string
  paper: string | null
  whenToUse: string
  defaults: ModelParams
  typicalInput: { length: number; letters: number; targets: number }
  plan(p: Required<ModelParams>): LayerPlan[]
}

/** Conv blocks (conv -> [batchnorm -> relu] -> pool -> dropout) shared by the CNN presets. */
function convBlocks(p: Required<ModelParams>, opts: { batchNorm?: boolean; dropouts?: number[] } = {}): LayerPlan[] {
  const out: LayerPlan[] = []
  p.filters.forEach((filters, i) => {
    const k = i + 1
    const width = p.widths[i] ?? p.widths[p.widths.length - 1]
    out.push({ type: 'conv1d', name: `conv${k}`, filters, width, activation: opts.batchNorm ? 'linear' : 'relu' })
    if (opts.batchNorm) {
      out.push({ type: 'batchnorm', name: `bn${k}` })
      out.push({ type: 'activation', name: `relu${k}`, activation: 'relu' })
    }
    const pool = p.pools[i] ?? 0
    if (pool > 1) out.push({ type: 'maxpool', name: `pool${k}`, size: pool })
    const rate = opts.dropouts ? opts.dropouts[i] : p.dropout
    if (rate > 0) out.push({ type: 'dropout', name: `drop${k}`, rate })
  })
  return out
}

function denseBlocks(p: Required<ModelParams>, rate = p.dropout): LayerPlan[] {
  const out: LayerPlan[] = []
  p.dense.forEach((units, i) => {
    out.push({ type: 'dense', name: `dense${i + 1}`, units, activation: 'relu' })
    if (rate > 0) out.push({ type: 'dropout', name: `dense${i + 1}_drop`, rate })
  })
  return out
}

const BASE: Required<ModelParams> = {
  filters: [],
  widths: [],
  pools: [],
  globalPool: false,
  lstmUnits: 0,
  dense: [],
  dropout: 0,
  units: 1,
}

const PRESETS: Record<ModelPresetName, PresetDefinition> = {
  'motif-cnn': {
    title: 'Motif CNN',
    description:
      'One convolution layer (32 filters of 15 bp, ReLU), a global max-pool over positions and a Dense output. Each filter is a motif detector you can read as a sequence logo.',
    paper: null,
    whenToUse: 'The default for small data (hundreds to tens of thousands of sequences) and when the point is to read the motifs.',
    defaults: { filters: [32], widths: [15], globalPool: true, dropout: 0, dense: [] },
    typicalInput: { length: 200, letters: 4, targets: 1 },
    plan: (p) => [
      ...convBlocks({ ...p, pools: [] }, { dropouts: p.filters.map(() => 0) }),
      { type: 'globalmaxpool', name: 'global_pool' },
      ...(p.dropout > 0 ? [{ type: 'dropout', name: 'pool_drop', rate: p.dropout } as LayerPlan] : []),
      ...denseBlocks(p),
    ],
  },
  deepsea: {
    title: 'DeepSEA',
    description:
      'Three convolutions (320, 480, 960 filters of 8 bp, ReLU), max-pools of 4 after the first two, dropout 0.2/0.2/0.5, a Dense layer of 925 units and a sigmoid per target.',
    paper: 'Zhou & Troyanskaya (2015) Predicting effects of noncoding variants with deep learning-based sequence model. Nature Methods 12:931-934',
    whenToUse: 'Many chromatin targets (hundreds) on 1000 bp windows and hundreds of thousands of sequences.',
    defaults: { filters: [320, 480, 960], widths: [8, 8, 8], pools: [4, 4, 0], dense: [925] },
    typicalInput: { length: 1000, letters: 4, targets: 919 },
    plan: (p) => [
      ...convBlocks(p, { dropouts: [0.2, 0.2, 0.5] }),
      { type: 'flatten', name: 'flatten' },
      ...denseBlocks(p, 0),
    ],
  },
  danq: {
    title: 'DanQ',
    description:
      'A convolution (320 filters of 26 bp, ReLU), max-pool 13, dropout 0.2, a bidirectional LSTM (320 units each way), dropout 0.5, a Dense layer of 925 units and a sigmoid per target.',
    paper: 'Quang & Xie (2016) DanQ: a hybrid convolutional and recurrent deep neural network for quantifying the function of DNA sequences. Nucleic Acids Research 44:e107',
    whenToUse: 'DeepSEA-sized data where the arrangement of motifs (grammar) matters; slower to train than DeepSEA.',
    defaults: { filters: [320], widths: [26], pools: [13], lstmUnits: 320, dense: [925] },
    typicalInput: { length: 1000, letters: 4, targets: 919 },
    plan: (p) => [
      ...convBlocks(p, { dropouts: [0.2] }),
      { type: 'bilstm', name: 'bilstm', units: p.lstmUnits, returnSequences: true },
      { type: 'dropout', name: 'bilstm_drop', rate: 0.5 },
      { type: 'flatten', name: 'flatten' },
      ...denseBlocks(p, 0),
    ],
  },
  basset: {
    title: 'Basset',
    description:
      'Three convolutions (300x19, 200x11, 200x7) each with batch normalisation and ReLU, max-pools of 3, 4 and 4, two Dense layers of 1000 units with dropout 0.3, and a sigmoid per target.',
    paper: 'Kelley, Snoek & Rinn (2016) Basset: learning the regulatory code of the accessible genome with deep convolutional neural networks. Genome Research 26:990-999',
    whenToUse: 'Accessibility across many cell types on 600 bp peaks; batch normalisation makes it train fast.',
    defaults: { filters: [300, 200, 200], widths: [19, 11, 7], pools: [3, 4, 4], dense: [1000, 1000], dropout: 0.3 },
    typicalInput: { length: 600, letters: 4, targets: 164 },
    plan: (p) => [...convBlocks(p, { batchNorm: true, dropouts: p.filters.map(() => 0) }), { type: 'flatten', name: 'flatten' }, ...denseBlocks(p)],
  },
  'toy-rnn': {
    title: 'Toy RNN',
    description: 'SimpleRNN with 2 units returning every position, Flatten, one sigmoid output: the lecture toy for reading sequences.',
    paper: null,
    whenToUse: 'Teaching: tiny binary or DNA toy sets.',
    defaults: { units: 2 },
    typicalInput: { length: 10, letters: 2, targets: 1 },
    plan: (p) => [
      { type: 'simplernn', name: 'rnn', units: p.units, returnSequences: true },
      { type: 'flatten', name: 'flatten' },
    ],
  },
  'toy-cnn': {
    title: 'Toy CNN',
    description: 'Conv1D with 2 filters of width 3 (ReLU), Flatten, one sigmoid output: the lecture toy for motif detection.',
    paper: null,
    whenToUse: 'Teaching: a planted 3-letter motif in short sequences.',
    defaults: { filters: [2], widths: [3] },
    typicalInput: { length: 10, letters: 2, targets: 1 },
    plan: (p) => [...convBlocks(p, { dropouts: [0] }), { type: 'flatten', name: 'flatten' }],
  },
  'next-char-rnn': {
    title: 'Next-character SimpleRNN',
    description: 'SimpleRNN with 1 unit returning every position, dropout 0.2, Flatten, sigmoid outputs: the lecture baseline for next-character prediction.',
    paper: null,
    whenToUse: 'Teaching: compare with the LSTM on a task that needs long memory (palindromes).',
    defaults: { units: 1, dropout: 0.2 },
    typicalInput: { length: 20, letters: 2, targets: 1 },
    plan: (p) => [
      { type: 'simplernn', name: 'rnn', units: p.units, returnSequences: true },
      { type: 'dropout', name: 'rnn_drop', rate: p.dropout },
      { type: 'flatten', name: 'flatten' },
    ],
  },
  'next-char-lstm': {
    title: 'Next-character LSTM',
    description: 'LSTM with 1 unit returning every position, dropout 0.2, Flatten, sigmoid outputs: the gated version of the next-character toy.',
    paper: 'Hochreiter & Schmidhuber (1997) Long short-term memory. Neural Computation 9:1735-1780',
    whenToUse: 'Teaching: shows what gating buys over a SimpleRNN when the answer depends on a distant letter.',
    defaults: { units: 1, dropout: 0.2 },
    typicalInput: { length: 20, letters: 2, targets: 1 },
    plan: (p) => [
      { type: 'lstm', name: 'lstm', units: p.units, returnSequences: true },
      { type: 'dropout', name: 'lstm_drop', rate: p.dropout },
      { type: 'flatten', name: 'flatten' },
    ],
  },
  custom: {
    title: 'Custom',
    description: 'Your own stack: conv layers (filters, widths, pools), an optional bidirectional LSTM, Dense layers and dropout.',
    paper: null,
    whenToUse: 'When no preset fits; start from the motif CNN and add layers one at a time.',
    defaults: { filters: [64], widths: [15], pools: [4], lstmUnits: 0, dense: [64], dropout: 0.2 },
    typicalInput: { length: 200, letters: 4, targets: 1 },
    plan: (p) => {
      const layers = convBlocks(p)
      if (p.lstmUnits > 0) {
        layers.push({ type: 'bilstm', name: 'bilstm', units: p.lstmUnits, returnSequences: !p.globalPool })
        if (p.dropout > 0) layers.push({ type: 'dropout', name: 'bilstm_drop', rate: p.dropout })
      }
      if (p.globalPool && p.lstmUnits === 0) layers.push({ type: 'globalmaxpool', name: 'global_pool' })
      else if (!(p.lstmUnits > 0 && p.globalPool)) layers.push({ type: 'flatten', name: 'flatten' })
      layers.push(...denseBlocks(p))
      return layers
    },
  },
}

export const PRESET_NAMES = Object.keys(PRESETS) as ModelPresetName[]

export function isPresetName(name: string): name is ModelPresetName {
  return Object.hasOwn(PRESETS, name)
}

/** The preset's defaults overlaid with the spec's params, checked. */
export function resolveParams(spec: ModelSpec): Required<ModelParams> {
  const def = PRESETS[spec.preset]
  if (!def) throw new UserError(`model: unknown preset '${String(spec.preset)}'; choose one of ${PRESET_NAMES.join(', ')}`)
  const p: Required<ModelParams> = { ...BASE, ...def.defaults, ...(spec.params ?? {}) }
  const bad = (what: string) => new UserError(`model ${spec.preset}: ${what}`)
  const positiveInts = (xs: number[], name: string, allowZero = false) => {
    for (const x of xs) if (!Number.isInteger(x) || x < (allowZero ? 0 : 1)) throw bad(`${name} must be ${allowZero ? 'non-negative' : 'positive'} integers, got ${x}`)
  }
  positiveInts(p.filters, 'filters')
  positiveInts(p.widths, 'widths')
  positiveInts(p.pools, 'pools', true)
  positiveInts(p.dense, 'dense units')
  positiveInts([p.units], 'units')
  positiveInts([p.lstmUnits], 'LSTM units', true)
  if (p.filters.length > 0 && p.widths.length === 0) throw bad('give a width for the conv filters')
  if (!(p.dropout >= 0 && p.dropout < 1)) throw bad(`dropout must be in [0, 1), got ${p.dropout}`)
  return p
}

/** The layers of a model, output layer included. */
export function layerPlan(spec: ModelSpec, input: ModelInput): LayerPlan[] {
  const p = resolveParams(spec)
  const layers = PRESETS[spec.preset].plan(p)
  layers.push({ type: 'dense', name: OUTPUT_NAME, units: input.targets, activation: input.outputActivation ?? 'sigmoid' })
  return layers
}

/**
 * Output shapes (without the batch dimension) and parameter counts of a plan, computed
 * without building it. Throws a UserError naming the layer when the sequence is too short.
 */
export function planShapes(
  spec: ModelSpec,
  input: ModelInput,
): { layer: LayerPlan; shape: number[]; params: number; trainable: number }[] {
  let shape = [input.length, input.letters]
  const rows: { layer: LayerPlan; shape: number[]; params: number; trainable: number }[] = []
  for (const layer of layerPlan(spec, input)) {
    let params = 0
    let trainable = -1
    const channels = shape[shape.length - 1]
    switch (layer.type) {
      case 'conv1d':
        params = layer.width * channels * layer.filters + layer.filters
        shape = [shape[0] - layer.width + 1, layer.filters]
        break
      case 'maxpool':
        shape = [Math.floor(shape[0] / layer.size), channels]
        break
      case 'globalmaxpool':
        shape = [channels]
        break
      case 'batchnorm':
        params = 4 * channels
        trainable = 2 * channels
        break
      case 'simplernn':
        params = channels * layer.units + layer.units * layer.units + layer.units
        shape = layer.returnSequences ? [shape[0], layer.units] : [layer.units]
        break
      case 'lstm':
        params = 4 * (channels * layer.units + layer.units * layer.units + layer.units)
        shape = layer.returnSequences ? [shape[0], layer.units] : [layer.units]
        break
      case 'bilstm':
        params = 8 * (channels * layer.units + layer.units * layer.units + layer.units)
        shape = layer.returnSequences ? [shape[0], 2 * layer.units] : [2 * layer.units]
        break
      case 'flatten':
        shape = [shape.reduce((a, b) => a * b, 1)]
        break
      case 'dense':
        params = channels * layer.units + layer.units
        shape = [...shape.slice(0, -1), layer.units]
        break
      case 'activation':
      case 'dropout':
        break
    }
    if (shape.some((d) => d < 1)) {
      throw new UserError(
        `model ${spec.preset}: sequences of ${input.length} positions are too short for layer '${layer.name}'; use longer sequences (--length) or smaller widths/pools`,
      )
    }
    rows.push({ layer, shape, params, trainable: trainable < 0 ? params : trainable })
  }
  return rows
}

/** Total parameters of a spec on an input, without building the model. */
export function countParameters(spec: ModelSpec, input: ModelInput): number {
  return planShapes(spec, input).reduce((s, r) => s + r.params, 0)
}

/** Every preset as a card for the Model view, with its parameter count on a typical input. */
export function listPresets(): ModelPresetInfo[] {
  return PRESET_NAMES.map((name) => {
    const d = PRESETS[name]
    const params = resolveParams({ preset: name })
    return {
      name,
      title: d.title,
      description: d.description,
      paper: d.paper,
      whenToUse: d.whenToUse,
      params: { ...params },
      typicalInput: { ...d.typicalInput },
      parameters: countParameters({ preset: name }, d.typicalInput),
    }
  })
}
