import { describe, expect, it } from 'vitest'
import { filterColor, sequenceTrackGeometry } from '../../src/renderer/src/charts/sequence-track'

describe('sequenceTrackGeometry', () => {
  it('places each mark over its window, coloured by the filter and shaded by activation', () => {
    const boxes = sequenceTrackGeometry(
      200,
      [
        { filter: 5, position: 50, width: 10, activation: 2 },
        { filter: 1, position: -3, width: 10, activation: 1 },
      ],
      [1, 5],
      2,
      { width: 400, height: 18 },
    )
    expect(boxes[0]).toMatchObject({ filter: 5, x: 100, width: 20, color: filterColor(1), opacity: 1, title: 'filter 5: positions 51-60, activation 2.00' })
    // a window hanging off the start ('same' padding) is clipped to the sequence
    expect(boxes[1]).toMatchObject({ filter: 1, x: 0, width: 14, color: filterColor(0), opacity: 0.675 })
  })
})
