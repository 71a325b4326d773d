/**
 * SVG -> PNG for print: the SVG the app draws is rasterised by resvg at `dpi` (default
 * 300), with the PNG's pHYs chunk saying so, so a 3.5-inch-wide figure opens at 3.5 inches.
 * Pixel width = inches x dpi, where inches defaults to the SVG's width at 96 px per inch
 * (the CSS pixel), i.e. the same physical size as the SVG.
 */
import { Resvg } from '@resvg/resvg-js'
import { UserError } from '../errors.js'

export interface PngOptions {
  /** Dots per inch (default 300). */
  dpi?: number
  /** Printed width in inches (default: SVG width / 96). */
  widthInches?: number
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    t[n] = c >>> 0
  }
  return t
})()

/** CRC-32 as PNG chunks use it (ISO 3309, polynomial 0xEDB88320). */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]) & 0xff] ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10]

/**
 * Set the physical pixel density of a PNG: a pHYs chunk (pixels per metre, unit = metre)
 * right after IHDR, replacing any pHYs already there.
 */
export function setPngDpi(png: Uint8Array, dpi: number): Uint8Array {
  if (!PNG_SIGNATURE.every((b, i) => png[i] === b)) throw new Error('setPngDpi: not a PNG')
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength)
  const chunks: Uint8Array[] = [png.subarray(0, 8)]
  const ppm = Math.round(dpi / 0.0254)
  const phys = new Uint8Array(21)
  const pv = new DataView(phys.buffer)
  pv.setUint32(0, 9)
  phys.set([0x70, 0x48, 0x59, 0x73], 4) // 'pHYs'
  pv.setUint32(8, ppm)
  pv.setUint32(12, ppm)
  phys[16] = 1 // unit: metre
  pv.setUint32(17, crc32(phys.subarray(4, 17)))
  let at = 8
  while (at < png.length) {
    const len = view.getUint32(at)
    const type = String.fromCharCode(...png.subarray(at + 4, at + 8))
    const end = at + 12 + len
    if (type !== 'pHYs') chunks.push(png.subarray(at, end))
    if (type === 'IHDR') chunks.push(phys)
    at = end
  }
  const out = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0))
  let o = 0
  for (const c of chunks) {
    out.set(c, o)
    o += c.length
  }
  return out
}

/** Width and height of an SVG document from its root element's attributes (or viewBox). */
export function svgSize(svg: string): { width: number; height: number } {
  const root = /<svg\b[^>]*>/.exec(svg)?.[0] ?? ''
  const attr = (name: string): number | undefined => {
    const m = new RegExp(`\\s${name}="([\\d.]+)(px)?"`).exec(root)
    return m ? Number(m[1]) : undefined
  }
  const vb = /viewBox="[\d.-]+\s+[\d.-]+\s+([\d.]+)\s+([\d.]+)"/.exec(root)
  const width = attr('width') ?? (vb ? Number(vb[1]) : NaN)
  const height = attr('height') ?? (vb ? Number(vb[2]) : NaN)
  if (!(width > 0 && height > 0)) throw new Error('svgSize: the SVG has no width and height')
  return { width, height }
}

/** Rasterise an SVG string to PNG bytes at `dpi`, with the density recorded in the file. */
export function svgToPng(svg: string, opts: PngOptions = {}): Uint8Array {
  const dpi = opts.dpi ?? 300
  if (!(dpi >= 1 && dpi <= 10000)) throw new UserError(`PNG export: dpi ${dpi} is out of range; use 72 to 1200 (300 for print)`)
  const { width } = svgSize(svg)
  const inches = opts.widthInches ?? width / 96
  const px = Math.max(1, Math.round(inches * dpi))
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'width', value: px },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: 'rgba(255, 255, 255, 0)',
  })
  return setPngDpi(new Uint8Array(resvg.render().asPng()), dpi)
}
