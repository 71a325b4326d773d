/**
 * Faster in-silico saturation mutagenesis for conv stacks (the idea of fastISM, Nair et al.
 * 2022): a single-base change only alters the convolution and pooling outputs whose
 * receptive field covers it. So the model is cut after its last position-local layer
 * (Conv1D / pooling / batch norm / activation / dropout, 'valid' padding): the "trunk"
 * runs on a short input window around each mutation, its output is spliced into the
 * reference sequence's trunk output, and only the "head" (flatten, dense, ...) runs on the
 * full-length activations. Results equal plain mutagenesis (saturationMutagenesis) up to
 * float rounding; the test checks that.
 *
 * Geometry of the trunk: with total stride S (product of pool strides) and receptive field
 * R, trunk output position j reads input [j*S, j*S + R). Windows start at multiples of S so
 * every layer's positions line up with the full-length run.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { CancelledError, UserError } from '../errors.js'
import { saturationMutagenesis, type Mutagenesis, type MutagenesisOptions } from './attribution.js'

const LOCAL = new Set(['Conv1D', 'MaxPooling1D', 'AveragePooling1D', 'BatchNormalization', 'Activation', 'Dropout', 'SpatialDropout1D', 'GaussianNoise', 'GaussianDropout'])

export interface TrunkGeometry {
  /** Model layers [0, cut) form the trunk. */
  cut: number
  stride: number
  receptive: number
  /** Trunk output positions and channels for the full-length input. */
  positions: number
  channels: number
  /** Trunk output positions recomputed per mutant, and the input window that yields them. */
  window: number
  windowInput: number
}

const one = (v: unknown): number => (Array.isArray(v) ? Number(v[0]) : Number(v))

/**
 * Where a Sequential-style conv model can be cut, or null when it cannot (no local prefix,
 * 'same' padding, dilation, or the window would not be shorter than the sequence).
 */
export function trunkGeometry(model: tfl.LayersModel): TrunkGeometry | null {
  const shape = model.inputs[0].shape
  const L = shape[1]
  if (shape.length !== 3 || L === null) return null
  let stride = 1
  let receptive = 1
  let cut = 0
  for (const layer of model.layers) {
    const cls = layer.getClassName()
    if (cls === 'InputLayer') {
      cut++
      continue
    }
    if (!LOCAL.has(cls)) break
    const c = layer.getConfig() as { padding?: string; strides?: unknown; dilationRate?: unknown; kernelSize?: unknown; poolSize?: unknown }
    if (cls === 'Conv1D') {
      if (c.padding !== 'valid' || one(c.strides ?? 1) !== 1 || one(c.dilationRate ?? 1) !== 1) break
      receptive += (one(c.kernelSize) - 1) * stride
    } else if (cls === 'MaxPooling1D' || cls === 'AveragePooling1D') {
      const size = one(c.poolSize)
      const s = one(c.strides ?? size)
      if (c.padding !== 'valid' || s !== size) break
      receptive += (size - 1) * stride
      stride *= s
    }
    cut++
  }
  if (cut === 0 || cut === model.layers.length) return null
  const out = model.layers[cut - 1].outputShape as (number | null)[]
  const positions = out[1]
  const channels = out[2]
  if (out.length !== 3 || positions === null || channels === null || positions < 1) return null
  // a mutation at p touches j in [ceil((p - R + 1) / S), floor(p / S)]: at most floor((R - 1) / S) + 1 positions
  const window = Math.min(positions, Math.floor((receptive - 1) / stride) + 1)
  const windowInput = (window - 1) * stride + receptive
  if (windowInput > L || window * 2 > positions) return null
  return { cut, stride, receptive, positions, channels, window, windowInput }
}

interface Parts {
  geometry: TrunkGeometry
  trunk: tfl.LayersModel
  full: tfl.LayersModel
  head: tfl.LayersModel
}

const partsCache = new WeakMap<tfl.LayersModel, Promise<Parts | null>>()

interface LayerJson {
  class_name: string
  config: Record<string, unknown>
}

/**
 * A Sequential copy of `layers` (the model's own, as JSON) reading `[length, channels]`,
 * with the model's weights. Copies rather than re-applying the model's layers to new
 * inputs, which would give them several inbound nodes and break `layer.output` for
 * everything else that reads this model (filter activations, summaries).
 */
async function copyOf(model: tfl.LayersModel, from: number, to: number, length: number, channels: number, name: string): Promise<tfl.LayersModel> {
  const topology = model.toJSON(null, false) as unknown as { config: { layers: LayerJson[] } }
  const all = topology.config.layers
  const offset = all.length - model.layers.length // an InputLayer entry, if the JSON lists one
  const layers = all.slice(from + offset, to + offset).map((l, i) => (i === 0 ? { ...l, config: { ...l.config, batch_input_shape: [null, length, channels] } } : l))
  const copy = await tfl.models.modelFromJSON({ class_name: 'Sequential', config: { name, layers } } as never)
  copy.layers.forEach((layer, i) => layer.setWeights(model.layers[from + i].getWeights()))
  return copy
}

/** The trunk on windows and on the whole sequence, and the head, with the model's weights. */
function partsOf(model: tfl.LayersModel): Promise<Parts | null> {
  let parts = partsCache.get(model)
  if (!parts) {
    parts = (async () => {
      const geometry = trunkGeometry(model)
      if (!geometry) return null
      try {
        return await buildParts(model, geometry)
      } catch {
        return null // a layer that cannot be copied from its JSON: plain mutagenesis instead
      }
    })()
    partsCache.set(model, parts)
  }
  return parts
}

