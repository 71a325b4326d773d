/**
 * Per-sequence interpretation: which filters fire where, and which bases the prediction
 * depends on.
 *
 * Inputs are one sequence's one-hot matrix `x`, row-major `[length, letters]` (as
 * Dataset.batch builds it for one index), positions 0-based on the forward strand.
 * - activationTracks: the first conv layer's activation at every position, `[positions][filters]`.
 * - saturationMutagenesis (in-silico mutagenesis, ISM): the change of the target's score when
 *   each position is set to each other letter, `[length][letters]` (0 at the reference letter);
 *   every mutant is predicted, in batches.
 * - gradientTimesInput: d score / d x, times x, `[length][letters]`, and its sum per position.
 * The score is the model's output for the target (a probability for sigmoid/softmax outputs)
 * or, with `score: 'logit'`, log(p / (1 - p)).
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { CancelledError, UserError } from '../errors.js'
import { firstConvActivationModel, firstConvLayer } from '../models/index.js'

export type ScoreKind = 'output' | 'logit'

function inputShape(model: tfl.LayersModel): { length: number; letters: number } {
  const s = model.inputs[0].shape
  if (s.length !== 3 || s[1] === null || s[2] === null) throw new UserError(`model '${model.name}' does not take one-hot sequences [length, letters]`)
  return { length: s[1], letters: s[2] }
}

function checkSequence(model: tfl.LayersModel, x: Float32Array): { length: number; letters: number } {
  const shape = inputShape(model)
  if (x.length !== shape.length * shape.letters)
    throw new UserError(`model '${model.name}' reads ${shape.length} x ${shape.letters} one-hot values; this sequence has ${x.length}`)
  return shape
}

function checkTarget(model: tfl.LayersModel, target: number): void {
  const out = model.outputs[0].shape
  const n = out[out.length - 1] ?? 1
  if (!Number.isInteger(target) || target < 0 || target >= n) throw new UserError(`target ${target} does not exist: the model has ${n} outputs (0..${n - 1})`)
}

const toScore = (p: tf.Tensor, kind: ScoreKind): tf.Tensor => {
  if (kind === 'output') return p
  const q = tf.clipByValue(p, 1e-7, 1 - 1e-7)
  return tf.log(tf.div(q, tf.sub(1, q)))
}

export interface ActivationTracks {
  /** Activation positions (length - width + 1 for 'valid' convolutions). */
  positions: number
  filters: number
  width: number
  /** Input position of activation position 0's window start (negative with 'same' padding). */
  offset: number
  /** `[positions][filters]` activations. */
  values: Float32Array
  /** Per filter: the highest activation and its window start on the input. */
  max: Float32Array
  argmax: Int32Array
}

export async function activationTracks(model: tfl.LayersModel, x: Float32Array): Promise<ActivationTracks> {
  const { length, letters } = checkSequence(model, x)
  const first = firstConvLayer(model)
  const padding = (first.layer.getConfig() as { padding?: string }).padding
  const offset = padding === 'same' ? -Math.floor((first.width - 1) / 2) : 0
  const sub = firstConvActivationModel(model)
  const act = tf.tidy(() => sub.predict(tf.tensor3d(x, [1, length, letters])) as tf.Tensor3D)
  const values = (await act.data()) as Float32Array
  const [positions, filters] = [act.shape[1], act.shape[2]]
  act.dispose()
  const max = new Float32Array(filters).fill(-Infinity)
  const argmax = new Int32Array(filters)
  for (let t = 0; t < positions; t++)
    for (let f = 0; f < filters; f++)
      if (values[t * filters + f] > max[f]) {
        max[f] = values[t * filters + f]
        argmax[f] = t + offset
      }
  return { positions, filters, width: first.width, offset, values, max, argmax }
}

export interface MutagenesisOptions {
  score?: ScoreKind
  /** Mutants per forward pass (default 128). */
  batchSize?: number
  signal?: AbortSignal
  onProgress?: (p: { done: number; total: number }) => void
}

