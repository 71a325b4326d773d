/**
 * DatasetSummary: what `motiflens data inspect` prints and the Data view shows. Counts,
 * length distribution (min / median / max and a histogram of raw lengths, before padding
 * or cropping), GC fraction (of A/C/G/T letters; null for protein and binary), N fraction
 * (ambiguous letters over all letters), duplicate sequences, positives and negatives per
 * target, and per-split counts.
 */
import type { AlphabetName, DataSpec, DatasetSummary, SplitName } from '../../shared/types.js'
import type { PackedDataset } from './dataset.js'
import { defaultCacheDir, ingest, loadDataset, planDataset, type LoadOptions } from './load.js'
import { countPositives, SPLIT_NAMES } from './split.js'
import { StatsOnlyWriter, type IngestStats } from './store.js'

/** Number of histogram bins (fewer when the length range is narrower). */
const HISTOGRAM_BINS = 20

/**
 * Histogram of lengths: bins [from, to) of equal integer width covering min..max (the last
 * bin's `to` is max + 1).
 */
export function lengthHistogram(lengths: Uint32Array, min: number, max: number): { from: number; to: number; count: number }[] {
  if (lengths.length === 0) return []
  const width = Math.max(1, Math.ceil((max - min + 1) / HISTOGRAM_BINS))
  const bins = Math.ceil((max - min + 1) / width)
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < lengths.length; i++) counts[Math.floor((lengths[i] - min) / width)]++
  return counts.map((count, k) => ({ from: min + k * width, to: Math.min(min + (k + 1) * width, max + 1), count }))
}

export function buildSummary(a: {
  stats: IngestStats
  alphabet: AlphabetName
  lengths: Uint32Array
  targets: readonly string[]
  positives: Float64Array
  splits?: Uint8Array
}): DatasetSummary {
  const n = a.lengths.length
  const sorted = a.lengths.slice().sort()
  const min = n ? sorted[0] : 0
  const max = n ? sorted[n - 1] : 0
  const median = n === 0 ? 0 : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2
  const counts = a.stats.letterCounts
  const ambiguous = counts[counts.length - 1]
  const letters = counts.slice(0, -1).reduce((s, c) => s + c, 0)
  let gc: number | null = null
  if ((a.alphabet === 'dna' || a.alphabet === 'rna') && letters > 0) gc = (counts[1] + counts[2]) / letters
  const summary: DatasetSummary = {
    files: a.stats.files,
    sequences: n,
    alphabet: a.alphabet,
    length: { min, median, max, histogram: lengthHistogram(a.lengths, min, max) },
    gc,
    n_fraction: letters + ambiguous > 0 ? ambiguous / (letters + ambiguous) : 0,
    duplicates: a.stats.duplicates,
    labels: a.targets.map((name, t) => ({ name, positives: a.positives[t], negatives: n - a.positives[t] })),
  }
  if (a.splits) {
    const s: Record<SplitName, number> = { train: 0, valid: 0, test: 0 }
    for (let i = 0; i < a.splits.length; i++) s[SPLIT_NAMES[a.splits[i]]]++
    summary.splits = s
  }
  return summary
}

export function summarizeDataset(ds: PackedDataset): DatasetSummary {
  return buildSummary({
    stats: ds.stats,
    alphabet: ds.alphabet,
    lengths: ds.store.lengths,
    targets: ds.targets,
    positives: countPositives(ds.targets.length, (visit) => ds.store.forEachLabelRow(visit)),
    splits: ds.splits,
  })
}

/**
 * Summarise FASTA files without building a dataset or cache (labels in headers, when there
 * are any, are counted). Duplicate ids and bad records are errors as in loadDataset.
 */
export async function inspectFiles(
  paths: string[],
  options: Pick<LoadOptions, 'signal' | 'onProgress'> & { alphabet?: AlphabetName | 'auto' } = {},
): Promise<DatasetSummary> {
  const spec: DataSpec = { fasta: paths, alphabet: options.alphabet ?? 'auto' }
  const p = await planDataset(spec)
  const result = await ingest(spec, p, (count) => new StatsOnlyWriter(count), { ...options, cacheDir: defaultCacheDir() })
  const w = result.writer as StatsOnlyWriter
  return buildSummary({ stats: result.stats, alphabet: result.alphabet, lengths: w.lengths.view(), targets: result.targets, positives: w.positives })
}

/** Load a spec (filling the cache for large inputs) and summarise it, splits included. */
export async function inspectDataSpec(spec: DataSpec, options: LoadOptions = {}): Promise<DatasetSummary> {
  const ds = await loadDataset(spec, options)
  try {
    return summarizeDataset(ds)
  } finally {
    ds.close()
  }
}
