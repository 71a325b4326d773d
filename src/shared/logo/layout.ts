/**
 * Sequence-logo geometry, independent of any drawing surface: where every letter of every
 * position goes. The app's renderer and the SVG/PNG exporter both draw from this, so what
 * is on screen and what is in the file are the same picture.
 *
 * Coordinates are SVG user units, origin top-left, y down. Positions are 0-based in the
 * layout; axis labels number them from `firstPosition` (default 1, as logos are read).
 *
 * Heights (Schneider & Stephens 1990):
 * - 'bits': column i is IC_i = sum_k p_ik log2(p_ik / b_k) bits tall (with the uniform
 *   background b_k = 1/|A| this is log2|A| - H_i), letter k is p_ik * IC_i of it; the axis
 *   runs 0..log2|A| (2 for DNA), or 0..max_k log2(1/b_k) with a non-uniform background.
 * - 'probability': every column is 1 tall, letter k is p_ik of it.
 * Letters are stacked smallest at the bottom, the tallest on top.
 */
import type { ProbabilityRows } from '../types.js'
import { defaultColors } from './colors.js'
import { glyphPath } from './glyphs.js'

export type LogoYAxis = 'bits' | 'probability'

export interface Margin {
  top: number
  right: number
  bottom: number
  left: number
}

export interface LogoOptions {
  yAxis: LogoYAxis
  /** Whole picture, axes included, in user units (px). */
  width: number
  height: number
  /** Background letter frequencies for 'bits' (default uniform), one per letter. */
  background?: number[]
  /** Letter -> CSS colour; letters not given use `defaultColors`. */
  colors?: Record<string, string>
  /** Room around the plot for axes and title; default leaves room for tick labels. */
  margin?: Partial<Margin>
  title?: string
  /** Label of the first position on the x axis (default 1). */
  firstPosition?: number
}

export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface LetterBox extends Rect {
  letter: string
  /** Index of the letter in the alphabet. */
  index: number
  color: string
  /** Probability of this letter at this position (after normalising the row). */
  probability: number
  /** Height in axis units (bits or probability). */
  value: number
  /** SVG path data of the glyph stretched to this box. */
  path: string
}

export interface LogoColumn {
  /** 0-based position in the matrix. */
  position: number
  /** Axis label (position + firstPosition). */
  label: string
  /** Centre of the column on the x axis. */
  center: number
  x: number
  width: number
  /** Column height in axis units: IC in bits, or 1 for probability. */
  total: number
  /** Bottom to top. */
  letters: LetterBox[]
}

export interface AxisTick {
  value: number
  y: number
  label: string
}

export interface LogoLayout {
  width: number
  height: number
  /** The area the letters are drawn in. */
  plot: Rect
  yAxis: LogoYAxis
  yMax: number
  yTicks: AxisTick[]
  /** Axis title: 'bits' or 'probability'. */
  yLabel: string
  columns: LogoColumn[]
  title?: string
}

/** Letters take this share of their column's width, leaving a small gap between columns. */
const LETTER_FILL = 0.92

export function defaultMargin(title?: string): Margin {
  return { top: title ? 20 : 8, right: 6, bottom: 20, left: 40 }
}

/** Check a matrix and return its rows normalised to sum 1. Throws on malformed input. */
export function normalizedRows(matrix: ProbabilityRows): number[][] {
  const n = matrix.letters.length
  if (n === 0) throw new Error('logo: the alphabet has no letters')
  return matrix.rows.map((row, i) => {
    if (row.length !== n) throw new Error(`logo: row ${i + 1} has ${row.length} values, expected ${n} (${matrix.letters})`)
    let sum = 0
    for (const v of row) {
      if (!Number.isFinite(v) || v < 0) throw new Error(`logo: row ${i + 1} holds ${v}; probabilities must be finite and >= 0`)
      sum += v
    }
    if (sum <= 0) throw new Error(`logo: row ${i + 1} sums to 0; every position needs some probability`)
    return row.map((v) => v / sum)
  })
}

/** Relative entropy of each row to the background in bits (IC per position). */
export function columnInformation(rows: number[][], background: number[]): number[] {
  return rows.map((row) => {
    let ic = 0
    row.forEach((p, k) => {
      if (p > 0) ic += p * Math.log2(p / background[k])
    })
    return Math.max(0, ic)
  })
}

