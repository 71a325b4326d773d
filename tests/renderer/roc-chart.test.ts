import { describe, expect, it } from 'vitest'
import { chosenColor, curveChartGeometry, rocChartDefaults } from '../../src/renderer/src/charts/roc-chart'
import { prBaseline, prChartGeometry } from '../../src/renderer/src/charts/pr-chart'

const m = rocChartDefaults.margin
const left = m.left
const right = rocChartDefaults.width - m.right
const bottom = rocChartDefaults.height - m.bottom
const top = m.top

describe('curveChartGeometry (ROC)', () => {
  const curves = [{ x: [0, 0, 1], y: [0, 1, 1] }, null, { x: [0, 0.5, 1], y: [0, 0.5, 1] }]
  const g = curveChartGeometry({ curves, names: ['perfect', 'one class', 'chance'], chosen: [2], micro: { x: [0, 1], y: [0, 1] }, baseline: null })

  it('maps the unit square onto the plot area, (0,0) bottom left', () => {
    expect([g.x(0), g.x(1), g.y(0), g.y(1)]).toEqual([left, right, bottom, top])
  })

  it('draws every defined target in the background path and the chosen ones in colour', () => {
    // two defined curves: two M commands; the undefined target adds nothing
    expect(g.background.match(/M/g)).toHaveLength(2)
    expect(g.background.startsWith(`M${left},${bottom}L${left},${top}L${right},${top}`)).toBe(true)
    expect(g.highlighted).toEqual([{ target: 2, label: 'chance', color: chosenColor(0), d: `M${left},${bottom}L${(left + right) / 2},${(top + bottom) / 2}L${right},${top}` }])
    expect(g.micro).toBe(`M${left},${bottom}L${right},${top}`)
    expect(g.reference).toBe(`M${left},${bottom}L${right},${top}`)
  })

  it('skips chosen targets without a curve', () => {
    expect(curveChartGeometry({ curves, names: [], chosen: [1, 0], micro: null, baseline: null }).highlighted.map((h) => [h.target, h.label, h.color])).toEqual([[0, 'target 0', chosenColor(1)]])
  })
})

describe('PR chart', () => {
  it('draws the guessing baseline at the positive fraction', () => {
    const counts = [
      { positives: 10, negatives: 30 },
      { positives: 30, negatives: 30 },
    ]
    expect(prBaseline(counts, [0])).toBe(0.25)
    expect(prBaseline(counts, [])).toBe(0.4)
    expect(prBaseline(counts, [0, 1])).toBe(0.4)
    const g = prChartGeometry({ curves: [{ x: [0, 1], y: [1, 0.25] }], names: ['a'], chosen: [], micro: null, baseline: 0.25 })
    const y = bottom - 0.25 * (bottom - top)
    expect(g.reference).toBe(`M${left},${y}L${right},${y}`)
    expect(g.background).toBe(`M${left},${top}L${right},${y}`)
  })
})
