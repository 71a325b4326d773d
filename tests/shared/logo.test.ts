import { describe, expect, it } from 'vitest'
import {
  GLYPH_LETTERS,
  defaultColors,
  glyphContours,
  glyphPath,
  logoLayout,
  logoSheetSvg,
  logoSvg,
  pairedLogoSvg,
  reverseComplementRows,
} from '../../src/shared/logo/index.js'

const DNA = {
  letters: 'ACGT',
  rows: [
    [0.7, 0.1, 0.1, 0.1],
    [0, 1, 0, 0],
    [0.25, 0.25, 0.25, 0.25],
    [0.05, 0.05, 0.85, 0.05],
  ],
}

describe('glyphs', () => {
  it('cover DNA, RNA, binary and the 20 amino acids', () => {
    for (const l of 'ACGTU01ACDEFGHIKLMNPQRSTVWY') expect(GLYPH_LETTERS).toContain(l)
  })

  it('stay inside the 100 x 100 glyph box', () => {
    for (const l of GLYPH_LETTERS)
      for (const c of glyphContours(l))
        for (const [x, y] of c) {
          expect(x).toBeGreaterThanOrEqual(-0.01)
          expect(x).toBeLessThanOrEqual(100.01)
          expect(y).toBeGreaterThanOrEqual(-0.01)
          expect(y).toBeLessThanOrEqual(100.01)
        }
  })

  it('scale the path to the box', () => {
    expect(glyphPath('T', 10, 20, 50, 200)).toBe('M10 20L60 20L60 56L40 56L40 220L30 220L30 56L10 56Z')
  })
})

describe('logoLayout', () => {
  const layout = logoLayout(DNA, { yAxis: 'bits', width: 240, height: 140, margin: { top: 10, right: 0, bottom: 30, left: 40 } })

  it('makes column heights the information content in bits', () => {
    const h = (p: number[]): number => -p.reduce((a, v) => a + (v > 0 ? v * Math.log2(v) : 0), 0)
    expect(layout.yMax).toBe(2)
    expect(layout.columns[0].total).toBeCloseTo(2 - h(DNA.rows[0]), 10)
    expect(layout.columns[1].total).toBeCloseTo(2, 10)
    expect(layout.columns[2].total).toBeCloseTo(0, 10)
    // 100 px of plot height for 2 bits: the C column is the whole plot.
    const c = layout.columns[1].letters
    expect(c).toHaveLength(1)
    expect(c[0].letter).toBe('C')
    expect(c[0].x).toBeCloseTo(40 + 50 + 50 * 0.04, 10)
    expect(c[0].y).toBeCloseTo(10, 10)
    expect(c[0].width).toBeCloseTo(50 * 0.92, 10)
    expect(c[0].height).toBeCloseTo(100, 10)
    expect(layout.columns[2].letters).toHaveLength(0)
  })

  it('stacks letters smallest at the bottom and scales them by probability', () => {
    const col = layout.columns[0]
    expect(col.letters.map((l) => l.letter)).toEqual(['C', 'G', 'T', 'A'])
    const bottom = 110
    expect(col.letters[0].y + col.letters[0].height).toBeCloseTo(bottom, 10)
    for (let i = 1; i < col.letters.length; i++) expect(col.letters[i].y + col.letters[i].height).toBeCloseTo(col.letters[i - 1].y, 10)
    expect(col.letters[3].height / col.letters[0].height).toBeCloseTo(7, 10)
    expect(col.letters[3].color).toBe(defaultColors('ACGT').A)
  })

  it('uses 0..1 and full-height columns for probability', () => {
    const p = logoLayout(DNA, { yAxis: 'probability', width: 240, height: 140 })
    expect(p.yTicks.map((t) => t.label)).toEqual(['0', '0.5', '1'])
    for (const c of p.columns) expect(c.letters.reduce((a, l) => a + l.height, 0)).toBeCloseTo(p.plot.height, 6)
  })

  it('measures bits against a non-uniform background', () => {
    const bg = [0.3, 0.2, 0.2, 0.3]
    const l = logoLayout({ letters: 'ACGT', rows: [[0, 1, 0, 0]] }, { yAxis: 'bits', width: 100, height: 100, background: bg })
    expect(l.columns[0].total).toBeCloseTo(Math.log2(1 / 0.2), 10)
    expect(l.yMax).toBeCloseTo(Math.log2(1 / 0.2), 10)
  })

  it('rejects malformed rows', () => {
    expect(() => logoLayout({ letters: 'ACGT', rows: [[1, 0, 0]] }, { yAxis: 'bits', width: 1, height: 1 })).toThrow(
      'logo: row 1 has 3 values, expected 4 (ACGT)',
    )
    expect(() => logoLayout({ letters: 'ACGT', rows: [[0, 0, 0, 0]] }, { yAxis: 'bits', width: 1, height: 1 })).toThrow('sums to 0')
  })

  it('numbers protein logos up to log2(20) bits', () => {
    const letters = 'ACDEFGHIKLMNPQRSTVWY'
    const l = logoLayout({ letters, rows: [[...letters].map((_, k) => (k === 3 ? 1 : 0))] }, { yAxis: 'bits', width: 80, height: 100 })
    expect(l.yMax).toBeCloseTo(Math.log2(20), 10)
    expect(l.yTicks.map((t) => t.value)).toEqual([0, 1, 2, 3, 4])
    expect(l.columns[0].letters[0].color).toBe('#D62839') // D is acidic
  })
})

