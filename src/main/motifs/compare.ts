/**
 * Tomtom-style motif comparison (Gupta et al. 2007, Genome Biology 8:R24): which database
 * motifs does a query motif (a learned filter) look like, and how surprising is the match?
 *
 * Score. Query column i and target column j are compared by the Pearson correlation of
 * their letter probabilities (a constant column correlates 0 with everything). An
 * alignment places query column i over target column i + offset (a positive offset shifts
 * the query right, as Tomtom reports it); its score is the SUM of column correlations over
 * the overlapping columns only ("incomplete scoring"). Every offset with at least
 * min(minOverlap, query width, target width) overlapping columns is tried, on both strands
 * for DNA/RNA (strand '-': against the target's reverse complement, offsets counted on it).
 *
 * p-values, as Tomtom does: the null distribution of query column i's score is the
 * empirical distribution of its correlations with EVERY column of the database (both
 * strands). Column scores are rounded to a grid of `binWidth` (default 0.04), and the null
 * of a sum over query columns a..b-1 is the convolution of their column nulls (assuming
 * independent columns), computed by dynamic programming for every range [a, b). An
 * alignment's p-value is P(null sum >= observed sum), read off the grid's survival function
 * at the real-valued observed sum with a continuity correction (grid sum k stands for real
 * sums from k - 1/2 bins) and log-linear interpolation between grid points, so p falls
 * smoothly as the score rises instead of jumping at bin edges. For each target the
 * smallest p over its offsets and strands is corrected for the number n of alignments
 * tried, p = 1 - (1 - p_min)^n (Sidak), E = p x database size, and q-values are
 * Benjamini-Hochberg over all database motifs for this query.
 */
import { UserError } from '../errors.js'
import { isComplementable, reverseComplementRows } from '../../shared/logo/layout.js'
import type { Motif, ProbabilityMatrix } from './matrix.js'

export interface MotifMatch {
  /** Index of the target in the database. */
  index: number
  id: string
  name: string
  /** Query column i sits over target column i + offset (of the target on `strand`). */
  offset: number
  strand: '+' | '-'
  overlap: number
  /** Sum of column Pearson correlations over the overlap. */
  score: number
  pValue: number
  eValue: number
  qValue: number
}

export interface CompareOptions {
  /** Minimum overlapping columns (default 5; shorter motifs need their full width). */
  minOverlap?: number
  /** Grid of column scores for the p-value computation (default 0.04). */
  binWidth?: number
  /** Matches returned, best first (default 10; Infinity for all). */
  top?: number
}

interface PreparedDatabase {
  letters: string
  motifs: Motif[]
  strands: ('+' | '-')[]
  /** Normalised columns, `[column][letter]` flat: target t on strand s starts at start[t][s]. */
  columns: Float64Array
  count: number
  start: number[][]
  widths: number[]
}

/** Centre a column and scale it to unit length: the Pearson correlation becomes a dot product. */
function normaliseInto(out: Float64Array, at: number, row: number[]): void {
  const A = row.length
  let mean = 0
  for (const v of row) mean += v / A
  let norm = 0
  for (const v of row) norm += (v - mean) ** 2
  norm = Math.sqrt(norm)
  for (let k = 0; k < A; k++) out[at + k] = norm > 1e-12 ? (row[k] - mean) / norm : 0
}

/** Pearson correlation of two letter columns; 0 when either is constant (e.g. uniform). */
export function columnPearson(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = x.length
  let mx = 0
  let my = 0
  for (let k = 0; k < n; k++) {
    mx += x[k] / n
    my += y[k] / n
  }
  let sxy = 0
  let sxx = 0
  let syy = 0
  for (let k = 0; k < n; k++) {
    sxy += (x[k] - mx) * (y[k] - my)
    sxx += (x[k] - mx) ** 2
    syy += (y[k] - my) ** 2
  }
  return sxx > 1e-24 && syy > 1e-24 ? sxy / Math.sqrt(sxx * syy) : 0
}

const prepared = new WeakMap<Motif[], PreparedDatabase>()

