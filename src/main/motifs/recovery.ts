/**
 * Did the model learn the motifs we planted? The acceptance check for synthetic data:
 * for each planted motif there must be a filter whose PWM correlates with it at r >= 0.75,
 * and that filter's best match in the motif database must be the planted motif (with
 * `acceptTies`, another motif may rank above it if the planted motif's p-value is within a
 * factor TIE_FACTOR = 2 of it: JASPAR keeps near-identical paralogs, such as HNF4A MA0114.5
 * and HNF4G MA0484.3, whose columns differ by <= 0.02, that no comparison can tell apart).
 * The demos plant only motifs without such a twin (src/main/data/demo-motifs.ts), so the
 * strict check (no acceptTies) is the one they must pass; `margin` says by how much.
 *
 * r (`plantedCorrelation`): the planted motif's uninformative ends (< 0.3 bits) are
 * trimmed, leaving w columns; for every strand and offset of the filter against it with at
 * least min(6, w) overlapping columns,
 *   r = (1 / w) * sum over the w planted columns of PCC(planted column, filter column over it)
 * where a planted column with no filter column over it counts 0; r is the best over offsets
 * and strands. Offsets follow compareMotifs: filter column i over planted column i + offset
 * (of the planted motif's reverse complement when strand is '-').
 */
import { isComplementable, reverseComplementRows } from '../../shared/logo/layout.js'
import { columnPearson, compareMotifs, type MotifMatch } from './compare.js'
import type { Motif, ProbabilityMatrix } from './matrix.js'
import { trimMotif } from './matrix.js'

/** p-values within this factor of the best match's count as a tie (see acceptTies). */
export const TIE_FACTOR = 2

export interface PlantedCorrelation {
  r: number
  offset: number
  strand: '+' | '-'
  /** Planted columns after trimming (the denominator of r). */
  columns: number
}

export function plantedCorrelation(
  planted: ProbabilityMatrix,
  filter: ProbabilityMatrix,
  opts: { minOverlap?: number; trimThreshold?: number } = {},
): PlantedCorrelation {
  const p = trimMotif(planted, { threshold: opts.trimThreshold ?? 0.3 }).matrix
  const wp = p.rows.length
  const wf = filter.rows.length
  const best: PlantedCorrelation = { r: 0, offset: 0, strand: '+', columns: wp }
  if (wp === 0 || wf === 0) return best
  const need = Math.min(opts.minOverlap ?? 6, wp, wf)
  const strands: ('+' | '-')[] = isComplementable(p.letters) ? ['+', '-'] : ['+']
  for (const strand of strands) {
    const t = strand === '+' ? p.rows : reverseComplementRows(p).rows
    for (let offset = need - wf; offset <= wp - need; offset++) {
      const a = Math.max(0, -offset)
      const b = Math.min(wf, wp - offset)
      if (b - a < need) continue
      let sum = 0
      for (let i = a; i < b; i++) sum += columnPearson(filter.rows[i], t[i + offset])
      const r = sum / wp
      if (r > best.r) Object.assign(best, { r, offset, strand })
    }
  }
  return best
}

/** What the check needs of a filter (FilterMotif from extractFilterMotifs fits). */
export interface RecoveryFilter {
  filter: number
  matrix: ProbabilityMatrix
  /** Compared against the database when given (and not empty); else `matrix` trimmed of ends < 0.3 bits. */
  trimmed?: { matrix: ProbabilityMatrix }
  skipped?: string | null
}

export interface PlantedRecovery {
  planted: { id: string; name: string }
  /** Filter with the highest r, or null when there are no usable filters. */
  filter: number | null
  correlation: PlantedCorrelation
  /** That filter's best database match. */
  bestMatch: MotifMatch | null
  /** Rank (1-based) of the planted motif among that filter's matches, null if not in the top 50. */
  plantedRank: number | null
  /** The planted motif's p-value is within TIE_FACTOR of the best match's: a paralog the comparison cannot tell apart (e.g. HNF4A/HNF4G). */
  plantedTiedBest: boolean
  /**
   * log10(p of the best match other than the planted motif / p of the planted motif) for
   * that filter: > 0 when the planted motif is the best match, by that many orders of
   * magnitude; null when the planted motif is not in the top 50.
   */
  margin: number | null
  passed: boolean
}

export interface RecoveryReport {
  passed: boolean
  motifs: PlantedRecovery[]
}

export function checkMotifRecovery(
  filters: RecoveryFilter[],
  planted: Motif[],
  database: Motif[] | { motifs: Motif[] },
  opts: { minR?: number; minOverlap?: number; trimThreshold?: number; acceptTies?: boolean } = {},
): RecoveryReport {
  const minR = opts.minR ?? 0.75
  const usable = filters.filter((f) => !f.skipped)
  const motifs = planted.map((pm): PlantedRecovery => {
    let filter: RecoveryFilter | null = null
    let correlation: PlantedCorrelation = { r: 0, offset: 0, strand: '+', columns: 0 }
    for (const f of usable) {
      const c = plantedCorrelation(pm.matrix, f.matrix, opts)
      if (filter === null || c.r > correlation.r) {
        filter = f
        correlation = c
      }
    }
    if (filter === null) return { planted: { id: pm.id, name: pm.name }, filter: null, correlation, bestMatch: null, plantedRank: null, plantedTiedBest: false, margin: null, passed: false }
    // Match the filter's informative core, as the motifs command does (ends < 0.3 bits trimmed).
    const trimmed = filter.trimmed?.matrix ?? trimMotif(filter.matrix, { threshold: opts.trimThreshold ?? 0.3 }).matrix
    const query = trimmed.rows.length > 0 ? trimmed : filter.matrix
    const matches = compareMotifs(query, database, { top: 50 })
    const rank = matches.findIndex((m) => m.id === pm.id)
    const bestMatch = matches[0] ?? null
    const tied = rank > 0 && bestMatch !== null && matches[rank].pValue <= TIE_FACTOR * bestMatch.pValue
    const matched = bestMatch?.id === pm.id || (opts.acceptTies === true && tied)
    const other = matches.find((m) => m.id !== pm.id)
    const margin = rank >= 0 && other ? Math.log10(other.pValue / matches[rank].pValue) : null
    return {
      planted: { id: pm.id, name: pm.name },
      filter: filter.filter,
      correlation,
      bestMatch,
      plantedRank: rank >= 0 ? rank + 1 : null,
      plantedTiedBest: rank === 0 || tied,
      margin,
      passed: correlation.r >= minR && matched,
    }
  })
  return { passed: motifs.every((m) => m.passed), motifs }
}

/** One line per planted motif, for test failures and the bench. */
export function formatRecovery(report: RecoveryReport): string {
  return report.motifs
    .map(
      (m) =>
        `${m.passed ? 'ok  ' : 'FAIL'} ${m.planted.id} ${m.planted.name}: filter ${m.filter ?? '-'} r=${m.correlation.r.toFixed(3)} ` +
        `(${m.correlation.strand} offset ${m.correlation.offset}); best match ${m.bestMatch ? `${m.bestMatch.id} ${m.bestMatch.name} q=${m.bestMatch.qValue.toExponential(1)}` : '-'}; ` +
        `planted rank ${m.plantedRank ?? '>50'}${m.plantedRank !== null && m.plantedRank > 1 && m.plantedTiedBest ? ` (p within ${TIE_FACTOR}x of the best)` : ''}` +
        (m.margin === null ? '' : `, margin 10^${m.margin.toFixed(2)}`),
    )
    .join('\n')
}
