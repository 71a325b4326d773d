/**
 * A bar histogram (sequence lengths, activations, positions). Pure geometry, unit-tested
 * without a DOM, and a small d3 render step.
 */
import { axisBottom, axisLeft, max, scaleLinear, select } from 'd3'
import type { ChartSvg } from './chart-svg'

export interface HistogramBin {
  from: number
  to: number
  count: number
}

export const histogramDefaults = { width: 420, height: 160, margin: { top: 8, right: 10, bottom: 28, left: 44 } }

export interface HistogramGeometry {
  bars: { x: number; y: number; width: number; height: number; bin: HistogramBin }[]
  x: ReturnType<typeof scaleLinear<number, number>>
  y: ReturnType<typeof scaleLinear<number, number>>
  width: number
  height: number
}

export function histogramGeometry(bins: HistogramBin[], size = histogramDefaults): HistogramGeometry {
  const { width, height, margin } = size
  const lo = bins.length ? bins[0].from : 0
  const hi = bins.length ? bins[bins.length - 1].to : 1
  const x = scaleLinear()
    .domain([lo, hi > lo ? hi : lo + 1])
    .range([margin.left, width - margin.right])
  const y = scaleLinear()
    .domain([0, max(bins, (b) => b.count) || 1])
    .nice()
    .range([height - margin.bottom, margin.top])
  const bars = bins.map((bin) => {
    const x0 = x(bin.from)
    const x1 = Math.max(x(bin.to), x0 + 1)
    return { x: x0, y: y(bin.count), width: Math.max(1, x1 - x0 - 1), height: y(0) - y(bin.count), bin }
  })
  return { bars, x, y, width, height }
}

export function renderHistogram(svgEl: ChartSvg, bins: HistogramBin[], label: string): void {
  const g = histogramGeometry(bins)
  const m = histogramDefaults.margin
  const svg = select(svgEl).attr('viewBox', `0 0 ${g.width} ${g.height}`)
  svg.selectAll('*').remove()
  svg
    .append('g')
    .selectAll('rect')
    .data(g.bars)
    .join('rect')
    .attr('x', (b) => b.x)
    .attr('y', (b) => b.y)
    .attr('width', (b) => b.width)
    .attr('height', (b) => b.height)
    .attr('fill', '#5b8def')
    .append('title')
    .text((b) => `${b.bin.from}–${b.bin.to}: ${b.bin.count}`)
  svg.append('g').attr('transform', `translate(0,${g.height - m.bottom})`).call(axisBottom(g.x).ticks(6))
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(axisLeft(g.y).ticks(4))
  svg.append('text').attr('x', g.width - m.right).attr('y', g.height - 2).attr('text-anchor', 'end').attr('font-size', 10).attr('fill', 'currentColor').text(label)
}