export interface Mutagenesis {
  /** Score of the unmutated sequence. */
  reference: number
  /** `[length][letters]`: score(mutant) - reference; 0 where the letter is the reference base. */
  deltas: Float32Array
  length: number
  letters: number
}

/**
 * Saturation mutagenesis of one sequence for one target. A position that is exactly one-hot
 * gets a mutant for each other letter (3 per base for DNA: 3L in all); an ambiguous position
 * (N, all letters 1/|A|) gets one per letter.
 */
export async function saturationMutagenesis(model: tfl.LayersModel, x: Float32Array, target: number, opts: MutagenesisOptions = {}): Promise<Mutagenesis> {
  const { length: L, letters: A } = checkSequence(model, x)
  checkTarget(model, target)
  const kind = opts.score ?? 'output'
  const batchSize = Math.max(1, opts.batchSize ?? 128)
  const mutants: [number, number][] = []
  for (let p = 0; p < L; p++) for (let k = 0; k < A; k++) if (x[p * A + k] !== 1) mutants.push([p, k])
  const score = async (batch: Float32Array, n: number): Promise<Float32Array> => {
    const s = tf.tidy(() => {
      const out = model.predict(tf.tensor3d(batch, [n, L, A])) as tf.Tensor2D
      return toScore(tf.slice(out, [0, target], [n, 1]), kind)
    })
    const v = (await s.data()) as Float32Array
    s.dispose()
    return v
  }
  const reference = (await score(x, 1))[0]
  const deltas = new Float32Array(L * A)
  for (let b = 0; b < mutants.length; b += batchSize) {
    if (opts.signal?.aborted) throw new CancelledError('mutagenesis cancelled')
    const chunk = mutants.slice(b, b + batchSize)
    const batch = new Float32Array(chunk.length * L * A)
    chunk.forEach(([p, k], i) => {
      const o = i * L * A
      batch.set(x, o)
      for (let j = 0; j < A; j++) batch[o + p * A + j] = j === k ? 1 : 0
    })
    const s = await score(batch, chunk.length)
    chunk.forEach(([p, k], i) => (deltas[p * A + k] = s[i] - reference))
    opts.onProgress?.({ done: Math.min(mutants.length, b + batchSize), total: mutants.length })
    // let the event loop breathe between batches: the app's server keeps answering other views
    await new Promise((r) => setImmediate(r))
  }
  return { reference, deltas, length: L, letters: A }
}

export interface Saliency {
  /** `[length][letters]` d score / d x. */
  gradient: Float32Array
  /** `[length][letters]` gradient x input. */
  attribution: Float32Array
  /** `[length]` attribution summed over letters (the saliency track). */
  perPosition: Float32Array
  score: number
}

export async function gradientTimesInput(model: tfl.LayersModel, x: Float32Array, target: number, opts: { score?: ScoreKind } = {}): Promise<Saliency> {
  const { length: L, letters: A } = checkSequence(model, x)
  checkTarget(model, target)
  const kind = opts.score ?? 'output'
  const input = tf.tensor3d(x, [1, L, A])
  const f = (t: tf.Tensor): tf.Scalar => {
    const out = model.apply(t, { training: false }) as tf.Tensor2D
    return tf.sum(toScore(tf.slice(out, [0, target], [1, 1]), kind)) as tf.Scalar
  }
  const { value, grad } = tf.valueAndGrad(f)(input)
  const gradient = (await grad.data()) as Float32Array
  const score = (await value.data())[0]
  tf.dispose([input, value, grad])
  const attribution = new Float32Array(L * A)
  const perPosition = new Float32Array(L)
  for (let i = 0; i < L * A; i++) {
    attribution[i] = gradient[i] * x[i]
    perPosition[Math.floor(i / A)] += attribution[i]
  }
  return { gradient, attribution, perPosition, score }
}
