import { writeFileSync } from 'node:fs'
import { join } from 'node:path'

/** A small seeded generator (mulberry32), so the e2e data is the same every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/**
 * Positives carry the AP-1 site TGACTCA at a random position; negatives are random. Written
 * as FASTA with 60-column lines, as a user's files would be.
 */
export function writePlantedFasta(dir: string, { n = 300, length = 80, seed = 7 } = {}): { positives: string; negatives: string } {
  const r = rng(seed)
  const base = () => 'ACGT'[Math.floor(r() * 4)]
  const randomSeq = () => Array.from({ length }, base).join('')
  const motif = 'TGACTCA'
  const fasta = (prefix: string, seqs: string[]) =>
    seqs.map((s, i) => `>${prefix}${i + 1} synthetic\n${s.match(/.{1,60}/g)?.join('\n')}\n`).join('')
  const pos = Array.from({ length: n }, () => {
    const s = randomSeq()
    const at = Math.floor(r() * (length - motif.length))
    return s.slice(0, at) + motif + s.slice(at + motif.length)
  })
  const neg = Array.from({ length: n }, randomSeq)
  const positives = join(dir, 'pos.fa')
  const negatives = join(dir, 'neg.fa')
  writeFileSync(positives, fasta('pos', pos))
  writeFileSync(negatives, fasta('neg', neg))
  return { positives, negatives }
}
