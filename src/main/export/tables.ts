/**
 * Tab-separated tables of an extraction: one row per filter (sites, information, influence,
 * best database match), and one row per sequence and filter (where the filter fired).
 * Positions are 0-based window starts on the forward strand of the model input.
 */
import { closeSync, openSync, writeSync } from 'node:fs'
import type { MotifMatch } from '../motifs/compare.js'
import type { FilterExtraction } from '../motifs/extract.js'
import type { InfluenceResult } from '../motifs/influence.js'

/** A TSV cell: tabs and newlines would break the table, so they become spaces. */
const cell = (v: unknown): string => {
  if (v === null || v === undefined) return ''
  if (typeof v === 'number') return Number.isFinite(v) ? (Number.isInteger(v) ? String(v) : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(3) : v.toFixed(4)) : String(v)
  return String(v).replace(/[\t\r\n]+/g, ' ')
}

export const FILTER_COLUMNS = [
  'filter', 'width', 'sites', 'skipped', 'consensus', 'ic_bits', 'trimmed_start', 'trimmed_end', 'trimmed_ic_bits',
  'max_activation', 'loss_delta', 'auc_delta',
  'match_id', 'match_name', 'match_offset', 'match_strand', 'match_overlap', 'match_score', 'match_p', 'match_e', 'match_q',
] as const

/** The filters table; `matches` maps a filter index to its best match (as compareMotifs ranks them). */
export function filterTable(ex: FilterExtraction, extra: { influence?: InfluenceResult; matches?: Map<number, MotifMatch | undefined> } = {}): string {
  const influence = new Map(extra.influence?.filters.map((f) => [f.filter, f]) ?? [])
  const lines = [FILTER_COLUMNS.join('\t')]
  for (const f of ex.filters) {
    const inf = influence.get(f.filter)
    const m = extra.matches?.get(f.filter)
    const trimmedIc = f.ic.perPosition.slice(f.trimmed.start, f.trimmed.end).reduce((a, b) => a + b, 0)
    lines.push(
      [
        f.filter, f.width, f.sites, f.skipped ?? '', f.consensus, f.ic.total, f.trimmed.start, f.trimmed.end, trimmedIc,
        f.maxActivation, inf?.lossDelta, inf?.aucDelta,
        m?.id, m?.name, m?.offset, m?.strand, m?.overlap, m?.score, m?.pValue, m?.eValue, m?.qValue,
      ]
        .map(cell)
        .join('\t'),
    )
  }
  return lines.join('\n') + '\n'
}

/**
 * Write the per-sequence table (sequence_id, filter, position, activation) to `path`,
 * streaming: a DeepSEA-sized extraction has millions of rows. By default only sequences
 * where the filter fired (activation > 0) are listed.
 */
export function writePositionsTable(
  path: string,
  // only what the table reads, so a cached extraction (the app's) can be written too
  ex: Pick<FilterExtraction, 'ids' | 'maxActivations' | 'argmaxPositions'> & { filters: ArrayLike<unknown> },
  opts: { all?: boolean } = {},
): number {
  const F = ex.filters.length
  const fd = openSync(path, 'w')
  let rows = 0
  try {
    let buf: string[] = ['sequence_id\tfilter\tposition\tactivation']
    const flush = (): void => {
      writeSync(fd, buf.join('\n') + '\n')
      buf = []
    }
    for (let s = 0; s < ex.ids.length; s++) {
      const id = cell(ex.ids[s])
      for (let f = 0; f < F; f++) {
        const a = ex.maxActivations[s * F + f]
        if (!opts.all && !(a > 0)) continue
        buf.push(`${id}\t${f}\t${ex.argmaxPositions[s * F + f]}\t${cell(a)}`)
        rows++
      }
      if (buf.length > 20000) flush()
    }
    if (buf.length) flush()
  } finally {
    closeSync(fd)
  }
  return rows
}
