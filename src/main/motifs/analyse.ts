/**
 * One composition of the motif steps, shared by `motiflens motifs` and the app's Motifs
 * view: extract each first-layer filter's sites and PWM, compare the usable filters with a
 * motif database (on their trimmed matrices), and measure how much the model needs each
 * filter (influence) on a subsample. Writers (MEME, logos, tables) take the result.
 */
import type * as tfl from '@tensorflow/tfjs-layers'
import type { Dataset } from '../data/types.js'
import type { MotifMatch } from './compare.js'
import { compareMany } from './compare-many.js'
import { thresholdConsensus } from './consensus.js'
import type { MotifDatabase } from './database.js'
import { extractFilterMotifs, type ExtractOptions, type FilterExtraction } from './extract.js'
import { filterInfluence, type InfluenceResult } from './influence.js'
import type { Motif, ProbabilityMatrix } from './matrix.js'

export interface FilterAnalysisOptions extends Omit<ExtractOptions, 'onProgress'> {
  /** Known motifs to match against; null skips matching. */
  database: MotifDatabase | null
  /** Matches kept per filter, best first (default 3). */
  top?: number
  /** Sequences to measure influence on (indices into the dataset); null or empty skips it. */
  influenceIndices?: ArrayLike<number> | null
  /** Measure influence on this target (output column) only (default: all targets). */
  target?: number
  onProgress?: (p: { phase: 'scan' | 'threshold' | 'influence'; done: number; total: number }) => void
}

export interface FilterAnalysis {
  extraction: FilterExtraction
  /** Best matches of each usable filter (compared on its trimmed matrix), best first. */
  matches: Map<number, MotifMatch[]>
  /** Why no filter was matched (alphabet differs from the database's), or null. */
  matchNote: string | null
  influence: InfluenceResult | null
  seconds: { compare: number }
}

/** At most `max` of `indices`, evenly spaced (all of them when there are fewer). */
export function evenlySpaced(indices: Uint32Array, max: number): Uint32Array {
  if (indices.length <= max) return indices
  const out = new Uint32Array(max)
  for (let i = 0; i < max; i++) out[i] = indices[Math.floor((i * indices.length) / max)]
  return out
}

export async function analyseFilters(model: tfl.LayersModel, dataset: Dataset, indices: ArrayLike<number>, opts: FilterAnalysisOptions): Promise<FilterAnalysis> {
  const { database, top = 3, influenceIndices, target, onProgress, ...extractOptions } = opts
  const extraction = await extractFilterMotifs(model, dataset, indices, { ...extractOptions, onProgress })
  const matches = new Map<number, MotifMatch[]>()
  let matchNote: string | null = null
  const t0 = performance.now()
  if (database && database.letters !== extraction.letters) {
    matchNote = `the database is ${database.letters} but the model reads ${extraction.letters}; no matches`
  } else if (database) {
    const queried = extraction.filters.filter((f) => !f.skipped && f.trimmed.matrix.rows.length > 0)
    const found = await compareMany(
      queried.map((f) => f.trimmed.matrix),
      database,
      { top, ...(extractOptions.workers !== undefined ? { workers: extractOptions.workers } : {}) },
    )
    queried.forEach((f, i) => matches.set(f.filter, found[i]))
  }
  const compareSeconds = (performance.now() - t0) / 1000
  let influence: InfluenceResult | null = null
  if (influenceIndices && influenceIndices.length > 0) {
    influence = await filterInfluence(model, dataset, influenceIndices, {
      target,
      signal: opts.signal,
      onProgress: onProgress && ((p) => onProgress({ phase: 'influence', ...p })),
    })
  }
  return { extraction, matches, matchNote, influence, seconds: { compare: compareSeconds } }
}

/** The best match per filter, as the logo and table writers take it. */
export function bestMatches(analysis: Pick<FilterAnalysis, 'matches'>): Map<number, MotifMatch | undefined> {
  return new Map([...analysis.matches].map(([f, ms]) => [f, ms[0]]))
}

/**
 * A filter as a MEME motif: id `filter_<index>`, named by the consensus of its trimmed
 * matrix, the full-width matrix, and nsites = the real number of sites it was built from.
 * `trimmed` is the half-open [start, end) of the informative columns.
 */
export function filterMemeMotif(f: { filter: number; sites: number; matrix: ProbabilityMatrix; trimmed: { start: number; end: number } }): Motif {
  const rows = f.trimmed.end > f.trimmed.start ? f.matrix.rows.slice(f.trimmed.start, f.trimmed.end) : f.matrix.rows
  return { id: `filter_${f.filter}`, name: thresholdConsensus({ ...f.matrix, rows }), matrix: f.matrix, nsites: f.sites }
}
