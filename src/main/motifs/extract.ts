/**
 * First-layer filters -> position weight matrices.
 *
 * A sub-model from the input to the first convolution's activations (after its ReLU, or
 * after batch norm + ReLU in Basset-style models) is run over the sequences in batches;
 * activations are `[batch, positions, filters]`, position t covering input positions
 * [t - padLeft, t - padLeft + width) (padLeft = 0 for 'valid' convolutions, as in every
 * preset). Windows are read on the FORWARD strand of the one-hot input.
 *
 * Two ways to collect a filter's sites:
 * - 'argmax' (the lecture): per sequence, the position of the filter's highest activation;
 *   the window there is one site if that activation is > `minActivation` (default 0, i.e.
 *   the ReLU unit fired at all).
 * - 'threshold' (Basset, Kelley et al. 2016): every window whose activation is > 0.5 x the
 *   filter's maximum over the whole set. Needs a second pass over the data.
 * Sites are summed into a count matrix (an N adds 1/|A| to each letter), then
 *   p_jk = (c_jk + a b_k) / (n_j + a)
 * with pseudocount a (default 1) spread by the letter frequencies b of the analysed
 * sequences. Information content, trimming (< 0.3 bits at the ends) and logos use the
 * uniform background, as sequence logos do; MEME files record the data background.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { CancelledError, UserError } from '../errors.js'
import type { Dataset } from '../data/types.js'
import { AMBIGUOUS_CODE } from '../data/types.js'
import { firstConvActivationModel, firstConvLayer } from '../models/index.js'
import { thresholdConsensus } from './consensus.js'
import {
  countsToProbabilities,
  informationContent,
  trimMotif,
  type CountMatrix,
  type InformationContent,
  type ProbabilityMatrix,
  type Trimmed,
} from './matrix.js'

export type ExtractMethod = 'argmax' | 'threshold'

export interface ExtractProgress {
  phase: 'scan' | 'threshold'
  /** Sequences done in this phase, of `total`. */
  done: number
  total: number
}

export interface ExtractOptions {
  method?: ExtractMethod
  /** Filters with fewer sites are reported as skipped (default 10). */
  minSites?: number
  /** Sequences per forward pass (default 64). */
  batchSize?: number
  /** Total pseudocount per position (default 1). */
  pseudocount?: number
  /** 'argmax': a sequence's best window counts only above this activation (default 0). */
  minActivation?: number
  /** 'threshold': the fraction of the filter's maximum a window must pass (default 0.5). */
  thresholdFraction?: number
  /** Trim ends below this many bits (default 0.3). */
  trimThreshold?: number
  /** Bins of the per-sequence maximum activation histogram (default 20). */
  histogramBins?: number
  signal?: AbortSignal
  onProgress?: (p: ExtractProgress) => void
}

export interface Histogram {
  /** Bin i covers [from + i * width, from + (i + 1) * width); the last bin includes `to`. */
  from: number
  to: number
  counts: number[]
}

export interface FilterMotif {
  /** 0-based filter index in the first conv layer. */
  filter: number
  width: number
  /** Sites (windows) the matrix was built from. */
  sites: number
  /** Why the filter has no usable motif (too few sites), or null. */
  skipped: string | null
  counts: CountMatrix
  /** Full-width probabilities (with pseudocount). */
  matrix: ProbabilityMatrix
  /** Against the uniform background. */
  ic: InformationContent
  /** Uninformative ends removed; start/end index into `matrix`. */
  trimmed: Trimmed
  /** Thresholded consensus (p > 0.5, else N) of the full matrix. */
  consensus: string
  /** Highest activation over the set. */
  maxActivation: number
  /** Per-sequence maximum activations. */
  histogram: Histogram
}

export interface FilterExtraction {
  method: ExtractMethod
  letters: string
  /** Letter frequencies of the analysed sequences (pseudocount 1 per letter). */
  background: number[]
  /** Sequence indices analysed, in order. */
  indices: Uint32Array
  /** Sequence ids, in the same order. */
  ids: string[]
  width: number
  /** Activation positions per sequence (length - width + 1 for 'valid'). */
  positions: number
  filters: FilterMotif[]
  /** Row-major `[sequence][filter]`: argmax position (window start on the input, may be < 0 with 'same' padding). */
  argmaxPositions: Int32Array
  /** Row-major `[sequence][filter]`: the maximum activation. */
  maxActivations: Float32Array
  seconds: { scan: number; threshold: number }
}

interface ConvGeometry {
  activation: tfl.LayersModel
  width: number
  filters: number
  letters: number
  padLeft: number
}

