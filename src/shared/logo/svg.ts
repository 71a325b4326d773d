/**
 * Standalone SVG for logos: one logo, a sheet of many (every filter of a model), and a
 * filter logo above its matched database motif, aligned column to column. Letters are
 * paths (see glyphs.ts); only the axis numbers and titles are text.
 */
import type { ProbabilityRows } from '../types.js'
import { defaultMargin, logoLayout, reverseComplementRows, type LogoLayout, type LogoOptions, type LogoYAxis } from './layout.js'

const FONT = 'font-family="DejaVu Sans, Arial, Helvetica, sans-serif"'

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string)
}

const r2 = (v: number): string => String(Math.round(v * 100) / 100)

/** The drawing of one layout (axes, position numbers, letters, title) as an SVG <g>. */
export function logoGroup(layout: LogoLayout, opts: { transform?: string; xLabels?: boolean } = {}): string {
  const { plot } = layout
  const bottom = plot.y + plot.height
  const out: string[] = [`<g${opts.transform ? ` transform="${opts.transform}"` : ''}>`]
  if (layout.title !== undefined)
    out.push(`<text x="${r2(plot.x)}" y="${r2(plot.y - 6)}" font-size="12" ${FONT}>${escapeXml(layout.title)}</text>`)
  // y axis: a line, ticks with labels, and the axis title turned on its side
  out.push(`<g stroke="#333" stroke-width="1" fill="none"><path d="M${r2(plot.x - 3)} ${r2(plot.y)}V${r2(bottom)}"/>`)
  for (const t of layout.yTicks) out.push(`<path d="M${r2(plot.x - 6)} ${r2(t.y)}H${r2(plot.x - 3)}"/>`)
  out.push('</g>')
  out.push(`<g font-size="9" fill="#333" text-anchor="end" ${FONT}>`)
  for (const t of layout.yTicks) out.push(`<text x="${r2(plot.x - 8)}" y="${r2(t.y + 3)}">${t.label}</text>`)
  out.push('</g>')
  const mid = plot.y + plot.height / 2
  out.push(`<text transform="translate(${r2(plot.x - 28)} ${r2(mid)}) rotate(-90)" text-anchor="middle" font-size="9" fill="#333" ${FONT}>${layout.yLabel}</text>`)
  if (opts.xLabels !== false && layout.columns.length > 0) {
    out.push(`<g font-size="8" fill="#333" text-anchor="middle" ${FONT}>`)
    for (const c of layout.columns) out.push(`<text x="${r2(c.center)}" y="${r2(bottom + 11)}">${c.label}</text>`)
    out.push('</g>')
  }
  for (const c of layout.columns) for (const l of c.letters) out.push(`<path fill="${l.color}" d="${l.path}"/>`)
  out.push('</g>')
  return out.join('\n')
}

