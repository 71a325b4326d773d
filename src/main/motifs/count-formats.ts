/**
 * Count-matrix text formats: JASPAR (`>ID name` then one `A [ ... ]` row per letter) and
 * TRANSFAC (the AC/ID/PO records JASPAR publishes), writers for both and a TRANSFAC reader
 * (how the bundled JASPAR database is converted).
 *
 * Matrices here are CountMatrix (`rows[position][letter]`); the JASPAR layout is transposed
 * on the page (one line per letter).
 */
import { UserError } from '../errors.js'
import { countMatrix, type CountMatrix } from './matrix.js'

export interface CountMotif {
  id: string
  name: string
  counts: CountMatrix
  /** TRANSFAC `CC key:value` annotations (tf_family, data_type, ...). */
  annotations?: Record<string, string>
}

/** A count as JASPAR prints it: integers bare, others with up to 3 decimals. */
const count = (v: number): string => (Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000))

/**
 * JASPAR format:
 *   >MA0004.1	Arnt
 *   A  [     4     19      0 ]
 *   C  [    16      0     20 ]
 *   ...
 */
export function writeJaspar(motifs: CountMotif[]): string {
  const out: string[] = []
  for (const m of motifs) {
    out.push(`>${m.id}\t${m.name}`)
    const cells = m.counts.rows.map((r) => r.map(count))
    const width = Math.max(1, ...cells.flat().map((c) => c.length))
    ;[...m.counts.letters].forEach((l, k) => out.push(`${l}  [ ${cells.map((r) => r[k].padStart(width + 1)).join(' ')} ]`))
  }
  return out.join('\n') + '\n'
}

/**
 * TRANSFAC format: AC, ID, DE, a PO header naming the letters, one 1-based numbered line
 * per position, CC annotations, `//` between records. Keys are followed by two spaces as in
 * TRANSFAC itself (Biopython's reader insists; JASPAR's files use one, which we also read).
 */
export function writeTransfac(motifs: CountMotif[]): string {
  const out: string[] = []
  for (const m of motifs) {
    out.push(`AC  ${m.id}`, 'XX', `ID  ${m.name}`, 'XX', `DE  ${m.id} ${m.name} ; From MotifLens`)
    out.push(['P0', ...m.counts.letters].join('      '))
    m.counts.rows.forEach((r, i) => out.push(`${String(i + 1).padStart(2, '0')}  ${r.map((v) => v.toFixed(1).padStart(6)).join('  ')}`))
    out.push('XX')
    const notes = Object.entries(m.annotations ?? {})
    if (notes.length) {
      for (const [k, v] of notes) out.push(`CC  ${k}:${v}`)
      out.push('XX')
    }
    out.push('//')
  }
  return out.join('\n') + '\n'
}

/** Parse TRANSFAC count matrices (P0 or PO header). `source` names the file in errors. */
export function readTransfac(text: string, source = 'motifs.transfac'): CountMotif[] {
  const motifs: CountMotif[] = []
  let id = ''
  let name = ''
  let letters = ''
  let rows: number[][] = []
  let annotations: Record<string, string> = {}
  let start = 0
  const lines = text.split(/\r?\n/)
  const fail = (i: number, what: string): never => {
    throw new UserError(`${source}:${i + 1}: ${what}`)
  }
  const flush = (i: number): void => {
    if (!letters) fail(i, `record ${id || '(no AC)'} has no PO/P0 matrix header`)
    try {
      motifs.push({ id: id || name, name: name || id, counts: countMatrix(letters, rows), annotations })
    } catch (e) {
      fail(start, `record ${id}: ${(e as Error).message}`)
    }
    id = ''
    name = ''
    letters = ''
    rows = []
    annotations = {}
  }
  lines.forEach((raw, i) => {
    const line = raw.trimEnd()
    if (line === '') return
    const tag = line.slice(0, 2)
    const rest = line.slice(2).trim()
    if (line.startsWith('//')) {
      if (letters || id) flush(i)
      return
    }
    if (tag === 'AC') {
      id = rest
      start = i
    } else if (tag === 'ID') name = rest
    else if (tag === 'PO' || tag === 'P0') letters = rest.split(/\s+/).join('')
    else if (tag === 'CC') {
      const c = rest.indexOf(':')
      if (c > 0) annotations[rest.slice(0, c)] = rest.slice(c + 1)
    } else if (/^\d+$/.test(line.split(/\s+/)[0]) && letters) {
      const t = line.trim().split(/\s+/)
      const values = t.slice(1, 1 + letters.length).map(Number)
      if (values.length !== letters.length || values.some((v) => !Number.isFinite(v)))
        fail(i, `position ${t[0]} needs ${letters.length} counts (${letters})`)
      rows.push(values)
    }
  })
  if (letters) flush(lines.length - 1)
  return motifs
}
