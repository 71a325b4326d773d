import { describe, expect, it } from 'vitest'
import {
  MatrixError,
  argmaxConsensus,
  countMatrix,
  countsToProbabilities,
  informationContent,
  informationMatrix,
  iupacConsensus,
  logOddsToProbabilities,
  probabilitiesToLogOdds,
  probabilityMatrix,
  reverseComplement,
  thresholdConsensus,
  trimMotif,
} from '../../src/main/motifs/index.js'
import { python } from './python.js'

const counts = countMatrix('ACGT', [
  [4, 16, 0, 0],
  [19, 0, 1, 0],
  [5, 5, 5, 5],
  [0, 0, 0, 20],
])

describe('conversions', () => {
  it('turns counts into probabilities with a background-weighted pseudocount', () => {
    const p = countsToProbabilities(counts, { pseudocount: 2, background: [0.3, 0.2, 0.2, 0.3] })
    expect(p.kind).toBe('probability')
    expect(p.rows[0][0]).toBeCloseTo((4 + 0.6) / 22, 12)
    expect(p.rows[0][2]).toBeCloseTo(0.4 / 22, 12)
    for (const r of p.rows) expect(r.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
    expect(countsToProbabilities(counts).rows[3]).toEqual([0, 0, 0, 1])
  })

  it('checks its input', () => {
    expect(() => countMatrix('ACGT', [[1, 2, 3]])).toThrow('count matrix: position 1 has 3 values, expected 4 (ACGT)')
    expect(() => countMatrix('ACGT', [[1, -2, 3, 0]])).toThrow('count matrix: position 1, letter C is -2; expected a finite count >= 0')
    expect(() => countsToProbabilities(countMatrix('ACGT', [[0, 0, 0, 0]]))).toThrow(
      'count matrix: position 1 has no counts; use a pseudocount > 0',
    )
    expect(() => probabilityMatrix('ACGT', [[0.5, 0.5, 0.5, 0]])).toThrow('probability matrix: position 1 sums to 1.500000, not 1')
    expect(() => countsToProbabilities(counts, { background: [0.5, 0.5] })).toThrow(MatrixError)
  })

  it('round-trips probabilities through log-odds', () => {
    const p = countsToProbabilities(counts, { pseudocount: 1 })
    const bg = [0.3, 0.2, 0.2, 0.3]
    const w = probabilitiesToLogOdds(p, { background: bg, epsilon: 0 })
    expect(w.rows[0][1]).toBeCloseTo(Math.log2(p.rows[0][1] / 0.2), 12)
    const back = logOddsToProbabilities(w)
    back.rows.forEach((r, i) => r.forEach((v, k) => expect(v).toBeCloseTo(p.rows[i][k], 10)))
    // natural-log weights (a convolution kernel): p = b e^w / sum
    const nat = logOddsToProbabilities({ kind: 'log-odds', letters: 'ACGT', background: [0.25, 0.25, 0.25, 0.25], rows: [[Math.log(3), 0, 0, 0]] }, { base: 'e' })
    expect(nat.rows[0]).toEqual([0.5, 1 / 6, 1 / 6, 1 / 6].map((v) => expect.closeTo(v, 12)))
  })

  it('keeps zero probabilities finite in log-odds', () => {
    const w = probabilitiesToLogOdds(countsToProbabilities(counts))
    for (const r of w.rows) for (const v of r) expect(Number.isFinite(v)).toBe(true)
  })
})

describe('information', () => {
  const p = countsToProbabilities(counts)

  it('is 2 - H bits per position against a uniform background', () => {
    const ic = informationContent(p)
    const h = (r: number[]): number => -r.reduce((a, v) => a + (v > 0 ? v * Math.log2(v) : 0), 0)
    p.rows.forEach((r, i) => expect(ic.perPosition[i]).toBeCloseTo(2 - h(r), 12))
    expect(ic.perPosition[2]).toBeCloseTo(0, 12)
    expect(ic.perPosition[3]).toBeCloseTo(2, 12)
    expect(ic.total).toBeCloseTo(ic.perPosition.reduce((a, b) => a + b, 0), 12)
    const m = informationMatrix(p)
    expect(m.rows[3]).toEqual([0, 0, 0, 2])
  })

  it('is relative entropy against a background', () => {
    const ic = informationContent(p, [0.4, 0.1, 0.1, 0.4])
    expect(ic.perPosition[3]).toBeCloseTo(Math.log2(1 / 0.4), 12)
  })

  it('trims uninformative ends only', () => {
    const q = probabilityMatrix('ACGT', [[0.25, 0.25, 0.25, 0.25], ...p.rows, [0.3, 0.2, 0.2, 0.3]])
    const t = trimMotif(q, { threshold: 0.3 })
    expect([t.start, t.end]).toEqual([1, 5])
    expect(t.matrix.rows).toHaveLength(4) // the inner uniform column stays
    const none = trimMotif(probabilityMatrix('ACGT', [[0.25, 0.25, 0.25, 0.25]]))
    expect([none.start, none.end, none.matrix.rows.length]).toEqual([0, 0, 0])
  })

  it('reverse-complements a matrix and its background', () => {
    const w = probabilitiesToLogOdds(p, { background: [0.4, 0.1, 0.1, 0.4] })
    const rc = reverseComplement(w)
    expect(rc.rows[0]).toEqual([...w.rows[3]].reverse())
    expect(rc.background).toEqual([0.4, 0.1, 0.1, 0.4])
    expect(() => reverseComplement({ ...p, letters: '01', rows: [] })).toThrow("alphabet '01' has no complement")
  })
})

describe('consensus', () => {
  it('thresholds letters, N elsewhere (X for protein)', () => {
    const p = countsToProbabilities(counts)
    expect(thresholdConsensus(p, 0.5)).toBe('CANT')
    expect(thresholdConsensus(p, 0.9)).toBe('NANT')
    expect(argmaxConsensus(p)).toBe('CAAT')
    const protein = probabilityMatrix('ACDEFGHIKLMNPQRSTVWY', [new Array(20).fill(0.05)])
    expect(thresholdConsensus(protein)).toBe('X')
  })

  it('follows Cavener rules like Biopython degenerate_consensus', () => {
    // Columns chosen to hit every rule: single letter, two-letter codes, three-letter codes, N.
    const cols = [
      [90, 5, 5, 0],
      [60, 35, 5, 0],
      [40, 0, 40, 20],
      [30, 30, 40, 0],
      [25, 25, 25, 25],
      [0, 10, 45, 45],
      [0, 0, 0, 100],
      [10, 60, 20, 10],
      [34, 33, 33, 0],
    ]
    const p = countsToProbabilities(countMatrix('ACGT', cols))
    const ours = iupacConsensus(p)
    const ref = python(
      `
import json, sys
from Bio import motifs
cols = json.load(sys.stdin)
m = motifs.Motif(counts={l: [c[k] for c in cols] for k, l in enumerate('ACGT')})
print(m.degenerate_consensus)
`,
      JSON.stringify(cols),
    ).trim()
    expect(ours).toBe(ref)
    expect(ours).toBe('AMRVNKTCV')
    expect(iupacConsensus({ ...p, letters: 'ACGU', rows: [[0, 0, 0, 1]] })).toBe('U')
  })
})
