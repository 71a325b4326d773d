/**
 * Several runs overlaid: validation loss (or training loss where a run has no validation)
 * per epoch, one line per run. Pure geometry plus a small d3 render step.
 */
import { axisBottom, axisLeft, line, max, scaleLinear, schemeTableau10, select } from 'd3'
import type { ChartSvg } from './chart-svg'

export interface RunCurve {
  runId: string
  label: string
  points: { epoch: number; value: number }[]
}

export const runsChartDefaults = { width: 640, height: 220, margin: { top: 10, right: 16, bottom: 30, left: 48 } }

export function runsChartGeometry(runs: RunCurve[], size = runsChartDefaults) {
  const { width, height, margin } = size
  const epochs = max(runs, (r) => max(r.points, (p) => p.epoch)) ?? 1
  const top = max(runs, (r) => max(r.points, (p) => p.value)) ?? 1
  const x = scaleLinear().domain([1, Math.max(2, epochs)]).range([margin.left, width - margin.right])
  const y = scaleLinear().domain([0, top * 1.05 || 1]).nice().range([height - margin.bottom, margin.top])
  const path = line<{ epoch: number; value: number }>()
    .defined((p) => Number.isFinite(p.value))
    .x((p) => x(p.epoch))
    .y((p) => y(p.value))
  return { width, height, x, y, lines: runs.map((r, i) => ({ runId: r.runId, label: r.label, color: schemeTableau10[i % 10], d: path(r.points) ?? '' })) }
}

export function renderRunsChart(svgEl: ChartSvg, runs: RunCurve[]): void {
  const g = runsChartGeometry(runs)
  const m = runsChartDefaults.margin
  const svg = select(svgEl).attr('viewBox', `0 0 ${g.width} ${g.height}`)
  svg.selectAll('*').remove()
  svg.append('g').attr('transform', `translate(0,${g.height - m.bottom})`).call(axisBottom(g.x).ticks(8))
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(axisLeft(g.y).ticks(5))
  svg.append('text').attr('x', g.width - m.right).attr('y', g.height - 2).attr('text-anchor', 'end').attr('font-size', 11).attr('fill', 'currentColor').text('epoch')
  for (const l of g.lines) svg.append('path').attr('d', l.d).attr('fill', 'none').attr('stroke', l.color).attr('stroke-width', 2).append('title').text(l.label)
}
