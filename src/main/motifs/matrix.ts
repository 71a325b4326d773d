/**
 * Position matrices by kind. A motif can be held as counts, probabilities, log-odds weights
 * or information (letter heights in bits); each is its own type with a `kind` tag, so a
 * count matrix cannot be passed where probabilities are meant. Conversions check their
 * input and say what is wrong.
 *
 * Layout: `rows[i][k]` is position i (0-based, 5'->3' on the forward strand) and letter k of
 * `letters` (e.g. 'ACGT'). Backgrounds `b[k]` are letter frequencies that sum to 1.
 * Logarithms are base 2 (bits) unless a function says otherwise.
 */
import type { ProbabilityRows } from '../../shared/types.js'
import { isComplementable, reverseComplementRows } from '../../shared/logo/layout.js'

interface MatrixBase {
  letters: string
  rows: number[][]
}

/** Letter counts per position (sites observed), any non-negative numbers. */
export interface CountMatrix extends MatrixBase {
  kind: 'counts'
}

/** Letter probabilities per position; every row sums to 1. Is a ProbabilityRows. */
export interface ProbabilityMatrix extends MatrixBase {
  kind: 'probability'
}

/** Log-odds weights w_ik = log2(p_ik / b_k) against `background`. */
export interface LogOddsMatrix extends MatrixBase {
  kind: 'log-odds'
  background: number[]
}

/** Letter heights in bits, h_ik = p_ik * IC_i (what a logo draws). */
export interface InformationMatrix extends MatrixBase {
  kind: 'information'
  background: number[]
}

export type PositionMatrix = CountMatrix | ProbabilityMatrix | LogOddsMatrix | InformationMatrix

/** A named motif as motif databases and MEME files hold it. */
export interface Motif {
  /** Accession or identifier, e.g. 'MA0139.2' or 'filter_12'. */
  id: string
  /** Human name, e.g. 'CTCF'; may equal id. */
  name: string
  matrix: ProbabilityMatrix
  /** Number of sites the matrix was built from, when known. */
  nsites?: number
  evalue?: number
  url?: string
}

/** Thrown for malformed matrices; its message names the matrix and what to fix. */
export class MatrixError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'MatrixError'
  }
}

function checkShape(what: string, letters: string, rows: number[][], check: (v: number) => boolean, expect: string): void {
  if (letters.length === 0) throw new MatrixError(`${what}: the alphabet has no letters`)
  rows.forEach((row, i) => {
    if (row.length !== letters.length)
      throw new MatrixError(`${what}: position ${i + 1} has ${row.length} values, expected ${letters.length} (${letters})`)
    row.forEach((v, k) => {
      if (!check(v)) throw new MatrixError(`${what}: position ${i + 1}, letter ${letters[k]} is ${v}; expected ${expect}`)
    })
  })
}

const nonNegative = (v: number): boolean => Number.isFinite(v) && v >= 0

export function countMatrix(letters: string, rows: number[][]): CountMatrix {
  checkShape('count matrix', letters, rows, nonNegative, 'a finite count >= 0')
  return { kind: 'counts', letters, rows: rows.map((r) => [...r]) }
}

/**
 * A probability matrix from rows that each sum to 1 within `tolerance` (default 1e-3, the
 * rounding of a 6-decimal MEME file); rows are renormalised to sum exactly 1.
 */
export function probabilityMatrix(letters: string, rows: number[][], tolerance = 1e-3): ProbabilityMatrix {
  checkShape('probability matrix', letters, rows, (v) => nonNegative(v) && v <= 1 + tolerance, 'a probability in [0, 1]')
  return {
    kind: 'probability',
    letters,
    rows: rows.map((row, i) => {
      const sum = row.reduce((a, b) => a + b, 0)
      if (Math.abs(sum - 1) > tolerance)
        throw new MatrixError(`probability matrix: position ${i + 1} sums to ${sum.toFixed(6)}, not 1; normalise the rows`)
      return row.map((v) => v / sum)
    }),
  }
}

export function uniformBackground(letters: string): number[] {
  return new Array<number>(letters.length).fill(1 / letters.length)
}

/** Check a background (one frequency > 0 per letter, summing to 1) or make the uniform one. */
export function checkBackground(letters: string, background?: number[]): number[] {
  if (background === undefined) return uniformBackground(letters)
  if (background.length !== letters.length)
    throw new MatrixError(`background: ${background.length} frequencies for ${letters.length} letters (${letters})`)
  if (background.some((b) => !(Number.isFinite(b) && b > 0))) throw new MatrixError('background: every letter frequency must be > 0')
  const sum = background.reduce((a, b) => a + b, 0)
  if (Math.abs(sum - 1) > 1e-3) throw new MatrixError(`background: frequencies sum to ${sum.toFixed(6)}, not 1`)
  return background.map((b) => b / sum)
}

/**
 * Counts to probabilities with a pseudocount spread by the background:
 *   p_ik = (c_ik + a * b_k) / (N_i + a),  N_i = sum_k c_ik.
 * `a` (default 0) is the total pseudocount per position; with a = 0 every position needs
 * at least one count.
 */
