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

/**
 * Where a dataset's sequences and labels come from. The CLI's data flags and the Data view
 * both produce one of these; the data layer turns it into a Dataset.
 */
export interface DataSpec {
  /** Binary task: one or more FASTA files of positives, and of negatives. */
  positives?: string[]
  negatives?: string[]
  /** Several classes, one or more FASTA files each (`--class NAME=F...`). */
  classes?: { name: string; files: string[] }[]
  /** FASTA file(s) whose labels come from `labels` (a TSV/CSV table) or from their headers. */
  fasta?: string[]
  labels?: string
  /** Intervals: one BED per target plus a genome (indexed FASTA or .2bit). */
  bed?: { target: string; files: string[] }[]
  genome?: string
  /** Window width (bp) around each interval's centre or narrowPeak summit. */
  window?: number
  alphabet?: AlphabetName | 'auto'
  /** The one input length; sequences are padded with N or cropped around the centre. */
  length?: number
  lengthMode?: 'pad' | 'crop'
  /** How N and IUPAC ambiguity codes are one-hot encoded. */
  ambiguous?: 'uniform' | 'zero'
  /** `random:0.8,0.1,0.1` or `chrom:test=chr8,chr9;valid=chr7`. */
  split?: string
  /** Generate negatives when only positives are given. */
  background?: 'shuffle' | 'gc'
  seed?: number
}

/** Progress of a training run, pushed to the UI and drawn as a progress bar by the CLI. */
export type TrainProgress =
  | { kind: 'start'; backend: string; epochs: number; batchesPerEpoch: number; trainSize: number; validSize: number; params: number; runDir: string }
  | { kind: 'batch'; epoch: number; batch: number; batches: number; loss: number; samplesPerSec: number; etaSec: number }
  | { kind: 'epoch'; epoch: number; loss: number; valLoss: number | null; metrics: Record<string, number | null>; lr: number; best: boolean; seconds: number }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string }
