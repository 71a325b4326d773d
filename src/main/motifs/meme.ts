/**
 * MEME minimal motif format (https://meme-suite.org/meme/doc/meme-format.html), version 4:
 *
 *   MEME version 4
 *
 *   ALPHABET= ACGT
 *
 *   strands: + -
 *
 *   Background letter frequencies
 *   A 0.295 C 0.205 G 0.205 T 0.295
 *
 *   MOTIF filter_3 CACGTG
 *   letter-probability matrix: alength= 4 w= 6 nsites= 812 E= 0
 *    0.101000 0.700000 ...
 *
 * DNA writes `ALPHABET= ACGT` and `strands: + -`; RNA `ALPHABET= ACGU` and protein
 * `ALPHABET= ACDEFGHIKLMNPQRSTVWY`, both without a strands line (they have one strand).
 * Binary sequences use MEME's custom alphabet definition, a block of one core symbol per
 * line ("symbol name colour") between `ALPHABET "name"` and `END ALPHABET`:
 *
 *   ALPHABET "binary"
 *   0 "zero" 6B6B6B
 *   1 "one" 7B2D8E
 *   END ALPHABET
 *
 * `nsites` is written as an integer (Biopython's reader requires one) and is at least 1.
 */
import { readFileSync } from 'node:fs'
import { UserError } from '../errors.js'
import { checkBackground, probabilityMatrix, type Motif } from './matrix.js'

export interface MemeFile {
  version: string
  /** Letters in the file's column order. */
  letters: string
  /** Custom alphabet name when the file defines one (`ALPHABET "binary"`). */
  alphabetName?: string
  strands: ('+' | '-')[]
  background: number[]
  motifs: Motif[]
}

const PROTEIN = 'ACDEFGHIKLMNPQRSTVWY'
const BINARY_BLOCK = ['ALPHABET "binary"', '0 "zero" 6B6B6B', '1 "one" 7B2D8E', 'END ALPHABET']

export interface WriteMemeOptions {
  /** Letter frequencies of the sequences the motifs came from (default uniform). */
  background?: number[]
  /** Override the strands line for DNA (default both: '+ -'). */
  strands?: ('+' | '-')[]
}

function alphabetLines(letters: string): string[] {
  if (letters === 'ACGT' || letters === 'ACGU' || letters === PROTEIN) return [`ALPHABET= ${letters}`]
  if (letters === '01') return BINARY_BLOCK
  throw new UserError(`MEME export: alphabet '${letters}' is not DNA (ACGT), RNA (ACGU), protein (${PROTEIN}) or binary (01)`)
}

const p6 = (v: number): string => v.toFixed(6)

/** Format an E-value as MEME does: 0, or one significant decimal in exponent form. */
function formatE(e: number): string {
  return e === 0 ? '0' : e.toExponential(1).replace(/e([+-])(\d)$/, 'e$10$2')
}

/** Motif id/name as one MEME token each: whitespace would split them. */
const token = (s: string): string => s.trim().replace(/\s+/g, '_') || '_'

export function writeMeme(motifs: Motif[], letters: string, opts: WriteMemeOptions = {}): string {
  const bg = checkBackground(letters, opts.background)
  const lines: string[] = ['MEME version 4', '', ...alphabetLines(letters), '']
  if (letters === 'ACGT') lines.push(`strands: ${(opts.strands ?? ['+', '-']).join(' ')}`, '')
  lines.push('Background letter frequencies', [...letters].map((l, k) => `${l} ${bg[k].toFixed(4)}`).join(' '), '')
  for (const m of motifs) {
    if (m.matrix.letters !== letters)
      throw new UserError(`MEME export: motif ${m.id} has letters '${m.matrix.letters}', the file has '${letters}'`)
    const nsites = Math.max(1, Math.round(m.nsites ?? 1))
    lines.push(m.name && m.name !== m.id ? `MOTIF ${token(m.id)} ${token(m.name)}` : `MOTIF ${token(m.id)}`)
    lines.push(`letter-probability matrix: alength= ${letters.length} w= ${m.matrix.rows.length} nsites= ${nsites} E= ${formatE(m.evalue ?? 0)}`)
    for (const row of m.matrix.rows) lines.push(' ' + row.map(p6).join(' '))
    if (m.url) lines.push(`URL ${m.url}`)
    lines.push('')
  }
  return lines.join('\n')
}

