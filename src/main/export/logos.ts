/**
 * Logo files for an extraction: one logo per usable filter, a sheet of all of them, and for
 * filters with a database match, the filter over its match (aligned as matched). SVG as
 * drawn by src/shared/logo (the same picture the app shows), or PNG rasterised from it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { logoSheetSvg, logoSvg, pairedLogoSvg, type LogoYAxis } from '../../shared/logo/index.js'
import type { ProbabilityRows } from '../../shared/types.js'
import type { MotifMatch } from '../motifs/compare.js'
import type { FilterExtraction } from '../motifs/extract.js'
import type { Motif } from '../motifs/matrix.js'
import { svgToPng } from './png.js'

export type LogoFormat = 'svg' | 'png'

export interface LogoExportOptions {
  format?: LogoFormat
  yAxis?: LogoYAxis
  dpi?: number
  /** Best match per filter (computed on the trimmed matrix) and the database it came from. */
  matches?: Map<number, MotifMatch | undefined>
  database?: Motif[]
  /** Paired logos only for matches with q <= this (default 0.05). */
  maxQ?: number
}

const POSITION_WIDTH = 16
const HEIGHT = 120

/** Write one SVG or PNG file; returns its path. */
export function writeSvgAs(svg: string, pathWithoutExt: string, format: LogoFormat, dpi?: number): string {
  const path = `${pathWithoutExt}.${format}`
  writeFileSync(path, format === 'svg' ? svg : svgToPng(svg, { dpi }))
  return path
}

export function logoFileSvg(matrix: ProbabilityRows, title: string, yAxis: LogoYAxis = 'bits'): string {
  return logoSvg(matrix, { yAxis, width: 46 + Math.max(4, matrix.rows.length) * POSITION_WIDTH, height: HEIGHT, title })
}

/** Write the logos into `dir` (created if missing); returns the files written. */
export function writeFilterLogos(dir: string, ex: FilterExtraction, opts: LogoExportOptions = {}): string[] {
  mkdirSync(dir, { recursive: true })
  const format = opts.format ?? 'svg'
  const yAxis = opts.yAxis ?? 'bits'
  const files: string[] = []
  const usable = ex.filters.filter((f) => !f.skipped)
  for (const f of usable) {
    const title = `filter ${f.filter}: ${f.sites} sites, ${f.ic.total.toFixed(1)} bits`
    files.push(writeSvgAs(logoFileSvg(f.matrix, title, yAxis), join(dir, `filter_${f.filter}`), format, opts.dpi))
  }
  const sheet = logoSheetSvg(
    usable.map((f) => ({ matrix: f.matrix, title: `filter ${f.filter}` })),
    { yAxis, columns: 4, title: `${usable.length} filters (${ex.method} sites)` },
  )
  files.push(writeSvgAs(sheet, join(dir, 'filters_sheet'), format, opts.dpi))
  if (opts.matches && opts.database) {
    const maxQ = opts.maxQ ?? 0.05
    for (const f of usable) {
      const m = opts.matches.get(f.filter)
      if (!m || m.qValue > maxQ) continue
      const target = opts.database[m.index]
      const svg = pairedLogoSvg(f.trimmed.matrix.rows.length ? f.trimmed.matrix : f.matrix, target.matrix, m.offset, m.strand, {
        yAxis,
        filterTitle: `filter ${f.filter}`,
        matchTitle: `${m.id} ${m.name} q=${m.qValue.toExponential(1)}`,
      })
      files.push(writeSvgAs(svg, join(dir, `filter_${f.filter}_match`), format, opts.dpi))
    }
  }
  return files
}
