import { describe, expect, it } from 'vitest'
import { lossChartDefaults, lossChartGeometry } from '../../src/renderer/src/charts/loss-chart'
import { histogramGeometry } from '../../src/renderer/src/charts/histogram'
import { runsChartGeometry } from '../../src/renderer/src/charts/runs-chart'

const points = (d: string) => [...d.matchAll(/[ML]([\d.-]+),([\d.-]+)/g)].map((m) => [Number(m[1]), Number(m[2])])

describe('loss chart geometry', () => {
  const series = {
    batchLosses: [
      { batch: 5, loss: 0.7 },
      { batch: 10, loss: 0.6 },
      { batch: 20, loss: 0.5 },
    ],
    batchesPerEpoch: 10,
    epochs: [
      { epoch: 1, loss: 0.65, valLoss: 0.6 },
      { epoch: 2, loss: 0.5, valLoss: null },
    ],
  }
  const g = lossChartGeometry(series)

  it('places batch losses at their batch number, not their arrival order', () => {
    expect(points(g.batchPath).map(([x]) => x)).toEqual([g.x(5), g.x(10), g.x(20)])
  })

  it('places epoch points at the end of their epoch and skips missing validation losses', () => {
    const close = (got: number[][], want: number[][]) => {
      expect(got).toHaveLength(want.length)
      got.forEach(([x, y], i) => {
        expect(x).toBeCloseTo(want[i][0], 6)
        expect(y).toBeCloseTo(want[i][1], 6)
      })
    }
    close(points(g.trainPath), [
      [g.x(10), g.y(0.65)],
      [g.x(20), g.y(0.5)],
    ])
    close(points(g.validPath), [[g.x(10), g.y(0.6)]])
  })

  it('spans the run so far and keeps zero on the y axis', () => {
    expect(g.x.domain()).toEqual([0, 20])
    expect(g.y.domain()[0]).toBe(0)
    expect(g.y.domain()[1]).toBeGreaterThanOrEqual(0.7)
    expect(g.x.range()).toEqual([lossChartDefaults.margin.left, lossChartDefaults.width - lossChartDefaults.margin.right])
  })

  it('draws nothing but axes for an empty run', () => {
    const empty = lossChartGeometry({ batchLosses: [], batchesPerEpoch: 1, epochs: [] })
    expect(empty.batchPath).toBe('')
    expect(empty.trainPath).toBe('')
  })
})

describe('histogram geometry', () => {
  it('gives one bar per bin, heights proportional to counts', () => {
    const g = histogramGeometry([
      { from: 0, to: 10, count: 2 },
      { from: 10, to: 20, count: 4 },
    ])
    expect(g.bars).toHaveLength(2)
    expect(g.bars[1].height).toBeCloseTo(2 * g.bars[0].height, 6)
    expect(g.bars[0].x).toBe(g.x(0))
    expect(g.bars[1].x).toBe(g.x(10))
  })
})

describe('runs overlay geometry', () => {
  it('draws one coloured line per run over a shared epoch axis', () => {
    const g = runsChartGeometry([
      { runId: 'a', label: 'a', points: [{ epoch: 1, value: 0.6 }, { epoch: 2, value: 0.4 }] },
      { runId: 'b', label: 'b', points: [{ epoch: 1, value: 0.7 }, { epoch: 2, value: 0.5 }, { epoch: 3, value: 0.45 }] },
    ])
    expect(g.lines.map((l) => l.runId)).toEqual(['a', 'b'])
    expect(g.lines[0].color).not.toBe(g.lines[1].color)
    expect(g.x.domain()).toEqual([1, 3])
    expect(points(g.lines[1].d)).toHaveLength(3)
  })
})