function prepare(motifs: Motif[]): PreparedDatabase {
  let db = prepared.get(motifs)
  if (db) return db
  if (motifs.length === 0) throw new UserError('motif comparison: the database has no motifs')
  const letters = motifs[0].matrix.letters
  for (const m of motifs)
    if (m.matrix.letters !== letters) throw new UserError(`motif database: motif ${m.id} has letters '${m.matrix.letters}', others '${letters}'`)
  const strands: ('+' | '-')[] = isComplementable(letters) ? ['+', '-'] : ['+']
  const A = letters.length
  const widths = motifs.map((m) => m.matrix.rows.length)
  const count = widths.reduce((a, w) => a + w, 0) * strands.length
  const columns = new Float64Array(count * A)
  const start: number[][] = []
  let c = 0
  for (const m of motifs) {
    const s: number[] = []
    for (const strand of strands) {
      s.push(c)
      const rows = strand === '+' ? m.matrix.rows : reverseComplementRows(m.matrix).rows
      for (const row of rows) normaliseInto(columns, c++ * A, row)
    }
    start.push(s)
  }
  db = { letters, motifs, strands, columns, count, start, widths }
  prepared.set(motifs, db)
  return db
}

/** Benjamini-Hochberg q-values, in input order. */
export function benjaminiHochberg(p: ArrayLike<number>): Float64Array {
  const m = p.length
  const order = Array.from({ length: m }, (_, i) => i).sort((a, b) => p[a] - p[b])
  const q = new Float64Array(m)
  let min = 1
  for (let r = m - 1; r >= 0; r--) {
    min = Math.min(min, (p[order[r]] * m) / (r + 1))
    q[order[r]] = min
  }
  return q
}

/**
 * Survival functions of the null sum for every query column range [a, b), from the grid
 * scores `grid[c * w + i]` of query column i against database column c:
 * sf[a][b - a - 1][s - lo] = P(sum >= s) on the integer grid, lo = (b - a) * minBin.
 */
function nullSurvival(grid: Int32Array, w: number, count: number, minBin: number, bins: number): Float64Array[][] {
  // per-column null: probability of each grid value (minBin .. minBin + bins - 1)
  const col = Array.from({ length: w }, () => new Float64Array(bins))
  for (let c = 0; c < count; c++) for (let i = 0; i < w; i++) col[i][grid[c * w + i] - minBin]++
  for (const h of col) for (let k = 0; k < bins; k++) h[k] /= count
  // Each column's null occupies part of the grid only (a peaked query column never
  // correlates near -1): convolve over the occupied bins [lo, hi] alone.
  const lo = col.map((h) => Math.max(0, h.findIndex((v) => v > 0)))
  const hi = col.map((h) => {
    let k = bins - 1
    while (k > 0 && h[k] === 0) k--
    return k
  })
  const sf: Float64Array[][] = []
  for (let a = 0; a < w; a++) {
    const out: Float64Array[] = []
    let dist = col[a]
    for (let b = a + 1; b <= w; b++) {
      if (b > a + 1) {
        const next = new Float64Array(dist.length + bins - 1)
        const h = col[b - 1]
        const y0 = lo[b - 1]
        const y1 = hi[b - 1]
        for (let x = 0; x < dist.length; x++) {
          const d = dist[x]
          if (d === 0) continue
          for (let y = y0; y <= y1; y++) next[x + y] += d * h[y]
        }
        dist = next
      }
      const s = new Float64Array(dist.length)
      let acc = 0
      for (let x = dist.length - 1; x >= 0; x--) {
        acc += dist[x]
        s[x] = Math.min(1, acc)
      }
      out.push(s)
    }
    sf.push(out)
  }
  return sf
}

/**
 * P(sum >= x) for a real grid position x (0 = the lowest possible sum) from the survival
 * function `sf[k]` = P(sum >= k): continuity-corrected (sf[k] sits at x = k - 1/2) and
 * interpolated log-linearly between grid points.
 */
