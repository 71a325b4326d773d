import { describe, expect, it } from 'vitest'
import { matchLogo, positionBins, rangeBins, sortFilters, trimmedRows } from '../../src/renderer/src/lib/motif-views'
import type { FilterView, MotifMatchView } from '../../src/shared/views'

const rows = [
  [0.7, 0.1, 0.1, 0.1],
  [0.1, 0.7, 0.1, 0.1],
  [0.25, 0.25, 0.25, 0.25],
]

function match(q: number, strand: '+' | '-' = '+'): MotifMatchView {
  return { id: `M${q}`, name: `TF${q}`, offset: 1, strand, overlap: 2, score: 1.5, pValue: q / 2, qValue: q, matrix: { letters: 'ACGT', rows: [[0, 0, 0, 1], [0, 0, 1, 0], [1, 0, 0, 0]] } }
}

function filter(index: number, over: Partial<FilterView> = {}): FilterView {
  return { index, sites: 50, skipped: null, ic: 1, consensus: 'ACN', matrix: { letters: 'ACGT', rows }, trimmed: { start: 0, end: 2 }, influence: 0, matches: [], ...over }
}

describe('sortFilters', () => {
  const fs = [
    filter(0, { influence: 0.1, ic: 3, matches: [match(0.5)] }),
    filter(1, { influence: 0.3, ic: 1, matches: [match(0.001)] }),
    filter(2, { influence: null, ic: 5 }),
    filter(3, { influence: 0.9, ic: 9, skipped: 'only 2 sites' }),
    filter(4, { influence: 0.3, ic: 2, matches: [match(0.01)] }),
  ]
  it('orders by influence, most needed first, ties by index, skipped last', () => {
    expect(sortFilters(fs, 'influence').map((f) => f.index)).toEqual([1, 4, 0, 2, 3])
  })
  it('orders by information content', () => {
    expect(sortFilters(fs, 'ic').map((f) => f.index)).toEqual([2, 0, 4, 1, 3])
  })
  it('orders by the best match q-value, unmatched after matched', () => {
    expect(sortFilters(fs, 'match').map((f) => f.index)).toEqual([1, 4, 0, 2, 3])
  })
})

describe('positionBins', () => {
  it('sums positions into equal-width bars that cover every position once', () => {
    const counts = Array.from({ length: 189 }, (_, p) => p % 3)
    const bins = positionBins(counts, 60)
    // width ceil(189 / 60) = 4 positions, so 48 bars, the last covering 188 only
    expect(bins).toHaveLength(48)
    expect(bins[0]).toEqual({ from: 0, to: 4, count: 0 + 1 + 2 + 0 })
    expect(bins[47]).toEqual({ from: 188, to: 189, count: 188 % 3 })
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(counts.reduce((a, b) => a + b, 0))
  })
  it('keeps one bar per position when there are few', () => {
    expect(positionBins([3, 0, 1], 60)).toEqual([
      { from: 0, to: 1, count: 3 },
      { from: 1, to: 2, count: 0 },
      { from: 2, to: 3, count: 1 },
    ])
    expect(positionBins([], 60)).toEqual([])
  })
})

describe('rangeBins', () => {
  it('splits the range evenly', () => {
    expect(rangeBins({ from: 0, to: 2, counts: [1, 2, 3, 4] })).toEqual([
      { from: 0, to: 0.5, count: 1 },
      { from: 0.5, to: 1, count: 2 },
      { from: 1, to: 1.5, count: 3 },
      { from: 1.5, to: 2, count: 4 },
    ])
  })
})

describe('match logos', () => {
  it('aligns the trimmed filter over the match, as stored before orientation', () => {
    const f = filter(7, { matches: [match(0.01, '-')] })
    expect(trimmedRows(f).rows).toEqual(rows.slice(0, 2))
    const svg = matchLogo(f, f.matches[0])
    expect(svg).toContain('filter 7')
    expect(svg).toContain('TF0.01 (M0.01) (reverse complement)')
    // the view holds [T, G, A] (the match on '-'); the lower logo must draw exactly that,
    // left to right: red T, orange G, green A (letters of height 0 may be drawn too, flat)
    const lower = svg.slice(svg.lastIndexOf('<g transform'))
    const tall = [...lower.matchAll(/<path fill="(#[0-9A-Fa-f]{6})" d="([^"]+)"/g)]
      .map((m) => ({ color: m[1], ys: [...m[2].matchAll(/[ML][\d.-]+ ([\d.-]+)/g)].map((y) => Number(y[1])) }))
      .filter((p) => Math.max(...p.ys) - Math.min(...p.ys) > 10)
      .map((p) => p.color)
    expect(tall).toEqual(['#D62839', '#F7B32B', '#109648'])
  })
})
