/**
 * Pure helpers of the Motifs and Export views (unit-tested without a DOM): ordering the
 * filter gallery, thinning a per-position histogram into bars, and the logos shown for a
 * filter and its match (the same SVG code the exporters use).
 */
import { logoSvg, pairedLogoSvg, reverseComplementRows } from '../../../shared/logo'
import type { ProbabilityRows } from '../../../shared/types'
import type { FilterView, MotifMatchView } from '../../../shared/views'
import type { HistogramBin } from '../charts/histogram'

export type FilterSort = 'influence' | 'ic' | 'match'

export const sortLabels: Record<FilterSort, string> = {
  influence: 'influence (how much the model needs it)',
  ic: 'information content (bits)',
  match: 'match quality (q-value)',
}

/** A match counts as a known motif at q <= this. */
export const SIGNIFICANT_Q = 0.05

/**
 * Gallery order: most influential, most informative, or best matched first; ties (and
 * filters without the value) by index. Skipped filters (too few sites) go last.
 */
export function sortFilters(filters: readonly FilterView[], by: FilterSort): FilterView[] {
  const key = (f: FilterView): number => {
    if (by === 'influence') return f.influence === null ? Infinity : -f.influence
    if (by === 'ic') return -f.ic
    return f.matches[0]?.qValue ?? Infinity
  }
  return [...filters].sort((a, b) => Number(a.skipped !== null) - Number(b.skipped !== null) || key(a) - key(b) || a.index - b.index)
}

/** Per-position counts as at most `maxBars` bars of equal width (window starts [from, to)). */
export function positionBins(counts: readonly number[], maxBars = 60): HistogramBin[] {
  const n = counts.length
  if (n === 0) return []
  const width = Math.ceil(n / Math.max(1, maxBars))
  const bins: HistogramBin[] = []
  for (let from = 0; from < n; from += width) {
    let count = 0
    for (let p = from; p < Math.min(n, from + width); p++) count += counts[p]
    bins.push({ from, to: Math.min(n, from + width), count })
  }
  return bins
}

/** Evenly spaced bins of a histogram given by range and counts. */
export function rangeBins(h: { from: number; to: number; counts: readonly number[] }): HistogramBin[] {
  const w = h.counts.length ? (h.to - h.from) / h.counts.length : 0
  const r = (v: number) => Math.round(v * 1000) / 1000
  return h.counts.map((count, i) => ({ from: r(h.from + i * w), to: r(h.from + (i + 1) * w), count }))
}

/** The filter's informative columns (what its matches were computed on). */
export function trimmedRows(f: Pick<FilterView, 'matrix' | 'trimmed'>): ProbabilityRows {
  return f.trimmed.end > f.trimmed.start ? { letters: f.matrix.letters, rows: f.matrix.rows.slice(f.trimmed.start, f.trimmed.end) } : f.matrix
}

export function qText(q: number): string {
  return q < 1e-3 ? q.toExponential(1) : q.toFixed(3)
}

/** A filter's logo alone (full width, bits). */
export function filterLogo(f: FilterView, width = 280, height = 120, title = `filter ${f.index}`): string {
  return logoSvg(f.matrix, { yAxis: 'bits', width, height, title })
}

/** The filter (trimmed) over a database match, aligned as matched. */
export function matchLogo(f: FilterView, m: MotifMatchView, size: { positionWidth: number; rowHeight: number } = { positionWidth: 14, rowHeight: 90 }): string {
  // the view holds the match oriented on its strand; pairedLogoSvg orients the stored motif itself
  const stored = m.strand === '-' ? reverseComplementRows(m.matrix) : m.matrix
  return pairedLogoSvg(trimmedRows(f), stored, m.offset, m.strand, { yAxis: 'bits', ...size, filterTitle: `filter ${f.index}`, matchTitle: `${m.name} (${m.id})` })
}
