/**
 * The small track drawn in each row of the Sequences list: the sequence as a line, and for
 * each chosen first-layer filter that fired, a box over its best window (argmax position,
 * the filter's width), coloured by filter and shaded by activation relative to the strongest
 * mark on the page. Pure geometry; the list renders it as SVG markup.
 */
import { schemeTableau10 } from 'd3'

export const sequenceTrackDefaults = { width: 360, height: 18 }

/** The colour of the k-th chosen filter (the same in the chooser, the track and the legend). */
export const filterColor = (k: number): string => schemeTableau10[(k + 3) % 10]

export interface TrackMark {
  filter: number
  position: number
  width: number
  activation: number
}

export interface TrackBox {
  filter: number
  x: number
  width: number
  color: string
  opacity: number
  title: string
}

/**
 * Boxes for `marks` on a sequence of `length` letters; `chosen` lists the filters in chooser
 * order (for colours); `strongest` is the activation that gets full opacity.
 */
export function sequenceTrackGeometry(length: number, marks: TrackMark[], chosen: number[], strongest: number, size = sequenceTrackDefaults): TrackBox[] {
  const scale = size.width / Math.max(1, length)
  return marks.map((m) => {
    const start = Math.max(0, m.position)
    const end = Math.min(length, m.position + m.width)
    return {
      filter: m.filter,
      x: start * scale,
      width: Math.max(1.5, (end - start) * scale),
      color: filterColor(Math.max(0, chosen.indexOf(m.filter))),
      opacity: strongest > 0 ? 0.35 + 0.65 * Math.min(1, m.activation / strongest) : 1,
      title: `filter ${m.filter}: positions ${start + 1}-${end}, activation ${m.activation.toPrecision(3)}`,
    }
  })
}