async function buildParts(model: tfl.LayersModel, geometry: TrunkGeometry): Promise<Parts> {
  const [L, A] = [model.inputs[0].shape[1] as number, model.inputs[0].shape[2] as number]
  return {
    geometry,
    trunk: await copyOf(model, 0, geometry.cut, geometry.windowInput, A, 'ism_trunk_window'),
    full: await copyOf(model, 0, geometry.cut, L, A, 'ism_trunk'),
    head: await copyOf(model, geometry.cut, model.layers.length, geometry.positions, geometry.channels, 'ism_head'),
  }
}

/**
 * Saturation mutagenesis the fastest way that gives the same numbers: the trunk/head split
 * where it pays off and the model can be copied, else every mutant through the whole model.
 */
export async function saturationMutagenesisAuto(model: tfl.LayersModel, x: Float32Array, target: number, opts: Omit<MutagenesisOptions, 'score'> = {}): Promise<Mutagenesis & { method: 'split' | 'whole' }> {
  if (fastMutagenesisPaysOff(model) && (await partsOf(model))) return { ...(await fastSaturationMutagenesis(model, x, target, opts)), method: 'split' }
  return { ...(await saturationMutagenesis(model, x, target, opts)), method: 'whole' }
}

/** Whether `fastSaturationMutagenesis` can run on this model. */
export function canCutModel(model: tfl.LayersModel): boolean {
  return trunkGeometry(model) !== null
}

/**
 * Whether the split pays off: a trunk with pooling (stride > 1) whose window is at most half
 * the sequence. A single conv before a global pool (motif-cnn) is cheaper to run whole
 * (1000 bp: 1.2 s whole vs 2.2 s split, wasm).
 */
export function fastMutagenesisPaysOff(model: tfl.LayersModel): boolean {
  const g = trunkGeometry(model)
  return g !== null && g.stride > 1 && g.windowInput * 2 <= (model.inputs[0].shape[1] as number)
}

/**
 * Saturation mutagenesis of one sequence `x` (`[length][letters]` one-hot) for one target,
 * through the trunk/head split: the same numbers as saturationMutagenesis (score 'output'),
 * far fewer operations for long sequences. Throws when the model cannot be cut
 * (check canCutModel first).
 */
export async function fastSaturationMutagenesis(model: tfl.LayersModel, x: Float32Array, target: number, opts: Omit<MutagenesisOptions, 'score'> = {}): Promise<Mutagenesis> {
  const parts = await partsOf(model)
  if (!parts) throw new UserError(`model '${model.name}' cannot be split into a convolution trunk and a head; use saturationMutagenesis`)
  const { geometry: g, trunk, full, head } = parts
  const [L, A] = [model.inputs[0].shape[1] as number, model.inputs[0].shape[2] as number]
  if (x.length !== L * A) throw new UserError(`model '${model.name}' reads ${L} x ${A} one-hot values; this sequence has ${x.length}`)
  const outputs = (model.outputs[0].shape[model.outputs[0].shape.length - 1] ?? 1) as number
  if (!Number.isInteger(target) || target < 0 || target >= outputs) throw new UserError(`target ${target} does not exist: the model has ${outputs} outputs (0..${outputs - 1})`)
  const batchSize = Math.max(1, opts.batchSize ?? 128)

  const refAct = tf.tidy(() => (full.predict(tf.tensor3d(x, [1, L, A])) as tf.Tensor).dataSync().slice() as Float32Array)
  const reference = tf.tidy(() => (head.predict(tf.tensor3d(refAct, [1, g.positions, g.channels])) as tf.Tensor).dataSync()[target])

  const mutants: [number, number][] = []
  for (let p = 0; p < L; p++) for (let k = 0; k < A; k++) if (x[p * A + k] !== 1) mutants.push([p, k])
  const deltas = new Float32Array(L * A)
  const PC = g.positions * g.channels
  const WC = g.window * g.channels
  for (let b = 0; b < mutants.length; b += batchSize) {
    if (opts.signal?.aborted) throw new CancelledError('mutagenesis cancelled')
    const chunk = mutants.slice(b, b + batchSize)
    const n = chunk.length
    // the window of trunk positions each mutant changes, and its input
    const starts = chunk.map(([p]) => Math.min(Math.max(0, Math.ceil((p - g.receptive + 1) / g.stride)), g.positions - g.window))
    const windows = new Float32Array(n * g.windowInput * A)
    chunk.forEach(([p, k], i) => {
      const from = starts[i] * g.stride
      windows.set(x.subarray(from * A, (from + g.windowInput) * A), i * g.windowInput * A)
      // a base past the trunk's last window (dropped by pooling) changes nothing: the window stays the reference
      if (p - from >= g.windowInput) return
      const o = i * g.windowInput * A + (p - from) * A
      for (let j = 0; j < A; j++) windows[o + j] = j === k ? 1 : 0
    })
    const local = tf.tidy(() => (trunk.predict(tf.tensor3d(windows, [n, g.windowInput, A])) as tf.Tensor).dataSync().slice() as Float32Array)
    const spliced = new Float32Array(n * PC)
    for (let i = 0; i < n; i++) {
      spliced.set(refAct, i * PC)
      spliced.set(local.subarray(i * WC, (i + 1) * WC), i * PC + starts[i] * g.channels)
    }
    const scores = tf.tidy(() => (head.predict(tf.tensor3d(spliced, [n, g.positions, g.channels])) as tf.Tensor).dataSync().slice() as Float32Array)
    chunk.forEach(([p, k], i) => (deltas[p * A + k] = scores[i * outputs + target] - reference))
    opts.onProgress?.({ done: Math.min(mutants.length, b + batchSize), total: mutants.length })
    await new Promise((r) => setImmediate(r))
  }
  return { reference, deltas, length: L, letters: A }
}
