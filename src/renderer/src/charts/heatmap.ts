/**
 * Attribution heatmap: one column per sequence position, one row per letter, coloured on a
 * diverging scale symmetric around 0 (red: the prediction goes up, blue: it goes down,
 * white: no change). Cells of the reference base are outlined (saturation mutagenesis is 0
 * there by definition). Wide sequences get a fixed cell width and scroll horizontally.
 * Pure geometry (unit-tested without a DOM) and a small d3 render step.
 */
import { axisBottom, interpolateRdBu, scaleLinear, select, type BaseType } from 'd3'

/** The chart's <svg> (typed through d3 so main-side typechecks of the tests need no DOM lib). */
type ChartSvg = Exclude<BaseType, null>

export const heatmapDefaults = { cell: 8, rowHeight: 14, margin: { top: 4, right: 8, bottom: 24, left: 44 } }

/** Cell width for a sequence of `length` positions: wider cells for short sequences (up to 14 px), 8 px from 120 positions on. */
export function cellWidthFor(length: number): number {
  return length >= 120 ? 8 : Math.min(14, Math.max(8, Math.floor(960 / Math.max(1, length))))
}

export interface HeatmapCell {
  x: number
  y: number
  width: number
  height: number
  position: number
  letter: string
  value: number
  color: string
  reference: boolean
}

export interface HeatmapGeometry {
  width: number
  height: number
  /** Largest |value|: the colour scale runs from -limit (blue) to +limit (red). */
  limit: number
  cells: HeatmapCell[]
  rows: { letter: string; y: number }[]
  x: ReturnType<typeof scaleLinear<number, number>>
}

/** Diverging colour of `v` on [-limit, limit]: red above 0, blue below, white at 0. */
export function divergingColor(v: number, limit: number): string {
  const t = limit > 0 ? Math.max(-1, Math.min(1, v / limit)) : 0
  return interpolateRdBu(0.5 - t / 2)
}

/** `values[position][letter]`; `sequence` marks the reference base of each position. */
export function heatmapGeometry(values: number[][], letters: string, sequence: string, size = heatmapDefaults): HeatmapGeometry {
  const { cell, rowHeight, margin } = size
  const L = values.length
  let limit = 0
  for (const row of values) for (const v of row) limit = Math.max(limit, Math.abs(v))
  const x = scaleLinear()
    .domain([0, Math.max(1, L)])
    .range([margin.left, margin.left + L * cell])
  const cells: HeatmapCell[] = []
  values.forEach((row, p) =>
    row.forEach((v, k) =>
      cells.push({
        x: x(p),
        y: margin.top + k * rowHeight,
        width: cell,
        height: rowHeight,
        position: p,
        letter: letters[k],
        value: v,
        color: divergingColor(v, limit),
        reference: sequence[p] === letters[k],
      }),
    ),
  )
  return {
    width: margin.left + L * cell + margin.right,
    height: margin.top + letters.length * rowHeight + margin.bottom,
    limit,
    cells,
    rows: [...letters].map((letter, k) => ({ letter, y: margin.top + (k + 0.5) * rowHeight })),
    x,
  }
}

export function renderHeatmap(svgEl: ChartSvg, values: number[][], letters: string, sequence: string, valueLabel: string): void {
  const g = heatmapGeometry(values, letters, sequence, { ...heatmapDefaults, cell: cellWidthFor(values.length) })
  const m = heatmapDefaults.margin
  const svg = select(svgEl).attr('viewBox', `0 0 ${g.width} ${g.height}`).attr('width', g.width).attr('height', g.height)
  svg.selectAll('*').remove()
  svg
    .append('g')
    .selectAll('rect')
    .data(g.cells)
    .join('rect')
    .attr('class', 'cell')
    .attr('x', (c) => c.x)
    .attr('y', (c) => c.y)
    .attr('width', (c) => c.width)
    .attr('height', (c) => c.height)
    .attr('fill', (c) => c.color)
    .attr('stroke', (c) => (c.reference ? 'currentColor' : 'none'))
    .attr('stroke-opacity', 0.55)
    .attr('stroke-width', 0.6)
    .append('title')
    .text((c) => `position ${c.position + 1}, ${c.reference ? `${c.letter} (reference)` : `${c.letter}`}: ${valueLabel} ${c.value.toPrecision(3)}`)
  svg
    .append('g')
    .selectAll('text')
    .data(g.rows)
    .join('text')
    .attr('x', m.left - 6)
    .attr('y', (r) => r.y)
    .attr('dy', '0.35em')
    .attr('text-anchor', 'end')
    .attr('font-size', 11)
    .attr('fill', 'currentColor')
    .text((r) => r.letter)
  const ticks = Math.max(2, Math.floor((g.width - m.left - m.right) / 60))
  svg
    .append('g')
    .attr('transform', `translate(0,${g.height - m.bottom})`)
    .call(
      axisBottom(g.x)
        .ticks(ticks)
        .tickFormat((d) => String(Number(d) + 1)),
    )
}