describe('reverseComplementRows', () => {
  it('reverses positions and complements letters for DNA and RNA', () => {
    expect(reverseComplementRows({ letters: 'ACGT', rows: [[0.1, 0.2, 0.3, 0.4], [1, 0, 0, 0]] }).rows).toEqual([
      [0, 0, 0, 1],
      [0.4, 0.3, 0.2, 0.1],
    ])
    expect(reverseComplementRows({ letters: 'ACGU', rows: [[0.7, 0.1, 0.1, 0.1]] }).rows).toEqual([[0.1, 0.1, 0.1, 0.7]])
    expect(() => reverseComplementRows({ letters: '01', rows: [] })).toThrow('has no complement')
  })
})

describe('SVG', () => {
  it('matches the snapshot for a fixed DNA logo', async () => {
    const svg = logoSvg(DNA, { yAxis: 'bits', width: 200, height: 120, title: 'filter <1> & co' })
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="200" height="120" viewBox="0 0 200 120">')).toBe(true)
    expect(svg).toContain('filter &lt;1&gt; &amp; co')
    await expect(svg).toMatchFileSnapshot('./__snapshots__/dna-logo.svg')
  })

  it('lays out a sheet as a grid of logos', () => {
    const svg = logoSheetSvg(
      [0, 1, 2, 3, 4].map((i) => ({ matrix: DNA, title: `filter ${i}` })),
      { yAxis: 'bits', columns: 2, positionWidth: 10, cellHeight: 100 },
    )
    expect(svg.match(/<g transform="translate/g)).toHaveLength(5)
    // cells are 40 + 6 + 4 x 10 + 10 = 96 px wide: the second logo is beside the first,
    // the fifth starts the third row
    expect(svg).toContain('translate(96 0)')
    expect(svg).toContain('translate(0 200)')
    expect(svg).toMatch(/height="300"/)
  })

  it('aligns a filter over its match at the reported offset and strand', () => {
    const svg = pairedLogoSvg(DNA, DNA, 2, '-', { yAxis: 'bits', positionWidth: 10, rowHeight: 100 })
    // filter starts 2 columns right of the target: shifted 20 px; the match is not shifted.
    expect(svg).toContain('<g transform="translate(20 0)">')
    expect(svg).toContain('<g transform="translate(0 100)">')
    expect(svg).toContain('match (reverse complement)')
    const neg = pairedLogoSvg(DNA, DNA, -3, '+', { yAxis: 'bits', positionWidth: 10, rowHeight: 100 })
    expect(neg).toContain('<g transform="translate(0 0)">')
    expect(neg).toContain('<g transform="translate(30 100)">')
  })
})
