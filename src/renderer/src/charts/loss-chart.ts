/**
 * Loss curves: the batch loss as a thin line, and train / validation loss per epoch as
 * points joined by lines, on one y scale. A pure geometry step (tested without a DOM) and a
 * small d3 render step.
 */
import { axisBottom, axisLeft, line, max, scaleLinear, select } from 'd3'
import type { ChartSvg } from './chart-svg'

export interface LossSeries {
  /** Batch losses as reported (progress is throttled, so not every batch): `batch` counts from the run's first batch, 1-based. */
  batchLosses: { batch: number; loss: number }[]
  /** Batches per epoch, to place epoch points on the batch axis. */
  batchesPerEpoch: number
  /** Epochs are 1-based: epoch e ends at batch e * batchesPerEpoch. */
  epochs: { epoch: number; loss: number; valLoss: number | null }[]
}

export const lossChartDefaults = { width: 640, height: 260, margin: { top: 12, right: 16, bottom: 32, left: 48 } }

export interface LossGeometry {
  width: number
  height: number
  x: ReturnType<typeof scaleLinear<number, number>>
  y: ReturnType<typeof scaleLinear<number, number>>
  batchPath: string
  trainPath: string
  validPath: string
}

export function lossChartGeometry(s: LossSeries, size = lossChartDefaults): LossGeometry {
  const { width, height, margin } = size
  const n = Math.max(s.batchLosses.at(-1)?.batch ?? 0, (s.epochs.at(-1)?.epoch ?? 0) * s.batchesPerEpoch, 1)
  const values = [...s.batchLosses.map((b) => b.loss), ...s.epochs.map((e) => e.loss), ...s.epochs.flatMap((e) => (e.valLoss === null ? [] : [e.valLoss]))].filter(Number.isFinite)
  const top = max(values) ?? 1
  const x = scaleLinear().domain([0, n]).range([margin.left, width - margin.right])
  const y = scaleLinear()
    .domain([0, top > 0 ? top * 1.05 : 1])
    .range([height - margin.bottom, margin.top])
    .nice()
  const batchLine = line<{ batch: number; loss: number }>()
    .defined((b) => Number.isFinite(b.loss))
    .x((b) => x(b.batch))
    .y((b) => y(b.loss))
  const epochLine = (key: 'loss' | 'valLoss') =>
    line<{ epoch: number; loss: number; valLoss: number | null }>()
      .defined((e) => e[key] !== null && Number.isFinite(e[key]))
      .x((e) => x(e.epoch * s.batchesPerEpoch))
      .y((e) => y(e[key] as number))(s.epochs) ?? ''
  return { width, height, x, y, batchPath: batchLine(s.batchLosses) ?? '', trainPath: epochLine('loss'), validPath: epochLine('valLoss') }
}

export function renderLossChart(svgEl: ChartSvg, s: LossSeries): void {
  const g = lossChartGeometry(s)
  const svg = select(svgEl).attr('viewBox', `0 0 ${g.width} ${g.height}`)
  svg.selectAll('*').remove()
  const m = lossChartDefaults.margin
  svg.append('g').attr('transform', `translate(0,${g.height - m.bottom})`).call(axisBottom(g.x).ticks(6))
  svg.append('g').attr('transform', `translate(${m.left},0)`).call(axisLeft(g.y).ticks(5))
  svg.append('text').attr('x', g.width - m.right).attr('y', g.height - 2).attr('text-anchor', 'end').attr('font-size', 11).attr('fill', 'currentColor').text('batch')
  svg.append('path').attr('d', g.batchPath).attr('fill', 'none').attr('stroke', '#9aa3b2').attr('stroke-width', 1).attr('class', 'batch-loss')
  svg.append('path').attr('d', g.trainPath).attr('fill', 'none').attr('stroke', '#2563c9').attr('stroke-width', 2).attr('class', 'train-loss')
  svg.append('path').attr('d', g.validPath).attr('fill', 'none').attr('stroke', '#e07a1f').attr('stroke-width', 2).attr('stroke-dasharray', '5 3').attr('class', 'valid-loss')
}
