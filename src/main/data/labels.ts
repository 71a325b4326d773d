/**
 * Label sources for a FASTA file whose records are not split into one file per class:
 *
 * - A table (TSV or CSV, chosen by the header line: a tab means TSV), with a header row, an
 *   id column (named `id`, `name` or `sequence_id`, else the first column) and one 0/1
 *   column per target, e.g.
 *       id      CTCF  GATA1
 *       seq1    1     0
 * - Labels in the FASTA headers, in one of two forms:
 *       >seq1 label=1             one target, named 'positive'
 *       >seq1 targets=0,1,1       several targets, named target1, target2, ...
 *   Either every record carries labels or none does.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'
import { pipeline } from 'node:stream'
import { UserError } from '../errors.js'
import { readFailure, statInput } from './fasta.js'

export interface LabelTable {
  path: string
  targets: string[]
  /** id -> [line, labels (0/1 byte per target)] */
  rows: Map<string, { line: number; labels: Uint8Array }>
}

const ID_COLUMNS = ['id', 'name', 'sequence_id', 'seq_id']

/** Read a label table; every problem is reported with the file and line. */
export async function readLabelTable(path: string): Promise<LabelTable> {
  const info = await statInput(path, 'label table')
  const raw = createReadStream(path)
  const input = info.gzip ? pipeline(raw, createGunzip(), () => {}) : raw
  const lines = createInterface({ input, crlfDelay: Infinity })
  let header: string[] | null = null
  let sep = '\t'
  let idCol = 0
  let targetCols: number[] = []
  const rows = new Map<string, { line: number; labels: Uint8Array }>()
  let lineNo = 0
  try {
    for await (let line of lines) {
      lineNo++
      if (lineNo === 1 && line.charCodeAt(0) === 0xfeff) line = line.slice(1)
      if (line.trim() === '' || (header !== null && line.startsWith('#'))) continue
      if (header === null) {
        sep = line.includes('\t') ? '\t' : ','
        header = line.split(sep).map((s) => s.trim())
        if (header.length < 2) {
          throw new UserError(`${path}:${lineNo}: the header row has one column; a label table needs an id column and one 0/1 column per target, separated by tabs or commas`)
        }
        const named = header.findIndex((h) => ID_COLUMNS.includes(h.replace(/^#/, '').toLowerCase()))
        idCol = named >= 0 ? named : 0
        targetCols = header.map((_, k) => k).filter((k) => k !== idCol)
        if (targetCols.every((k) => header![k] === '0' || header![k] === '1')) {
          throw new UserError(`${path}:${lineNo}: the first row looks like data, not a header; add a header row such as 'id${sep === '\t' ? '<TAB>' : ','}target1' naming the columns`)
        }
        const seen = new Set<string>()
        for (const k of targetCols) {
          if (header[k] === '') throw new UserError(`${path}:${lineNo}: column ${k + 1} of the header row has no name; name every target column`)
          if (seen.has(header[k])) throw new UserError(`${path}:${lineNo}: target '${header[k]}' appears twice in the header row; give each column its own name`)
          seen.add(header[k])
        }
        continue
      }
      const cells = line.split(sep).map((s) => s.trim())
      if (cells.length !== header.length) {
        throw new UserError(`${path}:${lineNo}: row has ${cells.length} columns but the header has ${header.length}; every row needs an id and one value per target`)
      }
      const id = cells[idCol]
      if (id === '') throw new UserError(`${path}:${lineNo}: row has an empty id; fill in the sequence id`)
      const labels = new Uint8Array(targetCols.length)
      for (let t = 0; t < targetCols.length; t++) {
        const v = cells[targetCols[t]]
        if (v === '1') labels[t] = 1
        else if (v !== '0') {
          throw new UserError(`${path}:${lineNo}: value '${v}' for target '${header[targetCols[t]]}' of '${id}' is not 0 or 1; labels must be 0 or 1`)
        }
      }
      const prev = rows.get(id)
      if (prev) throw new UserError(`${path}:${lineNo}: id '${id}' already has a row (line ${prev.line}); give each sequence one row`)
      rows.set(id, { line: lineNo, labels })
    }
  } catch (e) {
    throw readFailure(path, e, 'label table')
  } finally {
    lines.close()
    raw.destroy()
  }
  if (header === null) throw new UserError(`${path}: file is empty; a label table needs a header row and one row per sequence`)
  if (rows.size === 0) throw new UserError(`${path}: has a header row but no data rows; add one row per sequence`)
  return { path, targets: targetCols.map((k) => header![k]), rows }
}

/** Labels found in one header's description, or null when it carries none. */
export function parseHeaderLabels(description: string): { form: 'label' | 'targets'; values: string[] } | null {
  if (description === '' || !description.includes('=')) return null
  const m = /(?:^|\s)(label|targets)=(\S*)/.exec(description)
  if (!m) return null
  return { form: m[1] as 'label' | 'targets', values: m[1] === 'label' ? [m[2]] : m[2].split(',') }
}

/**
 * Checks header labels record by record: the first labelled (or unlabelled) record fixes
 * the form and target count, and every later record must match.
 */
export class HeaderLabelReader {
  form: 'label' | 'targets' | 'none' | null = null
  count = 0

  /** Labels of one record as 0/1 bytes (empty when the file has none). */
  read(file: string, line: number, id: string, description: string): Uint8Array {
    const got = parseHeaderLabels(description)
    const form = got === null ? 'none' : got.form
    if (this.form === null) {
      this.form = form
      this.count = got === null ? 0 : got.values.length
    } else if (form !== this.form || (got !== null && got.values.length !== this.count)) {
      const expected = this.form === 'none' ? 'no labels' : this.form === 'label' ? "'label=0' or 'label=1'" : `'targets=' with ${this.count} values`
      throw new UserError(
        `${file}:${line}: sequence '${id}' has ${got === null ? 'no labels' : `'${got.form}=${got.values.join(',')}'`} in its header but earlier records have ${expected}; label every record the same way`,
      )
    }
    const out = new Uint8Array(this.count)
    if (got === null) return out
    for (let t = 0; t < got.values.length; t++) {
      const v = got.values[t]
      if (v === '1') out[t] = 1
      else if (v !== '0') throw new UserError(`${file}:${line}: sequence '${id}' has label value '${v}' in its header; labels must be 0 or 1`)
    }
    return out
  }

  targets(): string[] {
    if (this.form === 'label') return ['positive']
    if (this.form === 'targets') return Array.from({ length: this.count }, (_, t) => `target${t + 1}`)
    return []
  }
}
