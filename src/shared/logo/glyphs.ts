/**
 * Letter outlines for sequence logos, drawn as polygons so a logo needs no font: the same
 * path data renders identically in the app, in an exported SVG and in a rasterised PNG.
 *
 * Glyph space: a 100 x 100 box, x to the right, y DOWN (SVG convention), the letter filling
 * the whole box (logo letters are stretched to their box anyway). Curves are polygons with a
 * point every 10 degrees, which is smooth at logo sizes. Holes (A, D, O, P, Q, R, 0) are
 * contours wound opposite to the outline, so the default nonzero fill rule cuts them out and
 * overlapping strokes (the tail of Q, the leg of R) still fill.
 *
 * Glyphs exist for the DNA/RNA letters A C G T U, binary 0 1 and the 20 standard amino acids.
 * Any other letter draws as a hollow box (see `glyphContours`).
 */

type Point = [number, number]
type Contour = Point[]

/** Points on an ellipse from angle a0 to a1 (degrees, 0 = right, 90 = down), both included. */
function arc(cx: number, cy: number, rx: number, ry: number, a0: number, a1: number): Point[] {
  const steps = Math.max(2, Math.ceil(Math.abs(a1 - a0) / 10))
  const pts: Point[] = []
  for (let s = 0; s <= steps; s++) {
    const a = ((a0 + ((a1 - a0) * s) / steps) * Math.PI) / 180
    pts.push([cx + rx * Math.cos(a), cy + ry * Math.sin(a)])
  }
  return pts
}

function ellipse(cx: number, cy: number, rx: number, ry: number): Contour {
  return arc(cx, cy, rx, ry, 0, 360).slice(0, -1)
}

function poly(...xy: number[]): Contour {
  const pts: Point[] = []
  for (let i = 0; i < xy.length; i += 2) pts.push([xy[i], xy[i + 1]])
  return pts
}

/** Shoelace area: positive for contours that turn clockwise on screen (y down). */
function signedArea(c: Contour): number {
  let a = 0
  for (let i = 0; i < c.length; i++) {
    const [x0, y0] = c[i]
    const [x1, y1] = c[(i + 1) % c.length]
    a += x0 * y1 - x1 * y0
  }
  return a / 2
}

/** Outline contours clockwise, holes counter-clockwise: nonzero filling then cuts the holes. */
function glyph(outlines: Contour[], holes: Contour[] = []): Contour[] {
  const orient = (c: Contour, clockwise: boolean): Contour => (signedArea(c) > 0 === clockwise ? c : [...c].reverse())
  return [...outlines.map((c) => orient(c, true)), ...holes.map((c) => orient(c, false))]
}

/** The bowl of P and R: a stem-attached half ellipse on the top 60% of the box. */
const bowlOuter = (): Contour => [[0, 0], [55, 0], ...arc(55, 30, 45, 30, 270, 450), [55, 60], [22, 60], [22, 100], [0, 100]]
const bowlHole = (): Contour => [[22, 18], [55, 18], ...arc(55, 30, 25, 12, 270, 450), [22, 42]]

