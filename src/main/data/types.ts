/**
 * The engine's view of a labelled sequence set. Everything downstream of the data
 * layer (training, evaluation, motifs, the bench) sees sequences only through this
 * interface, so the storage behind it (in memory, or a packed on-disk cache for
 * DeepSEA-sized sets) can change without touching them.
 *
 * Conventions:
 * - Sequences are stored as letter codes: code k is `letters[k]`; AMBIGUOUS_CODE marks
 *   N, IUPAC ambiguity codes and padding.
 * - One-hot batches are `[batch, length, letters.length]` row-major Float32 (TensorFlow.js
 *   Conv1D's `channelsLast` layout).
 * - Labels are 0/1 per target, row-major `[batch, targets.length]`.
 */
import type { AlphabetName, DatasetSummary, SplitName } from '../../shared/types.js'

export type { AlphabetName, DatasetSummary, SplitName }

/** The code stored for N, IUPAC ambiguity codes and padding. */
export const AMBIGUOUS_CODE = 255

export interface Batch {
  /** One-hot `[n, length, letters.length]`. */
  x: Float32Array
  /** Labels `[n, targets.length]` as 0/1 floats. */
  y: Float32Array
  n: number
}

export interface BatchOptions {
  /** Reverse-complement every sequence of the batch (DNA/RNA only). */
  reverseComplement?: boolean
  /** How an ambiguous base is encoded: 1/letters.length in every channel, or all zeros. */
  ambiguous?: 'uniform' | 'zero'
}

export interface Dataset {
  readonly alphabet: AlphabetName
  /** Letters in code order, e.g. 'ACGT'. */
  readonly letters: string
  /** The one input length every sequence has after padding or cropping. */
  readonly length: number
  /** Number of sequences. */
  readonly size: number
  /** Target (label) names, in label-column order. */
  readonly targets: readonly string[]
  /** Content hash of the input files and options that produced this dataset. */
  readonly fingerprint: string
  /** Sequence id (the FASTA header's first word) of sequence i. */
  id(i: number): string
  /** Letter codes of sequence i (length `length`); a view, do not keep it across calls. */
  codes(i: number): Uint8Array
  /** Label of sequence i for target t (0 or 1). */
  label(i: number, t: number): number
  /** Indices of the sequences in a split, ascending. */
  indices(split: SplitName | 'all'): Uint32Array
  /** Build the one-hot batch for these sequence indices. */
  batch(indices: ArrayLike<number>, options?: BatchOptions): Batch
}