export function survivalAt(sf: Float64Array, x: number): number {
  const X = x + 0.5
  if (X <= 0) return 1
  const k = Math.floor(X)
  if (k >= sf.length - 1) return sf[sf.length - 1]
  const lo = sf[k]
  const hi = sf[k + 1]
  const f = X - k
  if (hi <= 0) return lo * (1 - f)
  return Math.exp(Math.log(lo) + f * (Math.log(hi) - Math.log(lo)))
}

export function compareMotifs(query: ProbabilityMatrix, database: Motif[] | { motifs: Motif[] }, opts: CompareOptions = {}): MotifMatch[] {
  const db = prepare(Array.isArray(database) ? database : database.motifs)
  if (query.letters !== db.letters)
    throw new UserError(`motif comparison: the query has letters '${query.letters}' but the database '${db.letters}'; use a database of the same alphabet`)
  const wq = query.rows.length
  if (wq === 0) return []
  const A = db.letters.length
  const delta = opts.binWidth ?? 0.04
  const half = Math.ceil(1 / delta) // grid values -half..half cover correlations in [-1, 1]
  const bins = 2 * half + 1

  // Correlation of every query column with every database column: the scores and the null.
  // Stored column-major (`[c * wq + i]`) so an alignment's diagonal is a short local walk.
  const q = new Float64Array(wq * A)
  query.rows.forEach((row, i) => normaliseInto(q, i * A, row))
  const real = new Float64Array(db.count * wq)
  const grid = new Int32Array(db.count * wq)
  const cols = db.columns
  const inv = 1 / delta
  for (let c = 0; c < db.count; c++) {
    for (let i = 0; i < wq; i++) {
      let dot = 0
      for (let k = 0; k < A; k++) dot += q[i * A + k] * cols[c * A + k]
      real[c * wq + i] = dot
      // round to the grid; |dot| <= 1 so the shifted value is >= 0 and truncation rounds
      const g = ((dot * inv + half + 0.5) | 0) - half
      grid[c * wq + i] = g < -half ? -half : g > half ? half : g
    }
  }
  const sf = nullSurvival(grid, wq, db.count, -half, bins)

  const minOverlap = opts.minOverlap ?? 5
  const n = db.motifs.length
  const best: MotifMatch[] = []
  const pvals = new Float64Array(n)
  for (let t = 0; t < n; t++) {
    const wt = db.widths[t]
    const need = Math.min(minOverlap, wq, wt)
    let bestP = 2
    let bestScore = -Infinity
    let bestOffset = 0
    let bestStrand = 0
    let bestOverlap = 0
    let tried = 0
    for (let s = 0; s < db.strands.length; s++) {
      const base = db.start[t][s]
      for (let offset = need - wq; offset <= wt - need; offset++) {
        const a = Math.max(0, -offset)
        const b = Math.min(wq, wt - offset)
        if (b - a < need) continue
        tried++
        let score = 0
        for (let i = a, at = (base + a + offset) * wq + a; i < b; i++, at += wq + 1) score += real[at]
        const p = survivalAt(sf[a][b - a - 1], score * inv + (b - a) * half)
        if (p < bestP || (p === bestP && score > bestScore)) {
          bestP = p
          bestScore = score
          bestOffset = offset
          bestStrand = s
          bestOverlap = b - a
        }
      }
    }
    // Sidak correction for the alignments tried: 1 - (1 - p)^n, computed without cancellation.
    const p = bestP >= 1 ? 1 : -Math.expm1(tried * Math.log1p(-bestP))
    pvals[t] = p
    const m = db.motifs[t]
    best.push({ index: t, id: m.id, name: m.name, offset: bestOffset, strand: db.strands[bestStrand], overlap: bestOverlap, score: bestScore, pValue: p, eValue: p * n, qValue: 1 })
  }
  const qv = benjaminiHochberg(pvals)
  best.forEach((m, t) => (m.qValue = qv[t]))
  best.sort((x, y) => x.pValue - y.pValue || y.score - x.score)
  return best.slice(0, opts.top ?? 10)
}