const GLYPHS: Record<string, Contour[]> = {
  A: glyph([poly(0, 100, 38, 0, 62, 0, 100, 100, 78, 100, 69, 76, 31, 76, 22, 100)], [poly(37, 58, 63, 58, 50, 22)]),
  C: glyph([[...arc(50, 50, 50, 50, 45, 315), ...arc(50, 50, 30, 32, 315, 45)]]),
  D: glyph([[[0, 0], [45, 0], ...arc(45, 50, 55, 50, 270, 450), [0, 100]]], [[[22, 18], [42, 18], ...arc(42, 50, 36, 32, 270, 450), [22, 82]]]),
  E: glyph([poly(0, 0, 100, 0, 100, 18, 22, 18, 22, 41, 90, 41, 90, 59, 22, 59, 22, 82, 100, 82, 100, 100, 0, 100)]),
  F: glyph([poly(0, 0, 100, 0, 100, 18, 22, 18, 22, 41, 90, 41, 90, 59, 22, 59, 22, 100, 0, 100)]),
  G: glyph([[...arc(50, 50, 50, 50, 6, 315), ...arc(50, 50, 30, 32, 315, 30), [76, 58], [52, 58], [52, 44], [100, 44]]]),
  H: glyph([poly(0, 0, 22, 0, 22, 41, 78, 41, 78, 0, 100, 0, 100, 100, 78, 100, 78, 59, 22, 59, 22, 100, 0, 100)]),
  I: glyph([poly(10, 0, 90, 0, 90, 18, 60, 18, 60, 82, 90, 82, 90, 100, 10, 100, 10, 82, 40, 82, 40, 18, 10, 18)]),
  K: glyph([poly(0, 0, 22, 0, 22, 42, 74, 0, 100, 0, 46, 46, 100, 100, 74, 100, 32, 58, 22, 66, 22, 100, 0, 100)]),
  L: glyph([poly(0, 0, 22, 0, 22, 82, 100, 82, 100, 100, 0, 100)]),
  M: glyph([poly(0, 0, 22, 0, 50, 55, 78, 0, 100, 0, 100, 100, 80, 100, 80, 38, 58, 80, 42, 80, 20, 38, 20, 100, 0, 100)]),
  N: glyph([poly(0, 0, 22, 0, 80, 68, 80, 0, 100, 0, 100, 100, 78, 100, 20, 32, 20, 100, 0, 100)]),
  P: glyph([bowlOuter()], [bowlHole()]),
  Q: glyph([ellipse(50, 47, 50, 47), poly(52, 70, 70, 62, 100, 94, 100, 100, 82, 100)], [ellipse(50, 47, 28, 31)]),
  R: glyph([bowlOuter(), poly(40, 55, 64, 55, 100, 100, 76, 100)], [bowlHole()]),
  // S: the top bowl's outer edge, the lower bowl's inner edge, back along its outer edge and
  // the top bowl's inner edge; the two bowls meet in a bar from y = 42 to y = 58.
  S: glyph([[...arc(50, 29, 50, 29, 330, 90), ...arc(50, 71, 28, 13, 270, 510), ...arc(50, 71, 50, 29, 510, 270), ...arc(50, 29, 28, 13, 90, 330)]]),
  T: glyph([poly(0, 0, 100, 0, 100, 18, 60, 18, 60, 100, 40, 100, 40, 18, 0, 18)]),
  U: glyph([[[0, 0], [20, 0], [20, 65], ...arc(50, 65, 30, 17, 180, 0), [80, 0], [100, 0], [100, 65], ...arc(50, 65, 50, 35, 0, 180)]]),
  V: glyph([poly(0, 0, 22, 0, 50, 76, 78, 0, 100, 0, 62, 100, 38, 100)]),
  W: glyph([poly(0, 0, 18, 0, 30, 70, 42, 20, 58, 20, 70, 70, 82, 0, 100, 0, 82, 100, 62, 100, 50, 48, 38, 100, 18, 100)]),
  Y: glyph([poly(0, 0, 24, 0, 50, 42, 76, 0, 100, 0, 61, 58, 61, 100, 39, 100, 39, 58)]),
  '0': glyph([ellipse(50, 50, 50, 50)], [ellipse(50, 50, 28, 36)]),
  '1': glyph([poly(12, 22, 52, 0, 70, 0, 70, 82, 95, 82, 95, 100, 10, 100, 10, 82, 48, 82, 48, 24, 20, 38)]),
}

/** A hollow box for letters without a glyph, so an unusual alphabet still draws. */
const FALLBACK = glyph([poly(0, 0, 100, 0, 100, 100, 0, 100)], [poly(18, 18, 18, 82, 82, 82, 82, 18)])

/** Letters that have their own glyph. */
export const GLYPH_LETTERS: string = Object.keys(GLYPHS).sort().join('')

export function hasGlyph(letter: string): boolean {
  return Object.hasOwn(GLYPHS, letter.toUpperCase())
}

/** Contours of a letter in the 100 x 100 glyph box (lowercase draws as uppercase). */
export function glyphContours(letter: string): readonly (readonly (readonly [number, number])[])[] {
  return GLYPHS[letter.toUpperCase()] ?? FALLBACK
}

const round = (v: number): string => {
  const r = Math.round(v * 100) / 100
  return Object.is(r, -0) ? '0' : String(r)
}

/**
 * SVG path data for `letter` stretched to the box (x, y, width, height) in user units,
 * y down. Absolute M/L/Z commands only, coordinates rounded to 0.01.
 */
export function glyphPath(letter: string, x: number, y: number, width: number, height: number): string {
  const sx = width / 100
  const sy = height / 100
  const parts: string[] = []
  for (const contour of glyphContours(letter)) {
    contour.forEach(([gx, gy], i) => parts.push(`${i === 0 ? 'M' : 'L'}${round(x + gx * sx)} ${round(y + gy * sy)}`))
    parts.push('Z')
  }
  return parts.join('')
}
