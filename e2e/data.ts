import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { mulberry32 as rng } from '../src/main/models/random'

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