/** The first conv layer's geometry and a sub-model to its activations; checks what we support. */
export function convGeometry(model: tfl.LayersModel): ConvGeometry {
  const first = firstConvLayer(model)
  const config = first.layer.getConfig() as { padding?: string; strides?: number | number[]; dilationRate?: number | number[] }
  const one = (v: number | number[] | undefined): boolean => v === undefined || (Array.isArray(v) ? v.every((x) => x === 1) : v === 1)
  if (!one(config.strides) || !one(config.dilationRate))
    throw new UserError(`model '${model.name}': the first convolution has strides or dilation other than 1; filter windows cannot be read as motifs`)
  const padLeft = config.padding === 'same' ? Math.floor((first.width - 1) / 2) : 0
  return { activation: firstConvActivationModel(model), width: first.width, filters: first.filters, letters: first.letters, padLeft }
}

function checkInput(model: tfl.LayersModel, dataset: Dataset, geo: ConvGeometry): void {
  const shape = model.inputs[0].shape
  if (shape[2] !== dataset.letters.length)
    throw new UserError(`model '${model.name}' reads ${shape[2]} letters per position but the data has ${dataset.letters.length} (${dataset.letters}); use data of the alphabet the model was trained on`)
  if (shape[1] !== null && shape[1] !== dataset.length)
    throw new UserError(`model '${model.name}' reads sequences of ${shape[1]} positions but the data has ${dataset.length}; use --length ${shape[1]}`)
  if (geo.letters !== dataset.letters.length) throw new UserError(`model '${model.name}': first convolution expects ${geo.letters} letters, the data has ${dataset.letters.length}`)
}

function histogram(values: Float32Array, stride: number, offset: number, n: number, bins: number): Histogram {
  let lo = Infinity
  let hi = -Infinity
  for (let s = 0; s < n; s++) {
    const v = values[s * stride + offset]
    if (v < lo) lo = v
    if (v > hi) hi = v
  }
  if (n === 0) return { from: 0, to: 0, counts: new Array<number>(bins).fill(0) }
  const counts = new Array<number>(bins).fill(0)
  const w = hi > lo ? (hi - lo) / bins : 1
  for (let s = 0; s < n; s++) counts[Math.min(bins - 1, Math.floor((values[s * stride + offset] - lo) / w))]++
  return { from: lo, to: hi, counts }
}

const check = (signal: AbortSignal | undefined): void => {
  if (signal?.aborted) throw new CancelledError('motif extraction cancelled')
}

/** Run the activation sub-model on one batch: returns the activation tensor `[n, positions, filters]`. */
function activations(geo: ConvGeometry, x: Float32Array, n: number, length: number, letters: number): tf.Tensor3D {
  return tf.tidy(() => geo.activation.predict(tf.tensor3d(x, [n, length, letters]), { batchSize: n }) as tf.Tensor3D)
}

