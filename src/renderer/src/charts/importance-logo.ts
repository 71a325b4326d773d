/**
 * Letters scaled by importance: at each position the reference letter, as tall as its
 * importance, above the axis when it raises the prediction and below when it lowers it (the
 * attribution "logo" of DeepLIFT / logomaker). Importance per position:
 * - saturation mutagenesis: minus the mean effect of the other letters there (a base whose
 *   every mutation lowers the prediction is important for it);
 * - gradient x input: the value at the reference letter.
 * Same x layout as the heatmap (heatmap.ts) so the two line up. Glyphs come from
 * src/shared/logo, as on the filter logos.
 */
import { axisLeft, scaleLinear, select, type BaseType } from 'd3'
import { defaultColors, glyphPath } from '../../../shared/logo'
import { cellWidthFor, heatmapDefaults } from './heatmap'

/** The chart's <svg> (typed through d3 so main-side typechecks of the tests need no DOM lib). */
type ChartSvg = Exclude<BaseType, null>

export const importanceLogoDefaults = { cell: heatmapDefaults.cell, height: 110, margin: { top: 6, right: heatmapDefaults.margin.right, bottom: 6, left: heatmapDefaults.margin.left } }

/** -mean(effect of the other letters) per position; `values[position][letter]`. */
export function mutagenesisImportance(values: number[][], letters: string, sequence: string): number[] {
  return values.map((row, p) => {
    const others = row.filter((_, k) => letters[k] !== sequence[p])
    return others.length ? -others.reduce((a, v) => a + v, 0) / others.length : 0
  })
}

/** Gradient x input at the reference letter (the row sum: other letters are 0 there). */
export function saliencyImportance(values: number[][]): number[] {
  return values.map((row) => row.reduce((a, v) => a + v, 0))
}

export interface ImportanceGlyph {
  position: number
  letter: string
  value: number
  d: string
  color: string
}

export function importanceLogoGeometry(importance: number[], sequence: string, letters: string, size = importanceLogoDefaults) {
  const { cell, height, margin } = size
  const limit = Math.max(1e-12, ...importance.map(Math.abs))
  const y = scaleLinear()
    .domain([-limit, limit])
    .range([height - margin.bottom, margin.top])
  const colors = defaultColors(letters)
  const zero = y(0)
  const glyphs: ImportanceGlyph[] = []
  importance.forEach((v, p) => {
    const h = Math.abs(y(v) - zero)
    if (h < 0.2) return // below a fifth of a pixel: nothing to see
    const letter = sequence[p] ?? 'N'
    const x = margin.left + p * cell
    glyphs.push({ position: p, letter, value: v, d: glyphPath(letter, x, v >= 0 ? zero - h : zero, cell, h), color: colors[letter] ?? '#888888' })
  })
  return { width: margin.left + importance.length * cell + margin.right, height, y, zero, limit, glyphs }
}

export function renderImportanceLogo(svgEl: ChartSvg, importance: number[], sequence: string, letters: string): void {
  const g = importanceLogoGeometry(importance, sequence, letters, { ...importanceLogoDefaults, cell: cellWidthFor(importance.length) })
  const m = importanceLogoDefaults.margin
  const svg = select(svgEl).attr('viewBox', `0 0 ${g.width} ${g.height}`).attr('width', g.width).attr('height', g.height)
  svg.selectAll('*').remove()
  svg.append('line').attr('x1', m.left).attr('x2', g.width - m.right).attr('y1', g.zero).attr('y2', g.zero).attr('stroke', '#9aa3b2')
  svg
    .append('g')
    .selectAll('path')
    .data(g.glyphs)
    .join('path')
    .attr('class', 'glyph')
    .attr('d', (d) => d.d)
    .attr('fill', (d) => d.color)
    .append('title')
    .text((d) => `position ${d.position + 1} ${d.letter}: ${d.value.toPrecision(3)}`)
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(axisLeft(g.y).ticks(3).tickSize(3))
}
