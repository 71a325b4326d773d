/**
 * Payload types that cross the IPC contract. Plain data only (structured-clone and JSON safe).
 * Nothing here imports electron, node or the DOM: both tsconfigs include this folder.
 */

export type AlphabetName = 'dna' | 'rna' | 'binary' | 'protein'
export type SplitName = 'train' | 'valid' | 'test'

/** What `data inspect` prints and the Data view shows. */
export interface DatasetSummary {
  files: { path: string; sequences: number; bytes: number }[]
  sequences: number
  alphabet: AlphabetName
  length: { min: number; median: number; max: number; histogram: { from: number; to: number; count: number }[] }
  gc: number | null
  n_fraction: number
  duplicates: number
  labels: { name: string; positives: number; negatives: number }[]
  splits?: Record<SplitName, number>
}

/** A position probability matrix as plain rows: `rows[position][letterIndex]`, each row sums to 1. */
export interface ProbabilityRows {
  letters: string
  rows: number[][]
}
