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
import type * as tfl from '@tensorflow/tfjs-layers'
import { CancelledError, UserError } from '../errors.js'
import type { Dataset } from '../data/types.js'
import { AMBIGUOUS_CODE } from '../data/types.js'
import { firstConvActivationModel, firstConvLayer } from '../models/index.js'
import { createScanner, defaultScanWorkers, padLeftOf } from './scan.js'
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
  /** Scan worker threads (default: one per core, at most 4, for big jobs; 0 or 1: the calling thread). */
  workers?: number
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
  /** How the activations were computed, e.g. 'wasm (SIMD, 1 thread) x 2 workers'. */
  scanner: string
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
  const padLeft = padLeftOf({ padding: config.padding === 'same' ? 'same' : 'valid', width: first.width })
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

/**
 * Run `work` on consecutive batches of `idx` with up to `depth` in flight, handing results
 * to `done` in batch order (so progress and per-batch bookkeeping stay simple).
 */
async function pipelined<R>(
  idx: Uint32Array,
  batchSize: number,
  depth: number,
  signal: AbortSignal | undefined,
  work: (bIdx: Uint32Array) => Promise<R>,
  done: (start: number, bIdx: Uint32Array, r: R) => void,
): Promise<void> {
  const inFlight: { start: number; bIdx: Uint32Array; p: Promise<R> }[] = []
  let next = 0
  try {
    while (next < idx.length || inFlight.length > 0) {
      while (next < idx.length && inFlight.length < depth) {
        check(signal)
        const bIdx = idx.subarray(next, Math.min(idx.length, next + batchSize))
        inFlight.push({ start: next, bIdx, p: work(bIdx) })
        next += bIdx.length
      }
      const head = inFlight.shift() as (typeof inFlight)[number]
      done(head.start, head.bIdx, await head.p)
    }
  } finally {
    // on cancel or error, let the batches still running settle before the scanner goes
    await Promise.allSettled(inFlight.map((f) => f.p))
  }
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

  const scanner = await createScanner(model, L, A, padLeft, { workers: opts.workers, sequences: N * (method === 'threshold' ? 3 : 1) })
  const depth = 2 * Math.max(1, opts.workers ?? defaultScanWorkers())
  let scanSeconds: number
  let thresholdSeconds = 0
  const maxPerFilter = new Float32Array(F).fill(-Infinity)
  try {
    // Pass 1: maximum and argmax per sequence and filter; 'argmax' sites are counted here.
    const t0 = performance.now()
    await pipelined(
      idx,
      batchSize,
      depth,
      opts.signal,
      (bIdx) => scanner.max(dataset.batch(bIdx).x, bIdx.length),
      (b, bIdx, r) => {
        const n = bIdx.length
        positions = r.positions
        maxActivations.set(r.max, b * F)
        for (let i = 0; i < n * F; i++) argmaxPositions[b * F + i] = r.argmax[i] - padLeft
        for (let s = 0; s < n; s++) {
          const codes = dataset.codes(bIdx[s])
          for (let p = 0; p < L; p++) if (codes[p] < A) letterTotals[codes[p]]++
          if (method !== 'argmax') continue
          for (let f = 0; f < F; f++) {
            if (!(r.max[s * F + f] > minActivation)) continue
            sites[f]++
            const start = r.argmax[s * F + f] - padLeft
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
      },
    )
    scanSeconds = (performance.now() - t0) / 1000
    for (let i = 0; i < N * F; i++) if (maxActivations[i] > maxPerFilter[i % F]) maxPerFilter[i % F] = maxActivations[i]

    // Pass 2 ('threshold'): every window above fraction x the filter's maximum, summed by
    // the scanner (see scan.ts).
    if (method === 'threshold') {
      const t1 = performance.now()
      const thr = Float32Array.from(maxPerFilter, (m) => (m > 0 ? fraction * m : Infinity))
      await pipelined(
        idx,
        batchSize,
        depth,
        opts.signal,
        (bIdx) => scanner.threshold(dataset.batch(bIdx).x, bIdx.length, thr),
        (b, bIdx, r) => {
          for (let f = 0; f < F; f++) {
            sites[f] += r.sites[f]
            const c = counts[f]
            for (let j = 0; j < W; j++) for (let k = 0; k < A; k++) c[j * A + k] += r.counts[(j * A + k) * F + f]
          }
          opts.onProgress?.({ phase: 'threshold', done: b + bIdx.length, total: N })
        },
      )
      thresholdSeconds = (performance.now() - t1) / 1000
    }
  } finally {
    await scanner.dispose()
  }

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
    scanner: scanner.description,
  }
}