/** Parse MEME minimal format text; `source` names the file in error messages. */
export function readMeme(text: string, source = 'motifs.meme'): MemeFile {
  const lines = text.split(/\r?\n/)
  let i = 0
  const fail = (line: number, what: string): never => {
    throw new UserError(`${source}:${line + 1}: ${what}`)
  }

  while (i < lines.length && !lines[i].startsWith('MEME version')) i++
  if (i === lines.length) fail(0, "no 'MEME version' line; this is not a MEME motif file")
  const version = lines[i].split(/\s+/)[2] ?? ''
  i++

  let letters: string | undefined
  let alphabetName: string | undefined
  let strands: ('+' | '-')[] = []
  let background: number[] | undefined
  const motifs: Motif[] = []

  // Header: alphabet, strands and background, in any order, until the first MOTIF.
  while (i < lines.length && !lines[i].startsWith('MOTIF')) {
    const line = lines[i].trim()
    if (line.startsWith('ALPHABET=')) {
      letters = line.slice('ALPHABET='.length).trim()
      if (!letters) fail(i, "empty 'ALPHABET=' line; name the letters, e.g. 'ALPHABET= ACGT'")
    } else if (line.startsWith('ALPHABET')) {
      alphabetName = /"([^"]*)"/.exec(line)?.[1] ?? 'custom'
      const symbols: string[] = []
      for (i++; i < lines.length && !lines[i].trim().startsWith('END ALPHABET'); i++) {
        const def = lines[i].trim()
        // skip comments and ambiguity/alias lines ('N "Any base" = ACGT'): only core symbols are columns
        if (!def || def.startsWith('#') || def.replace(/"[^"]*"/g, '').includes('=')) continue
        symbols.push(def.split(/\s+/)[0])
        const pair = def.split('~')[1]
        if (pair !== undefined) symbols.push(pair.trim().split(/\s+/)[0])
      }
      if (i === lines.length) fail(i - 1, "custom alphabet without 'END ALPHABET'")
      letters = symbols.join('')
    } else if (line.startsWith('strands:')) {
      strands = line.slice(8).trim().split(/\s+/).filter((s): s is '+' | '-' => s === '+' || s === '-')
    } else if (line.startsWith('Background letter frequencies')) {
      const values = new Map<string, number>()
      for (i++; i < lines.length && lines[i].trim() !== '' && !lines[i].startsWith('MOTIF'); i++) {
        const t = lines[i].trim().split(/\s+/)
        if (t.length % 2 !== 0) fail(i, "background line needs 'letter frequency' pairs")
        for (let j = 0; j < t.length; j += 2) {
          const v = Number(t[j + 1])
          if (!Number.isFinite(v)) fail(i, `background frequency of ${t[j]} is '${t[j + 1]}', not a number`)
          values.set(t[j], v)
        }
      }
      const ls = letters
      if (ls === undefined) fail(i - 1, "background before the ALPHABET line; put 'ALPHABET= ...' first")
      else {
        const missing = [...ls].filter((l) => !values.has(l))
        if (missing.length) fail(i - 1, `background has no frequency for ${missing.join(', ')}`)
        background = [...ls].map((l) => values.get(l) as number)
      }
      continue
    }
    i++
  }

  while (i < lines.length) {
    const line = lines[i]
    if (!line.startsWith('MOTIF')) {
      i++
      continue
    }
    const motifLine = i
    const [, id, ...rest] = line.trim().split(/\s+/)
    if (!id) fail(i, "MOTIF line without an identifier; write 'MOTIF id [name]'")
    i++
    while (i < lines.length && !lines[i].trim().startsWith('letter-probability matrix') && !lines[i].startsWith('MOTIF')) i++
    if (i === lines.length || lines[i].startsWith('MOTIF')) fail(motifLine, `motif ${id} has no 'letter-probability matrix:' line`)
    const header = lines[i]
    const field = (key: string): number | undefined => {
      const m = new RegExp(`${key}=\\s*(\\S+)`).exec(header)
      if (!m) return undefined
      const v = Number(m[1])
      if (!Number.isFinite(v)) fail(i, `${key}= '${m[1]}' is not a number`)
      return v
    }
    const alength = field('alength')
    const w = field('w')
    const nsites = field('nsites')
    const evalue = field('E')
    if (letters === undefined) {
      // No ALPHABET line: MEME infers it from the matrix width.
      if (alength === 4) letters = 'ACGT'
      else if (alength === 20) letters = PROTEIN
      else fail(i, "no ALPHABET line and alength is not 4 or 20; add 'ALPHABET= ...'")
    }
    const ls = letters as string
    if (alength !== undefined && alength !== ls.length) fail(i, `alength= ${alength} but the alphabet ${ls} has ${ls.length} letters`)
    const rows: number[][] = []
    for (i++; i < lines.length; i++) {
      const t = lines[i].trim()
      if (t === '' || !/^[-+.\d]/.test(t)) break
      if (w !== undefined && rows.length === w) break
      const values = t.split(/\s+/).map(Number)
      if (values.length !== ls.length) fail(i, `matrix row has ${values.length} values, expected ${ls.length} (${ls})`)
      if (values.some((v) => !Number.isFinite(v))) fail(i, 'matrix row holds something that is not a number')
      rows.push(values)
    }
    if (w !== undefined && rows.length !== w) fail(i - 1, `motif ${id} has ${rows.length} rows but w= ${w}`)
    let matrix
    try {
      matrix = probabilityMatrix(ls, rows, 0.01)
    } catch (e) {
      fail(motifLine, `motif ${id}: ${(e as Error).message}`)
    }
    let url: string | undefined
    for (; i < lines.length && !lines[i].startsWith('MOTIF'); i++) {
      if (lines[i].startsWith('URL')) url = lines[i].slice(3).trim()
    }
    motifs.push({
      id,
      name: rest.length ? rest.join(' ') : id,
      matrix: matrix as NonNullable<typeof matrix>,
      ...(nsites !== undefined ? { nsites } : {}),
      ...(evalue !== undefined ? { evalue } : {}),
      ...(url ? { url } : {}),
    })
  }
  const ls = letters ?? 'ACGT'
  let bg = new Array<number>(ls.length).fill(1 / ls.length)
  if (background) {
    try {
      bg = checkBackground(ls, background)
    } catch (e) {
      fail(0, `${(e as Error).message}; fix the 'Background letter frequencies' line`)
    }
  }
  return {
    version,
    letters: ls,
    ...(alphabetName !== undefined ? { alphabetName } : {}),
    strands,
    background: bg,
    motifs,
  }
}

export function readMemeFile(path: string): MemeFile {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new UserError(`${path}: cannot read the motif file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}); check the path`)
  }
  return readMeme(text, path)
}
