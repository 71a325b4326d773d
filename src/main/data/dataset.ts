/**
 * The Dataset implementation over a packed store: fixed length by centred padding or
 * cropping, split membership, and one-hot batches built on the fly.
 *
 * Length: a sequence longer than `length` is cropped around its centre (the window starts at
 * floor((len - length) / 2)); a shorter one sits centred at offset floor((length - len) / 2)
 * with AMBIGUOUS_CODE (N) on both sides.
 */
import type { AlphabetName, SplitName } from '../../shared/types.js'
import { UserError } from '../errors.js'
import { ALPHABET_LETTERS } from './alphabet.js'
import { SPLIT_CODES } from './split.js'
import type { IngestStats, SequenceStore } from './store.js'
import { AMBIGUOUS_CODE, type Batch, type BatchOptions, type Dataset } from './types.js'

export interface PackedDatasetOptions {
  alphabet: AlphabetName
  targets: string[]
  fingerprint: string
  length: number
  /** Split code of each sequence: 0 train, 1 valid, 2 test. */
  splits: Uint8Array
  ambiguous: 'uniform' | 'zero'
  stats: IngestStats
  /** Where the packed store lives on disk, when it does. */
  cachePath: string | null
}

export class PackedDataset implements Dataset {
  readonly alphabet: AlphabetName
  readonly letters: string
  readonly length: number
  readonly targets: readonly string[]
  readonly fingerprint: string
  readonly stats: IngestStats
  readonly cachePath: string | null
  /** Split code per sequence (0 train, 1 valid, 2 test). */
  readonly splits: Uint8Array
  private readonly ambiguous: 'uniform' | 'zero'
  private readonly splitIndices = new Map<string, Uint32Array>()
  private padded: Uint8Array

  constructor(
    readonly store: SequenceStore,
    options: PackedDatasetOptions,
  ) {
    this.alphabet = options.alphabet
    this.letters = ALPHABET_LETTERS[options.alphabet]
    this.length = options.length
    this.targets = options.targets
    this.fingerprint = options.fingerprint
    this.splits = options.splits
    this.ambiguous = options.ambiguous
    this.stats = options.stats
    this.cachePath = options.cachePath
    this.padded = new Uint8Array(options.length)
  }

  get size(): number {
    return this.store.size
  }

  id(i: number): string {
    return this.store.id(i)
  }

  /** Length of sequence i before padding or cropping. */
  rawLength(i: number): number {
    return this.store.lengths[i]
  }

  codes(i: number): Uint8Array {
    const raw = this.store.rawCodes(i)
    const L = this.length
    const len = raw.length
    if (len === L) return raw
    if (len > L) {
      const s = (len - L) >> 1
      return raw.subarray(s, s + L)
    }
    const out = this.padded
    out.fill(AMBIGUOUS_CODE)
    out.set(raw, (L - len) >> 1)
    return out
  }

  label(i: number, t: number): number {
    return this.store.label(i, t)
  }

  indices(split: SplitName | 'all'): Uint32Array {
    let cached = this.splitIndices.get(split)
    if (cached) return cached
    if (split === 'all') {
      cached = new Uint32Array(this.size)
      for (let i = 0; i < cached.length; i++) cached[i] = i
    } else {
      const code = SPLIT_CODES[split]
      let n = 0
      for (let i = 0; i < this.splits.length; i++) if (this.splits[i] === code) n++
      cached = new Uint32Array(n)
      n = 0
      for (let i = 0; i < this.splits.length; i++) if (this.splits[i] === code) cached[n++] = i
    }
    this.splitIndices.set(split, cached)
    return cached
  }

  /**
   * One-hot `[n, length, letters]` plus labels `[n, targets]`. A reverse complement reads
   * the sequence backwards with A<->T/U and C<->G swapped (ambiguous stays ambiguous).
   */
  batch(indices: ArrayLike<number>, options: BatchOptions = {}): Batch {
    const A = this.letters.length
    const L = this.length
    const T = this.targets.length
    const n = indices.length
    const rc = options.reverseComplement === true
    if (rc && this.alphabet !== 'dna' && this.alphabet !== 'rna') {
      throw new UserError(`reverse-complement augmentation needs DNA or RNA; this dataset is ${this.alphabet}`)
    }
    const uniform = (options.ambiguous ?? this.ambiguous) === 'uniform'
    const fill = 1 / A
    const x = new Float32Array(n * L * A)
    const y = new Float32Array(n * T)
    for (let b = 0; b < n; b++) {
      const i = indices[b]
      const c = this.codes(i)
      const base = b * L * A
      for (let p = 0; p < L; p++) {
        let code = rc ? c[L - 1 - p] : c[p]
        if (code < A) {
          if (rc) code = A - 1 - code
          x[base + p * A + code] = 1
        } else if (uniform) {
          const o = base + p * A
          for (let a = 0; a < A; a++) x[o + a] = fill
        }
      }
      if (T > 0) {
        const row = this.store.labelRow(i)
        for (let t = 0; t < T; t++) y[b * T + t] = (row[t >> 3] >> (t & 7)) & 1
      }
    }
    return { x, y, n }
  }

  /** Release file handles of a disk-backed store. */
  close(): void {
    this.store.close()
  }
}
