/**
 * Train / validation / test splits.
 *
 * - `random:0.8,0.1,0.1` (the default): seeded and stratified. Each sequence belongs to the
 *   stratum of its rarest positive target (or to the stratum of unlabelled-negative
 *   sequences); each stratum is shuffled and cut in the given proportions, and a stratum with
 *   at least as many members as there are non-empty splits puts at least one member in each,
 *   so a rare label still shows up in validation and test.
 * - `chrom:test=chr8,chr9;valid=chr7`: held-out chromosomes; every other chromosome trains.
 *   The chromosome comes from BED intervals or from ids like `chr8:100-200`.
 */
import type { SplitName } from '../../shared/types.js'
import { UserError } from '../errors.js'
import { Rng } from './rng.js'
import { NO_CHROM } from './store.js'

export const SPLIT_CODES: Record<SplitName, number> = { train: 0, valid: 1, test: 2 }
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'valid', 'test']

export type SplitSpec = { kind: 'random'; fractions: [number, number, number] } | { kind: 'chrom'; test: string[]; valid: string[] }

export const DEFAULT_SPLIT = 'random:0.8,0.1,0.1'

export function parseSplit(text: string | undefined): SplitSpec {
  const s = (text ?? DEFAULT_SPLIT).trim()
  const bad = (why: string) => new UserError(`--split '${s}': ${why}; use e.g. 'random:0.8,0.1,0.1' or 'chrom:test=chr8,chr9;valid=chr7'`, { exitCode: 2 })
  if (s.startsWith('random:') || s === 'random') {
    const parts = s === 'random' ? ['0.8', '0.1', '0.1'] : s.slice(7).split(',')
    if (parts.length !== 3) throw bad('give three fractions (train, valid, test)')
    const f = parts.map(Number)
    if (f.some((x) => !Number.isFinite(x) || x < 0)) throw bad('fractions must be numbers >= 0')
    const sum = f[0] + f[1] + f[2]
    if (Math.abs(sum - 1) > 1e-6) throw bad(`fractions add up to ${Number(sum.toFixed(6))}, not 1`)
    if (f[0] === 0) throw bad('the train fraction must be above 0')
    return { kind: 'random', fractions: [f[0], f[1], f[2]] }
  }
  if (s.startsWith('chrom:')) {
    const test: string[] = []
    const valid: string[] = []
    for (const part of s.slice(6).split(';')) {
      if (part.trim() === '') continue
      const eq = part.indexOf('=')
      const key = part.slice(0, eq).trim()
      const chroms = part
        .slice(eq + 1)
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean)
      if (eq < 0 || (key !== 'test' && key !== 'valid') || chroms.length === 0) throw bad(`'${part}' is not 'test=CHR,...' or 'valid=CHR,...'`)
      ;(key === 'test' ? test : valid).push(...chroms)
    }
    if (test.length === 0) throw bad('name the test chromosomes with test=...')
    const both = test.find((c) => valid.includes(c))
    if (both) throw bad(`chromosome '${both}' is in both test and valid`)
    return { kind: 'chrom', test, valid }
  }
  throw bad("it must start with 'random:' or 'chrom:'")
}

/** Calls `visit(i, row)` with each sequence's bit-packed label row (bit t of byte t>>3 is target t). */
export type LabelRowScan = (visit: (i: number, row: Uint8Array) => void) => void

/** Positive count of every target, from bit-packed label rows. */
export function countPositives(targetCount: number, scan: LabelRowScan): Float64Array {
  const positives = new Float64Array(targetCount)
  scan((_i, row) => {
    for (let b = 0; b < row.length; b++) {
      const byte = row[b]
      if (byte === 0) continue
      for (let bit = 0; bit < 8; bit++) if (byte & (1 << bit)) positives[(b << 3) + bit]++
    }
  })
  return positives
}

/** Split code (0 train, 1 valid, 2 test) of every sequence, seeded and stratified (see the file comment). */
export function assignRandomSplit(
  size: number,
  targetCount: number,
  scan: LabelRowScan,
  fractions: [number, number, number],
  seed: number,
): Uint8Array {
  const positives = countPositives(targetCount, scan)
  // Stratum: the rarest positive target, else -1 (no positive label).
  const stratumOf = new Int32Array(size).fill(-1)
  scan((i, row) => {
    let best = -1
    for (let b = 0; b < row.length; b++) {
      const byte = row[b]
      if (byte === 0) continue
      for (let bit = 0; bit < 8; bit++) {
        const t = (b << 3) + bit
        if (byte & (1 << bit) && (best < 0 || positives[t] < positives[best])) best = t
      }
    }
    stratumOf[i] = best
  })
  const members = new Map<number, number[]>()
  for (let i = 0; i < size; i++) {
    const list = members.get(stratumOf[i])
    if (list) list.push(i)
    else members.set(stratumOf[i], [i])
  }
  const out = new Uint8Array(size)
  const rng = new Rng(seed)
  const strata = [...members.keys()].sort((a, b) => a - b)
  const active = [0, 1, 2].filter((k) => fractions[k] > 0)
  for (const s of strata) {
    const list = rng.shuffle(members.get(s)!)
    const counts = apportion(list.length, fractions, active)
    let k = 0
    for (let split = 0; split < 3; split++) for (let c = 0; c < counts[split]; c++) out[list[k++]] = split
  }
  return out
}

/** Largest-remainder counts per split, with one member at least in each active split when possible. */
function apportion(n: number, fractions: [number, number, number], active: number[]): number[] {
  const exact = fractions.map((f) => f * n)
  const counts = exact.map(Math.floor)
  let left = n - counts[0] - counts[1] - counts[2]
  const order = [0, 1, 2].sort((a, b) => exact[b] - counts[b] - (exact[a] - counts[a]) || a - b)
  for (const k of order) {
    if (left === 0) break
    if (fractions[k] > 0) {
      counts[k]++
      left--
    }
  }
  counts[active[0]] += left
  if (n >= active.length) {
    for (const k of active) {
      if (counts[k] > 0) continue
      // Take one from the largest split.
      const donor = active.reduce((a, b) => (counts[b] > counts[a] ? b : a))
      counts[donor]--
      counts[k]++
    }
  }
  return counts
}

/** Split codes from held-out chromosomes; a sequence without a known chromosome is an error. */
export function assignChromSplit(
  chroms: readonly string[],
  chromIndex: Uint16Array,
  spec: { test: string[]; valid: string[] },
  idOf: (i: number) => string,
): Uint8Array {
  const codeOfChrom = chroms.map((c) => (spec.test.includes(c) ? 2 : spec.valid.includes(c) ? 1 : 0))
  const out = new Uint8Array(chromIndex.length)
  for (let i = 0; i < chromIndex.length; i++) {
    const c = chromIndex[i]
    if (c === NO_CHROM) {
      throw new UserError(
        `sequence '${idOf(i)}' has no chromosome in its id (expected e.g. 'chr8:100-200'); a chrom: split needs ids like that or BED input, or use --split random:0.8,0.1,0.1`,
      )
    }
    out[i] = codeOfChrom[c]
  }
  for (const [name, code, list] of [
    ['test', 2, spec.test],
    ['valid', 1, spec.valid],
  ] as const) {
    if (list.length > 0 && !out.includes(code)) {
      const known = chroms.slice(0, 8).join(', ') + (chroms.length > 8 ? ', ...' : '')
      throw new UserError(`--split: no sequence is on ${list.join(', ')}, so the ${name} split is empty; the data's chromosomes are ${known}`, { exitCode: 2 })
    }
  }
  return out
}
