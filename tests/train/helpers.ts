import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SplitName } from '../../src/main/data/types.js'
import { mulberry32 } from '../../src/main/models/random.js'
import { ArrayDataset } from '../../src/main/train/array-dataset.js'

export function tempDir(prefix = 'motiflens-train-'): string {
  return mkdtempSync(join(tmpdir(), prefix))
}

/**
 * A small planted-motif set: random DNA, positives carry `motif` at a random position.
 * Split 60/20/20 by index order (train, valid, test), classes alternating.
 */
export function plantedDataset(n = 200, length = 30, seed = 1, motif = 'TGACTCA'): ArrayDataset {
  const rand = mulberry32(seed)
  const sequences: string[] = []
  const labels: number[][] = []
  const splits: SplitName[] = []
  for (let i = 0; i < n; i++) {
    const chars = Array.from({ length }, () => 'ACGT'[Math.floor(rand() * 4)])
    const positive = i % 2
    if (positive) {
      const at = Math.floor(rand() * (length - motif.length + 1))
      for (let k = 0; k < motif.length; k++) chars[at + k] = motif[k]
    }
    sequences.push(chars.join(''))
    labels.push([positive])
    splits.push(i < n * 0.6 ? 'train' : i < n * 0.8 ? 'valid' : 'test')
  }
  return new ArrayDataset({ alphabet: 'dna', sequences, labels, targets: ['bound'], splits })
}

/** A tiny motif CNN, fast on the cpu backend. */
export const SMALL_CNN = { preset: 'motif-cnn' as const, params: { filters: [4], widths: [7] } }
