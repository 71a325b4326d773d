/**
 * Precision-recall curves per target (recall -> precision), drawn like the ROC chart. The
 * reference line is the precision of guessing: the positive fraction of the one chosen
 * target (or of all labels pooled, when none or several are chosen).
 */
import type { BaseType } from 'd3'
import { curveChartGeometry, renderCurveChart, rocChartDefaults, type CurveChartInput } from './roc-chart'

/** The chart's <svg> (typed through d3 so main-side typechecks of the tests need no DOM lib). */
type ChartSvg = Exclude<BaseType, null>

export const prChartDefaults = { ...rocChartDefaults, xLabel: 'Recall', yLabel: 'Precision' }

/** Positive fraction for the reference line. */
export function prBaseline(counts: { positives: number; negatives: number }[], chosen: number[]): number {
  const rows = chosen.length === 1 ? [counts[chosen[0]]] : counts
  const pos = rows.reduce((a, r) => a + (r?.positives ?? 0), 0)
  const all = rows.reduce((a, r) => a + (r ? r.positives + r.negatives : 0), 0)
  return all > 0 ? pos / all : 0
}

export function prChartGeometry(input: CurveChartInput) {
  return curveChartGeometry(input, prChartDefaults)
}

export function renderPrChart(svgEl: ChartSvg, input: CurveChartInput): void {
  renderCurveChart(svgEl, input, prChartDefaults)
}
