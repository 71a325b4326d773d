/**
 * ROC curves (false positive rate -> true positive rate), one per target: every target as a
 * faint line (one path for all of them, so 919 targets stay cheap), the chosen targets in
 * colour on top, the micro average dashed, and the chance diagonal. The curves arrive
 * thinned (<= 300 points) from `run:evaluate`. Pure geometry (unit-tested without a DOM) and
 * a small d3 render step; the PR chart (pr-chart.ts) shares both.
 */
import { axisBottom, axisLeft, line, scaleLinear, schemeTableau10, select, type BaseType } from 'd3'
import type { CurvePoints } from '../../../shared/views'

/** The chart's <svg> (typed through d3 so main-side typechecks of the tests need no DOM lib). */
type ChartSvg = Exclude<BaseType, null>

export interface CurveSeries {
  /** Target index, or -1 for the micro average. */
  target: number
  label: string
  points: CurvePoints
}

export interface CurveChartInput {
  /** Every target's curve (null where undefined), in target order. */
  curves: (CurvePoints | null)[]
  names: string[]
  /** Targets drawn in colour, in the order they were chosen. */
  chosen: number[]
  micro: CurvePoints | null
  /** A horizontal reference (PR: the positive fraction) or null for the diagonal (ROC). */
  baseline: number | null
}

export const rocChartDefaults = { width: 420, height: 400, margin: { top: 12, right: 14, bottom: 40, left: 48 }, xLabel: 'False positive rate', yLabel: 'True positive rate' }
export type CurveChartSize = typeof rocChartDefaults

/** The colour of the k-th chosen target. */
export const chosenColor = (k: number): string => schemeTableau10[k % 10]

export interface CurveChartGeometry {
  width: number
  height: number
  x: ReturnType<typeof scaleLinear<number, number>>
  y: ReturnType<typeof scaleLinear<number, number>>
  /** All targets' curves in one path (M...L... per curve). */
  background: string
  highlighted: { target: number; label: string; color: string; d: string }[]
  micro: string
  reference: string
}

export function curveChartGeometry(input: CurveChartInput, size: CurveChartSize = rocChartDefaults): CurveChartGeometry {
  const { width, height, margin } = size
  const x = scaleLinear().domain([0, 1]).range([margin.left, width - margin.right])
  const y = scaleLinear().domain([0, 1]).range([height - margin.bottom, margin.top])
  const path = (c: CurvePoints): string =>
    line<number>()
      .x((i) => x(c.x[i]))
      .y((i) => y(c.y[i]))(c.x.map((_, i) => i)) ?? ''
  const background = input.curves.map((c) => (c && c.x.length ? path(c) : '')).join('')
  const highlighted = input.chosen.flatMap((t, k) => {
    const c = input.curves[t]
    return c ? [{ target: t, label: input.names[t] ?? `target ${t}`, color: chosenColor(k), d: path(c) }] : []
  })
  const reference = input.baseline === null ? `M${x(0)},${y(0)}L${x(1)},${y(1)}` : `M${x(0)},${y(input.baseline)}L${x(1)},${y(input.baseline)}`
  return { width, height, x, y, background, highlighted, micro: input.micro ? path(input.micro) : '', reference }
}

export function renderCurveChart(svgEl: ChartSvg, input: CurveChartInput, size: CurveChartSize = rocChartDefaults): void {
  const g = curveChartGeometry(input, size)
  const m = size.margin
  const svg = select(svgEl).attr('viewBox', `0 0 ${g.width} ${g.height}`)
  svg.selectAll('*').remove()
  svg.append('g').attr('transform', `translate(0,${g.height - m.bottom})`).call(axisBottom(g.x).ticks(5))
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(axisLeft(g.y).ticks(5))
  svg.append('text').attr('x', (m.left + g.width - m.right) / 2).attr('y', g.height - 6).attr('text-anchor', 'middle').attr('font-size', 12).attr('fill', 'currentColor').text(size.xLabel)
  svg
    .append('text')
    .attr('transform', `translate(12,${(m.top + g.height - m.bottom) / 2}) rotate(-90)`)
    .attr('text-anchor', 'middle')
    .attr('font-size', 12)
    .attr('fill', 'currentColor')
    .text(size.yLabel)
  svg.append('path').attr('class', 'reference').attr('d', g.reference).attr('stroke', '#9aa3b2').attr('stroke-dasharray', '3 3').attr('fill', 'none')
  // faint lines for every target; stronger when there are few
  const opacity = input.curves.length > 50 ? 0.12 : input.curves.length > 5 ? 0.3 : 0.5
  svg.append('path').attr('class', 'background-curves').attr('d', g.background).attr('stroke', '#8c96a8').attr('stroke-opacity', opacity).attr('stroke-width', 1).attr('fill', 'none')
  if (g.micro) svg.append('path').attr('class', 'micro-curve').attr('d', g.micro).attr('stroke', 'currentColor').attr('stroke-width', 1.5).attr('stroke-dasharray', '6 3').attr('fill', 'none')
  svg
    .append('g')
    .selectAll('path')
    .data(g.highlighted)
    .join('path')
    .attr('class', 'curve')
    .attr('data-target', (h) => h.target)
    .attr('d', (h) => h.d)
    .attr('stroke', (h) => h.color)
    .attr('stroke-width', 2.5)
    .attr('fill', 'none')
    .append('title')
    .text((h) => h.label)
}

export function renderRocChart(svgEl: ChartSvg, input: Omit<CurveChartInput, 'baseline'>): void {
  renderCurveChart(svgEl, { ...input, baseline: null }, rocChartDefaults)
}