export async function extractFilterMotifs(
  model: tfl.LayersModel,
  dataset: Dataset,
  indices: ArrayLike<number>,
  opts: ExtractOptions = {},
): Promise<FilterExtraction> {
  const method = opts.method ?? 'argmax'
  const minSites = opts.minSites ?? 10
  const batchSize = Math.max(1, opts.batchSize ?? 64)
  const minActivation = opts.minActivation ?? 0
  const fraction = opts.thresholdFraction ?? 0.5
  const geo = convGeometry(model)
  checkInput(model, dataset, geo)
  const { width: W, filters: F, padLeft } = geo
  const A = dataset.letters.length
  const L = dataset.length
  const idx = Uint32Array.from(indices as ArrayLike<number>)
  const N = idx.length
  if (N === 0) throw new UserError('motif extraction: no sequences to analyse; check the split or the data files')

  const argmaxPositions = new Int32Array(N * F)
  const maxActivations = new Float32Array(N * F)
  // counts[f][j * A + k]
  const counts = Array.from({ length: F }, () => new Float64Array(W * A))
  const sites = new Float64Array(F)
  const letterTotals = new Float64Array(A)
  let positions = 0

  // Pass 1: maximum and argmax per sequence and filter; 'argmax' sites are counted here.
  const t0 = performance.now()
  for (let b = 0; b < N; b += batchSize) {
    check(opts.signal)
    const bIdx = idx.subarray(b, Math.min(N, b + batchSize))
    const n = bIdx.length
    const batch = dataset.batch(bIdx)
    const act = activations(geo, batch.x, n, L, A)
    positions = act.shape[1]
    const [mx, am] = tf.tidy(() => [tf.max(act, 1), tf.argMax(act, 1)])
    act.dispose()
    const mxv = (await mx.data()) as Float32Array
    const amv = (await am.data()) as Int32Array
    tf.dispose([mx, am])
    maxActivations.set(mxv, b * F)
    for (let i = 0; i < n * F; i++) argmaxPositions[b * F + i] = amv[i] - padLeft
    for (let s = 0; s < n; s++) {
      const codes = dataset.codes(bIdx[s])
      for (let p = 0; p < L; p++) if (codes[p] < A) letterTotals[codes[p]]++
      if (method !== 'argmax') continue
      for (let f = 0; f < F; f++) {
        if (!(mxv[s * F + f] > minActivation)) continue
        sites[f]++
        const start = amv[s * F + f] - padLeft
        const c = counts[f]
        for (let j = 0; j < W; j++) {
          const p = start + j
          if (p < 0 || p >= L) continue
          const code = codes[p]
          if (code < A) c[j * A + code]++
          else if (code === AMBIGUOUS_CODE) for (let k = 0; k < A; k++) c[j * A + k] += 1 / A
        }
      }
    }
    opts.onProgress?.({ phase: 'scan', done: b + n, total: N })
  }
  const scanSeconds = (performance.now() - t0) / 1000

  const maxPerFilter = new Float32Array(F).fill(-Infinity)
  for (let i = 0; i < N * F; i++) if (maxActivations[i] > maxPerFilter[i % F]) maxPerFilter[i % F] = maxActivations[i]

  // Pass 2 ('threshold'): every window above fraction x the filter's maximum. Summing the
  // one-hot windows under a 0/1 mask is, per kernel offset j, a [A, n*P] x [n*P, F] product.
  const t1 = performance.now()
  if (method === 'threshold') {
    const thr = tf.tensor1d(Array.from(maxPerFilter, (m) => (m > 0 ? fraction * m : Infinity)))
    for (let b = 0; b < N; b += batchSize) {
      check(opts.signal)
      const bIdx = idx.subarray(b, Math.min(N, b + batchSize))
      const n = bIdx.length
      const batch = dataset.batch(bIdx)
      const act = activations(geo, batch.x, n, L, A)
      const P = act.shape[1]
      const [perOffset, nSites] = tf.tidy(() => {
        const mask = tf.reshape(tf.cast(tf.greater(act, thr), 'float32'), [n * P, F])
        let x = tf.tensor3d(batch.x, [n, L, A])
        // 'same' convolutions see zero padding outside the sequence: pad to match positions.
        const padRight = Math.max(0, P + W - 1 - L - padLeft)
        if (padLeft > 0 || padRight > 0) x = tf.pad(x, [[0, 0], [padLeft, padRight], [0, 0]])
        const out: tf.Tensor2D[] = []
        for (let j = 0; j < W; j++) {
          const win = tf.reshape(tf.slice(x, [0, j, 0], [n, P, A]), [n * P, A])
          out.push(tf.matMul(win, mask, true, false)) // [A, F]
        }
        return [tf.stack(out), tf.sum(mask, 0)] // [W, A, F], [F]
      })
      act.dispose()
      const pv = (await perOffset.data()) as Float32Array
      const sv = (await nSites.data()) as Float32Array
      tf.dispose([perOffset, nSites])
      for (let f = 0; f < F; f++) {
        sites[f] += sv[f]
        const c = counts[f]
        for (let j = 0; j < W; j++) for (let k = 0; k < A; k++) c[j * A + k] += pv[(j * A + k) * F + f]
      }
      opts.onProgress?.({ phase: 'threshold', done: b + n, total: N })
    }
    thr.dispose()
  }
  const thresholdSeconds = (performance.now() - t1) / 1000

  const totalLetters = letterTotals.reduce((a, v) => a + v, 0)
  const background = Array.from(letterTotals, (v) => (v + 1) / (totalLetters + A))
  const bins = opts.histogramBins ?? 20
  const filters: FilterMotif[] = []
  for (let f = 0; f < F; f++) {
    const rows: number[][] = []
    for (let j = 0; j < W; j++) rows.push(Array.from(counts[f].subarray(j * A, (j + 1) * A)))
    const countM: CountMatrix = { kind: 'counts', letters: dataset.letters, rows }
    // A filter without sites gets the background (pseudocount 1) rather than no matrix at all.
    const pseudocount = sites[f] > 0 ? (opts.pseudocount ?? 1) : Math.max(1, opts.pseudocount ?? 1)
    const matrix = countsToProbabilities(countM, { pseudocount, background })
    const ic = informationContent(matrix)
    const n = Math.round(sites[f])
    const why =
      method === 'argmax'
        ? `only ${n} of ${N} sequences activate it above ${minActivation} (need ${minSites})`
        : `only ${n} windows pass ${fraction} x its maximum activation ${maxPerFilter[f].toPrecision(3)} (need ${minSites})`
    filters.push({
      filter: f,
      width: W,
      sites: n,
      skipped: n < minSites ? why : null,
      counts: countM,
      matrix,
      ic,
      trimmed: trimMotif(matrix, { threshold: opts.trimThreshold ?? 0.3 }),
      consensus: thresholdConsensus(matrix),
      maxActivation: maxPerFilter[f],
      histogram: histogram(maxActivations, F, f, N, bins),
    })
  }
  return {
    method,
    letters: dataset.letters,
    background,
    indices: idx,
    ids: Array.from(idx, (i) => dataset.id(i)),
    width: W,
    positions,
    filters,
    argmaxPositions,
    maxActivations,
    seconds: { scan: scanSeconds, threshold: thresholdSeconds },
  }
}
