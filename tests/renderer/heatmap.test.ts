import { describe, expect, it } from 'vitest'
import { cellWidthFor, divergingColor, heatmapDefaults, heatmapGeometry } from '../../src/renderer/src/charts/heatmap'
import { importanceLogoDefaults, importanceLogoGeometry, mutagenesisImportance, saliencyImportance } from '../../src/renderer/src/charts/importance-logo'

describe('heatmapGeometry', () => {
  const values = [
    [0, -0.2, 0.1, 0.4],
    [0.1, 0, 0, -0.8],
  ]
  const g = heatmapGeometry(values, 'ACGT', 'AC')
  const { cell, rowHeight, margin } = heatmapDefaults

  it('lays out positions as columns and letters as rows', () => {
    expect(g.cells).toHaveLength(8)
    expect(g.width).toBe(margin.left + 2 * cell + margin.right)
    expect(g.height).toBe(margin.top + 4 * rowHeight + margin.bottom)
    const c = g.cells.find((c) => c.position === 1 && c.letter === 'T')
    expect(c).toMatchObject({ x: margin.left + cell, y: margin.top + 3 * rowHeight, value: -0.8 })
    expect(g.cells.filter((c) => c.reference).map((c) => [c.position, c.letter])).toEqual([
      [0, 'A'],
      [1, 'C'],
    ])
  })

  it('colours symmetrically around 0 with the largest |value| as the limit', () => {
    expect(g.limit).toBe(0.8)
    expect(divergingColor(0, 1)).toBe(divergingColor(0, 5))
    // white-ish at 0, red for positive, blue for negative
    const rgb = (s: string) => s.match(/\d+/g)?.map(Number) ?? []
    const [r0, g0, b0] = rgb(divergingColor(0, 1))
    expect(Math.min(r0, g0, b0)).toBeGreaterThan(230)
    const [rp, , bp] = rgb(divergingColor(1, 1))
    expect(rp).toBeGreaterThan(bp)
    const [rn, , bn] = rgb(divergingColor(-1, 1))
    expect(bn).toBeGreaterThan(rn)
    expect(divergingColor(9, 1)).toBe(divergingColor(1, 1))
  })
})

describe('importance logo', () => {
  it('scores a position by minus the mean effect of mutating it, and saliency by its row sum', () => {
    const ism = [
      [0, -0.3, -0.3, -0.6], // reference A: every mutation lowers the prediction by 0.4 on average
      [0.2, 0, 0.1, 0], // reference C (and T unchanged)
    ]
    const imp = mutagenesisImportance(ism, 'ACGT', 'AC')
    expect(imp[0]).toBeCloseTo(0.4, 12)
    expect(imp[1]).toBeCloseTo(-0.1, 12)
    expect(saliencyImportance([[0, 0.5, 0, 0], [-0.25, 0, 0, 0]])).toEqual([0.5, -0.25])
  })

  it('draws the reference letter above the axis for positive importance and below for negative', () => {
    const g = importanceLogoGeometry([1, -0.5, 0], 'AGT', 'ACGT')
    const { height, margin, cell } = importanceLogoDefaults
    expect(g.zero).toBe((height - margin.bottom + margin.top) / 2)
    expect(g.glyphs.map((x) => [x.position, x.letter])).toEqual([
      [0, 'A'],
      [1, 'G'],
    ]) // a zero importance draws nothing
    const ys = (d: string) => [...d.matchAll(/[ML][\d.]+ ([\d.]+)/g)].map((m) => Number(m[1]))
    const xs = (d: string) => [...d.matchAll(/[ML]([\d.]+) /g)].map((m) => Number(m[1]))
    const a = ys(g.glyphs[0].d)
    expect(Math.min(...a)).toBeCloseTo(margin.top, 1)
    expect(Math.max(...a)).toBeCloseTo(g.zero, 1)
    const gl = ys(g.glyphs[1].d)
    expect(Math.min(...gl)).toBeCloseTo(g.zero, 1)
    expect(Math.max(...gl)).toBeCloseTo(g.zero + (g.zero - margin.top) / 2, 1)
    expect(Math.min(...xs(g.glyphs[1].d))).toBeGreaterThanOrEqual(margin.left + cell - 0.01)
    expect(g.glyphs[0].color).toBe('#109648')
  })
})

describe('cellWidthFor', () => {
  it('widens cells of short sequences and keeps 8 px for long ones', () => {
    expect([cellWidthFor(40), cellWidthFor(80), cellWidthFor(119), cellWidthFor(1000)]).toEqual([14, 12, 8, 8])
  })
})
