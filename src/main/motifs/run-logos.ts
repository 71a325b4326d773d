/**
 * The filter motifs the app shows for a finished run (the Motifs view's `run:filters`).
 */
import type * as tfl from '@tensorflow/tfjs-layers'
import type { FilterLogo } from '../../shared/contract.js'
import type { Dataset } from '../data/types.js'
import { extractFilterMotifs, type ExtractOptions } from './extract.js'

/** At most this many sequences are scanned for the run's logos (evenly spaced). */
export const RUN_LOGO_SEQUENCES = 10_000

/**
 * Which sequences to read filters on: the test split (held out from training) when it has
 * at least 100 sequences, else all of them; evenly thinned to at most `max`.
 */
export function interpretationIndices(dataset: Dataset, max = RUN_LOGO_SEQUENCES): Uint32Array {
  const test = dataset.indices('test')
  const pool = test.length >= 100 ? test : dataset.indices('all')
  if (pool.length <= max) return pool
  const out = new Uint32Array(max)
  for (let i = 0; i < max; i++) out[i] = pool[Math.floor((i * pool.length) / max)]
  return out
}

export async function filterLogosForRun(
  model: tfl.LayersModel,
  dataset: Dataset,
  opts: ExtractOptions = {},
): Promise<{ filters: FilterLogo[]; skipped: { index: number; reason: string }[] }> {
  const result = await extractFilterMotifs(model, dataset, interpretationIndices(dataset), opts)
  return {
    filters: result.filters
      .filter((f) => f.skipped === null)
      .map((f) => ({ index: f.filter, sites: f.sites, ic: f.ic.total, matrix: { letters: f.matrix.letters, rows: f.matrix.rows } })),
    skipped: result.filters.filter((f) => f.skipped !== null).map((f) => ({ index: f.filter, reason: f.skipped as string })),
  }
}