export function countsToProbabilities(counts: CountMatrix, opts: { pseudocount?: number; background?: number[] } = {}): ProbabilityMatrix {
  const a = opts.pseudocount ?? 0
  if (!(a >= 0 && Number.isFinite(a))) throw new MatrixError(`pseudocount ${a} must be a finite number >= 0`)
  const b = checkBackground(counts.letters, opts.background)
  checkShape('count matrix', counts.letters, counts.rows, nonNegative, 'a finite count >= 0')
  return {
    kind: 'probability',
    letters: counts.letters,
    rows: counts.rows.map((row, i) => {
      const n = row.reduce((s, c) => s + c, 0)
      if (n + a <= 0) throw new MatrixError(`count matrix: position ${i + 1} has no counts; use a pseudocount > 0`)
      return row.map((c, k) => (c + a * b[k]) / (n + a))
    }),
  }
}

/** Probabilities to expected counts for `nsites` sites: c_ik = p_ik * nsites (not rounded). */
export function probabilitiesToCounts(p: ProbabilityMatrix, nsites: number): CountMatrix {
  if (!(nsites > 0)) throw new MatrixError(`nsites ${nsites} must be > 0`)
  return { kind: 'counts', letters: p.letters, rows: p.rows.map((r) => r.map((v) => v * nsites)) }
}

/**
 * Log-odds weights w_ik = log2(p'_ik / b_k), where p' = (p + e * b) / (1 + e) is the matrix
 * pulled toward the background by `epsilon` e (default 0.01) so a zero probability gives a
 * large negative but finite weight.
 */
export function probabilitiesToLogOdds(p: ProbabilityMatrix, opts: { background?: number[]; epsilon?: number } = {}): LogOddsMatrix {
  const b = checkBackground(p.letters, opts.background)
  const e = opts.epsilon ?? 0.01
  if (!(e >= 0)) throw new MatrixError(`epsilon ${e} must be >= 0`)
  return {
    kind: 'log-odds',
    letters: p.letters,
    background: b,
    rows: p.rows.map((row) => row.map((v, k) => Math.log2((v + e * b[k]) / (1 + e) / b[k]))),
  }
}

/**
 * Weights to the probabilities they imply: p_ik = b_k B^w_ik / sum_j b_j B^w_ij with base
 * B = 2 (log-odds in bits) or e (raw convolution weights, which are natural-log scores).
 * The inverse of probabilitiesToLogOdds (up to its epsilon).
 */
export function logOddsToProbabilities(w: LogOddsMatrix, opts: { base?: 2 | 'e' } = {}): ProbabilityMatrix {
  const ln = opts.base === 'e' ? 1 : Math.LN2
  checkShape('log-odds matrix', w.letters, w.rows, Number.isFinite, 'a finite weight')
  return {
    kind: 'probability',
    letters: w.letters,
    rows: w.rows.map((row) => {
      const top = Math.max(...row.map((v) => v * ln)) // subtract the max: no overflow
      const e = row.map((v, k) => w.background[k] * Math.exp(v * ln - top))
      const s = e.reduce((a, x) => a + x, 0)
      return e.map((x) => x / s)
    }),
  }
}

export interface InformationContent {
  /** IC_i = sum_k p_ik log2(p_ik / b_k) in bits (log2|A| - H_i for a uniform background). */
  perPosition: number[]
  total: number
}

export function informationContent(p: ProbabilityMatrix, background?: number[]): InformationContent {
  const b = checkBackground(p.letters, background)
  const perPosition = p.rows.map((row) => {
    let ic = 0
    row.forEach((v, k) => {
      if (v > 0) ic += v * Math.log2(v / b[k])
    })
    return Math.max(0, ic)
  })
  return { perPosition, total: perPosition.reduce((a, v) => a + v, 0) }
}

/** Letter heights h_ik = p_ik * IC_i in bits, what a logo stacks. */
export function informationMatrix(p: ProbabilityMatrix, background?: number[]): InformationMatrix {
  const b = checkBackground(p.letters, background)
  const ic = informationContent(p, b).perPosition
  return { kind: 'information', letters: p.letters, background: b, rows: p.rows.map((row, i) => row.map((v) => v * ic[i])) }
}

export interface Trimmed {
  matrix: ProbabilityMatrix
  /** Kept positions [start, end) of the input, 0-based half-open; both 0 if none is kept. */
  start: number
  end: number
}

/**
 * Drop uninformative ends: leading and trailing positions with IC < `threshold` bits
 * (default 0.3). Inner low-information positions stay (they are part of the motif's spacing).
 */
export function trimMotif(p: ProbabilityMatrix, opts: { threshold?: number; background?: number[] } = {}): Trimmed {
  const t = opts.threshold ?? 0.3
  const ic = informationContent(p, opts.background).perPosition
  let start = 0
  let end = ic.length
  while (start < end && ic[start] < t) start++
  while (end > start && ic[end - 1] < t) end--
  if (start === end) start = end = 0
  return { matrix: { ...p, rows: p.rows.slice(start, end) }, start, end }
}

/** Reverse complement of a DNA/RNA matrix of any kind (positions reversed, A<->T, C<->G). */
export function reverseComplement<M extends PositionMatrix>(m: M): M {
  if (!isComplementable(m.letters)) throw new MatrixError(`reverse complement: alphabet '${m.letters}' has no complement (DNA or RNA only)`)
  const rc = reverseComplementRows(m as M & ProbabilityRows)
  // A background moves with its letters: b'(A) = b(T) and so on.
  if ('background' in m) return { ...rc, background: reverseComplementRows({ letters: m.letters, rows: [m.background] }).rows[0] }
  return rc
}