function checkBackground(background: number[] | undefined, n: number): number[] {
  if (background === undefined) return new Array<number>(n).fill(1 / n)
  if (background.length !== n) throw new Error(`logo: background has ${background.length} values, expected ${n}`)
  const sum = background.reduce((a, b) => a + b, 0)
  if (background.some((b) => !(b > 0)) || Math.abs(sum - 1) > 1e-3)
    throw new Error('logo: background frequencies must be > 0 and sum to 1')
  return background
}

const fmt = (v: number): string => String(Math.round(v * 100) / 100)

export function logoLayout(matrix: ProbabilityRows, opts: LogoOptions): LogoLayout {
  const rows = normalizedRows(matrix)
  const n = matrix.letters.length
  const background = checkBackground(opts.background, n)
  const margin = { ...defaultMargin(opts.title), ...opts.margin }
  const plot: Rect = {
    x: margin.left,
    y: margin.top,
    width: Math.max(0, opts.width - margin.left - margin.right),
    height: Math.max(0, opts.height - margin.top - margin.bottom),
  }
  const bits = opts.yAxis === 'bits'
  const yMax = bits ? Math.max(...background.map((b) => Math.log2(1 / b))) : 1
  const totals = bits ? columnInformation(rows, background) : rows.map(() => 1)
  const colors = { ...defaultColors(matrix.letters), ...opts.colors }
  const first = opts.firstPosition ?? 1
  const colWidth = rows.length > 0 ? plot.width / rows.length : 0
  const scale = yMax > 0 ? plot.height / yMax : 0
  const bottom = plot.y + plot.height

  const columns: LogoColumn[] = rows.map((row, i) => {
    const x = plot.x + i * colWidth
    const letterWidth = colWidth * LETTER_FILL
    const letterX = x + (colWidth - letterWidth) / 2
    // Ascending height, ties in alphabet order: the smallest ends up at the bottom.
    const order = row.map((p, k) => ({ p, k, value: p * totals[i] })).sort((a, b) => a.value - b.value || a.k - b.k)
    let y = bottom
    const letters: LetterBox[] = []
    for (const { p, k, value } of order) {
      const h = value * scale
      if (h < 0.01) continue // invisible: keep the SVG small
      y -= h
      const letter = matrix.letters[k]
      letters.push({
        letter,
        index: k,
        color: colors[letter] ?? '#888888',
        probability: p,
        value,
        x: letterX,
        y,
        width: letterWidth,
        height: h,
        path: glyphPath(letter, letterX, y, letterWidth, h),
      })
    }
    return { position: i, label: String(i + first), center: x + colWidth / 2, x, width: colWidth, total: totals[i], letters }
  })

  const step = bits ? (yMax >= 2 ? 1 : 0.5) : 0.5
  const yTicks: AxisTick[] = []
  for (let v = 0; v <= yMax + 1e-9; v += step) yTicks.push({ value: v, y: bottom - v * scale, label: fmt(v) })

  return {
    width: opts.width,
    height: opts.height,
    plot,
    yAxis: opts.yAxis,
    yMax,
    yTicks,
    yLabel: bits ? 'bits' : 'probability',
    columns,
    ...(opts.title !== undefined ? { title: opts.title } : {}),
  }
}

const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A', U: 'A' }

/** Whether an alphabet has a reverse complement (DNA ACGT, RNA ACGU, in any letter order). */
export function isComplementable(letters: string): boolean {
  const up = letters.toUpperCase()
  return up.length === 4 && (new Set(up).size === 4) && ['A', 'C', 'G'].every((l) => up.includes(l)) && (up.includes('T') !== up.includes('U'))
}

/**
 * Reverse complement of a nucleotide matrix: rows reversed, each letter's probability
 * moved to its complement (A<->T/U, C<->G). Throws for alphabets without a complement.
 */
export function reverseComplementRows<M extends ProbabilityRows>(matrix: M): M {
  const up = matrix.letters.toUpperCase()
  if (!isComplementable(up)) throw new Error(`reverse complement: alphabet '${matrix.letters}' has no complement (DNA or RNA only)`)
  const rnaLike = up.includes('U')
  const partner = [...up].map((l) => up.indexOf(rnaLike && l === 'A' ? 'U' : COMPLEMENT[l]))
  const rows = [...matrix.rows].reverse().map((row) => partner.map((j) => row[j]))
  return { ...matrix, rows }
}