function svgDocument(width: number, height: number, body: string, paper: string | null): string {
  const w = r2(width)
  const h = r2(height)
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`,
    ...(paper ? [`<rect width="${w}" height="${h}" fill="${paper}"/>`] : []),
    body,
    '</svg>',
    '',
  ].join('\n')
}

export interface LogoSvgOptions extends LogoOptions {
  /** Page colour behind the logo; null for transparent (default white, which PNGs need). */
  paper?: string | null
  /** Print position numbers under the columns (default true). */
  xLabels?: boolean
}

/** A complete standalone SVG document of one logo. */
export function logoSvg(matrix: ProbabilityRows, opts: LogoSvgOptions): string {
  const layout = logoLayout(matrix, opts)
  return svgDocument(opts.width, opts.height, logoGroup(layout, { xLabels: opts.xLabels }), opts.paper === undefined ? '#ffffff' : opts.paper)
}

export interface SheetItem {
  matrix: ProbabilityRows
  title?: string
}

export interface SheetOptions {
  yAxis: LogoYAxis
  /** Logos per row (default 4). */
  columns?: number
  /** Width of one position in px (default 14): the same letter scale for every logo. */
  positionWidth?: number
  /** Height of one logo, axes and title included (default 110). */
  cellHeight?: number
  background?: number[]
  colors?: Record<string, string>
  title?: string
  paper?: string | null
}

/** A grid of logos, e.g. every first-layer filter; each logo is left-aligned in its cell. */
export function logoSheetSvg(items: SheetItem[], opts: SheetOptions): string {
  const perRow = Math.max(1, opts.columns ?? 4)
  const posW = opts.positionWidth ?? 14
  const cellH = opts.cellHeight ?? 110
  const margin = defaultMargin('t')
  const maxCols = Math.max(1, ...items.map((it) => it.matrix.rows.length))
  const cellW = margin.left + margin.right + maxCols * posW + 10
  const top = opts.title ? 26 : 0
  const rowsN = Math.ceil(items.length / perRow)
  const width = Math.max(1, Math.min(items.length, perRow)) * cellW
  const height = top + rowsN * cellH
  const parts: string[] = []
  if (opts.title) parts.push(`<text x="${r2(width / 2)}" y="18" text-anchor="middle" font-size="14" ${FONT}>${escapeXml(opts.title)}</text>`)
  items.forEach((it, i) => {
    const layout = logoLayout(it.matrix, {
      yAxis: opts.yAxis,
      width: margin.left + margin.right + it.matrix.rows.length * posW,
      height: cellH,
      margin,
      title: it.title ?? '',
      ...(opts.background ? { background: opts.background } : {}),
      ...(opts.colors ? { colors: opts.colors } : {}),
    })
    const tx = (i % perRow) * cellW
    const ty = top + Math.floor(i / perRow) * cellH
    parts.push(logoGroup(layout, { transform: `translate(${r2(tx)} ${r2(ty)})` }))
  })
  return svgDocument(width, height, parts.join('\n'), opts.paper === undefined ? '#ffffff' : opts.paper)
}

export interface PairedOptions {
  yAxis: LogoYAxis
  positionWidth?: number
  /** Height of each of the two logos (default 120). */
  rowHeight?: number
  filterTitle?: string
  matchTitle?: string
  background?: number[]
  colors?: Record<string, string>
  paper?: string | null
}

/**
 * A filter's logo above its matched database motif, aligned as compareMotifs reports it:
 * query (filter) column i sits over target column i + offset of the target on `strand`
 * ('-' draws the target's reverse complement). As in Tomtom, a positive offset shifts the
 * query right: its first column sits over target column `offset`.
 */
export function pairedLogoSvg(filter: ProbabilityRows, match: ProbabilityRows, offset: number, strand: '+' | '-', opts: PairedOptions): string {
  const target = strand === '-' ? reverseComplementRows(match) : match
  const posW = opts.positionWidth ?? 16
  const rowH = opts.rowHeight ?? 120
  // Common coordinates: target column 0 at 0, query column 0 at +offset.
  const start = Math.min(0, offset)
  const end = Math.max(target.rows.length, filter.rows.length + offset)
  const margin = defaultMargin('t')
  const matchTitle = `${opts.matchTitle ?? 'match'} (${strand === '-' ? 'reverse complement' : 'forward'})`
  const filterTitle = opts.filterTitle ?? 'filter'
  // Wide enough for the titles too (about 7 px per character at font size 12), each
  // starting where its shifted logo starts.
  const titleWidth = margin.left + Math.max((offset - start) * posW + 7 * filterTitle.length, -start * posW + 7 * matchTitle.length)
  const width = Math.max(margin.left + margin.right + (end - start) * posW, titleWidth)
  const draw = (m: ProbabilityRows, shift: number, title: string, y: number): string =>
    logoGroup(
      logoLayout(m, {
        yAxis: opts.yAxis,
        width: margin.left + margin.right + m.rows.length * posW,
        height: rowH,
        margin,
        title,
        ...(opts.background ? { background: opts.background } : {}),
        ...(opts.colors ? { colors: opts.colors } : {}),
      }),
      { transform: `translate(${r2((shift - start) * posW)} ${r2(y)})` },
    )
  const body = [
    draw(filter, offset, filterTitle, 0),
    draw(target, 0, matchTitle, rowH),
  ].join('\n')
  return svgDocument(width, 2 * rowH, body, opts.paper === undefined ? '#ffffff' : opts.paper)
}
