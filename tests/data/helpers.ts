/** Fixture helpers for the data-layer tests: temp folders and small files written by code. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, expect } from 'vitest'

/** A fresh temp folder, removed after the test file finishes. */
export function tempDir(prefix = 'motiflens-data-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

/** Write `content` to dir/name (gzip-compressed when `gzip`), returning the path. */
export function writeFixture(dir: string, name: string, content: string | Uint8Array, gzip = false): string {
  const path = join(dir, name)
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  writeFileSync(path, gzip ? gzipSync(bytes) : bytes)
  return path
}

/** FASTA text for [id, sequence] pairs, wrapped at `width` letters per line. */
export function fastaText(records: [string, string][], width = 60, eol = '\n'): string {
  let out = ''
  for (const [id, seq] of records) {
    out += `>${id}${eol}`
    for (let i = 0; i < seq.length; i += width) out += seq.slice(i, i + width) + eol
  }
  return out
}

/** A deterministic pseudo-random DNA string (LCG), for fixtures. */
export function randomDna(length: number, seed: number): string {
  let s = seed >>> 0
  let out = ''
  for (let i = 0; i < length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0
    out += 'ACGT'[s >>> 30]
  }
  return out
}

/**
 * A UCSC .2bit file for `seqs` (name -> sequence): N runs become N blocks, lowercase is not
 * recorded (no mask blocks needed by the reader we test).
 */
export function twoBitBytes(seqs: [string, string][]): Uint8Array {
  const code: Record<string, number> = { T: 0, C: 1, A: 2, G: 3, N: 0 }
  const records: Buffer[] = []
  for (const [, seq] of seqs) {
    const s = seq.toUpperCase()
    const nStarts: number[] = []
    const nSizes: number[] = []
    for (let i = 0; i < s.length; i++) {
      if (s[i] !== 'N') continue
      let j = i
      while (j < s.length && s[j] === 'N') j++
      nStarts.push(i)
      nSizes.push(j - i)
      i = j - 1
    }
    const packed = Buffer.alloc(Math.ceil(s.length / 4))
    for (let i = 0; i < s.length; i++) packed[i >> 2] |= code[s[i]] << (6 - 2 * (i & 3))
    const head = Buffer.alloc(4 * (2 + 2 * nStarts.length + 1 + 1))
    let o = 0
    head.writeUInt32LE(s.length, o)
    head.writeUInt32LE(nStarts.length, (o += 4))
    o += 4
    for (const v of nStarts) head.writeUInt32LE(v, (o += 4) - 4)
    for (const v of nSizes) head.writeUInt32LE(v, (o += 4) - 4)
    head.writeUInt32LE(0, o) // mask blocks
    head.writeUInt32LE(0, o + 4) // reserved
    records.push(Buffer.concat([head, packed]))
  }
  const indexSize = seqs.reduce((a, [name]) => a + 1 + name.length + 4, 0)
  const header = Buffer.alloc(16)
  header.writeUInt32LE(0x1a412743, 0)
  header.writeUInt32LE(0, 4)
  header.writeUInt32LE(seqs.length, 8)
  header.writeUInt32LE(0, 12)
  const index: Buffer[] = []
  let offset = 16 + indexSize
  seqs.forEach(([name], k) => {
    const b = Buffer.alloc(1 + name.length + 4)
    b.writeUInt8(name.length, 0)
    b.write(name, 1, 'latin1')
    b.writeUInt32LE(offset, 1 + name.length)
    index.push(b)
    offset += records[k].length
  })
  return Buffer.concat([header, ...index, ...records])
}

/** The message of the UserError a promise rejects with; fails the test when it resolves or throws anything else. */
export async function errorOf(p: Promise<unknown>): Promise<string> {
  try {
    await p
  } catch (e) {
    expect((e as Error).name).toBe('UserError')
    return (e as Error).message
  }
  throw new Error('expected an error')
}
