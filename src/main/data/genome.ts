/**
 * Random access to a reference genome for BED-derived windows and GC-matched backgrounds.
 *
 * Accepted: an indexed FASTA (its `.fai` is used when present beside it, otherwise one is
 * built into the cache folder: never next to the user's file), a bgzip FASTA with both
 * `.fai` and `.gzi` beside it, or a UCSC `.2bit` file.
 * Coordinates are 0-based half-open; positions outside a chromosome read as N.
 */
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { join, resolve } from 'node:path'
import { BgzipIndexedFasta, IndexedFasta } from '@gmod/indexedfasta'
import { TwoBitFile } from '@gmod/twobit'
import { UserError } from '../errors.js'
import { readDecompressedChunks, statInput, type InputFileInfo } from './fasta.js'
import { AMBIGUOUS_CODE } from './types.js'

export interface Genome {
  path: string
  /** Chromosome sizes in file order. */
  sizes: Map<string, number>
  /** Letter codes (ACGT = 0..3, else AMBIGUOUS_CODE) of [start, end) on `chrom`. */
  fetch(chrom: string, start: number, end: number): Promise<Uint8Array>
}

const DNA_CODES = (() => {
  const t = new Uint8Array(256).fill(AMBIGUOUS_CODE)
  ;['A', 'C', 'G', 'T'].forEach((ch, k) => {
    t[ch.charCodeAt(0)] = k
    t[ch.toLowerCase().charCodeAt(0)] = k
  })
  return t
})()

function toCodes(seq: string, out: Uint8Array, at: number): void {
  for (let i = 0; i < seq.length; i++) out[at + i] = DNA_CODES[seq.charCodeAt(i) & 0xff]
}

export async function openGenome(path: string, cacheDir: string): Promise<Genome> {
  const info = await statInput(path, 'genome file')
  const fh = await open(path, 'r')
  const magic = new Uint8Array(4)
  await fh.read(magic, 0, 4, 0)
  await fh.close()
  const isTwoBit = (magic[0] === 0x43 && magic[1] === 0x27 && magic[2] === 0x41 && magic[3] === 0x1a) || (magic[0] === 0x1a && magic[1] === 0x41 && magic[2] === 0x27 && magic[3] === 0x43)
  let getSequence: (chrom: string, start: number, end: number) => Promise<string | undefined>
  let sizes: Record<string, number>
  let names: string[]
  if (isTwoBit) {
    const tb = new TwoBitFile({ path })
    names = await tb.getSequenceNames()
    sizes = await tb.getSequenceSizes()
    getSequence = (c, s, e) => tb.getSequence(c, s, e)
  } else if (info.gzip) {
    if (!existsSync(`${path}.fai`) || !existsSync(`${path}.gzi`)) {
      throw new UserError(
        `${path}: is gzip-compressed without a bgzip index (.fai and .gzi beside it); decompress it, or compress it with 'bgzip' and index it with 'samtools faidx'`,
      )
    }
    const fa = new BgzipIndexedFasta({ path, faiPath: `${path}.fai`, gziPath: `${path}.gzi` })
    names = await fa.getSequenceNames()
    sizes = await fa.getSequenceSizes()
    getSequence = (c, s, e) => fa.getSequence(c, s, e)
  } else {
    const faiPath = await faiFor(info, cacheDir)
    const fa = new IndexedFasta({ path, faiPath })
    names = await fa.getSequenceNames()
    sizes = await fa.getSequenceSizes()
    getSequence = (c, s, e) => fa.getSequence(c, s, e)
  }
  const sizeMap = new Map(names.map((n) => [n, sizes[n]]))
  return {
    path,
    sizes: sizeMap,
    async fetch(chrom, start, end) {
      const out = new Uint8Array(end - start).fill(AMBIGUOUS_CODE)
      const size = sizeMap.get(chrom) ?? 0
      const s = Math.max(0, start)
      const e = Math.min(size, end)
      if (e > s) toCodes((await getSequence(chrom, s, e)) ?? '', out, s - start)
      return out
    },
  }
}

/** The .fai beside the FASTA when it is at least as new, else one built in the cache. */
async function faiFor(info: InputFileInfo, cacheDir: string): Promise<string> {
  const beside = `${info.path}.fai`
  if (existsSync(beside) && statSync(beside).mtimeMs >= info.mtimeMs) return beside
  const key = createHash('sha256').update(JSON.stringify([resolve(info.path), info.size, info.mtimeMs])).digest('hex').slice(0, 24)
  const dir = join(cacheDir, 'fai')
  const cached = join(dir, `${key}.fai`)
  if (existsSync(cached)) return cached
  const text = await buildFai(info)
  mkdirSync(dir, { recursive: true })
  const tmp = `${cached}.tmp-${process.pid}`
  writeFileSync(tmp, text)
  renameSync(tmp, cached)
  return cached
}

/**
 * A samtools-compatible .fai (name, length, offset of the first base, bases per line, bytes
 * per line) from one streaming pass. Every line of a sequence but its last must have the
 * same width, as samtools requires.
 */
export async function buildFai(info: InputFileInfo): Promise<string> {
  const rows: string[] = []
  let offset = 0 // file offset of the current byte
  let line = 1
  let inHeader = false
  let header: number[] = []
  let name = ''
  let seqStart = -1
  let length = 0
  let lineBases = -1
  let lineBytes = -1
  let curBases = 0
  let curBytes = 0
  let shortLineSeen = false
  let prev = 0x0a
  const fail = (why: string) =>
    new UserError(`${info.path}:${line}: ${why}; an indexed genome needs equal line widths: reformat it with 'samtools faidx' or 'seqkit seq -w 60'`)
  const endSequenceLine = () => {
    if (curBases === 0) return
    if (lineBases < 0) {
      lineBases = curBases
      lineBytes = curBytes
    } else if (shortLineSeen || curBases > lineBases) {
      throw fail(`the lines of sequence '${name}' have different widths`)
    } else if (curBases < lineBases) {
      shortLineSeen = true
    }
    curBases = 0
    curBytes = 0
  }
  const endRecord = () => {
    if (name === '') return
    endSequenceLine()
    rows.push(`${name}\t${length}\t${seqStart}\t${Math.max(lineBases, 0)}\t${Math.max(lineBytes, 0)}\n`)
  }
  for await (const chunk of readDecompressedChunks(info)) {
    for (let i = 0; i < chunk.length; i++, offset++) {
      const b = chunk[i]
      if (inHeader) {
        if (b === 0x0a) {
          inHeader = false
          name = Buffer.from(header).toString('utf8').trim().split(/\s+/)[0]
          seqStart = -1
          length = 0
          lineBases = -1
          lineBytes = -1
          shortLineSeen = false
          line++
        } else if (b !== 0x0d) header.push(b)
        prev = b
        continue
      }
      if (b === 0x3e && prev === 0x0a) {
        endRecord()
        inHeader = true
        header = []
        prev = b
        continue
      }
      if (b === 0x0a) {
        if (curBases > 0) {
          curBytes++
          endSequenceLine()
        } else if (lineBases >= 0) {
          // A blank line inside a sequence breaks the fixed-width layout unless nothing follows.
          shortLineSeen = true
        }
        line++
        prev = b
        continue
      }
      if (b === 0x0d) {
        if (curBases > 0) curBytes++
        prev = b
        continue
      }
      if (name === '') throw fail("the file does not start with a '>' header")
      if (seqStart < 0) seqStart = offset
      curBases++
      curBytes++
      length++
      prev = b
    }
  }
  endRecord()
  return rows.join('')
}
