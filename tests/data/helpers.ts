/** Fixture helpers for the data-layer tests: temp folders and small files written by code. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll } from 'vitest'

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
