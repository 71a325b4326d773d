/**
 * A Dataset held in plain arrays, for tests, scripts and toy problems built in code. The
 * data layer's loaders produce the real ones; this implements the same interface from
 * letter strings and 0/1 label rows.
 */
import type { AlphabetName, Batch, BatchOptions, Dataset, SplitName } from '../data/types.js'
import { AMBIGUOUS_CODE } from '../data/types.js'

const LETTERS: Record<AlphabetName, string> = { dna: 'ACGT', rna: 'ACGU', binary: '01', protein: 'ACDEFGHIKLMNPQRSTVWY' }

export interface ArrayDatasetInput {
  alphabet: AlphabetName
  /** Sequences as letters (N or any other letter reads as ambiguous); all the same length. */
  sequences?: string[]
  /** Or: letter codes already packed, `size * length` bytes (AMBIGUOUS_CODE for N/padding). */
  codes?: { data: Uint8Array; length: number }
  /** Label rows, one 0/1 value per target. */
  labels: number[][]
  targets: string[]
  ids?: string[]
  /** Split of each sequence; default: all 'train'. */
  splits?: SplitName[]
  fingerprint?: string
  /** How N and padding are one-hot encoded unless a batch says otherwise (default 'uniform'). */
  ambiguous?: 'uniform' | 'zero'
}

export class ArrayDataset implements Dataset {
  readonly alphabet: AlphabetName
  readonly letters: string
  readonly length: number
  readonly size: number
  readonly targets: readonly string[]
  readonly fingerprint: string
  private readonly codesAll: Uint8Array
  private readonly labelsAll: Float32Array
  private readonly ids: string[]
  private readonly splits: SplitName[]
  private readonly ambiguous: 'uniform' | 'zero'

  constructor(input: ArrayDatasetInput) {
    this.alphabet = input.alphabet
    this.letters = LETTERS[input.alphabet]
    if (input.codes) {
      this.length = input.codes.length
      this.size = this.length > 0 ? input.codes.data.length / this.length : 0
      this.codesAll = input.codes.data
    } else {
      const sequences = input.sequences ?? []
      this.size = sequences.length
      this.length = this.size > 0 ? sequences[0].length : 0
      this.codesAll = new Uint8Array(this.size * this.length)
      const table = new Map([...this.letters].map((c, k) => [c, k]))
      sequences.forEach((s, i) => {
        if (s.length !== this.length) throw new Error(`ArrayDataset: sequence ${i} has length ${s.length}, expected ${this.length}`)
        for (let j = 0; j < s.length; j++) this.codesAll[i * this.length + j] = table.get(s[j].toUpperCase()) ?? AMBIGUOUS_CODE
      })
    }
    this.targets = [...input.targets]
    this.ambiguous = input.ambiguous ?? 'uniform'
    this.ids = input.ids ?? Array.from({ length: this.size }, (_, i) => `seq${i + 1}`)
    this.splits = input.splits ?? Array.from({ length: this.size }, () => 'train' as const)
    if (input.labels.length !== this.size) throw new Error(`ArrayDataset: ${input.labels.length} label rows for ${this.size} sequences`)
    const T = this.targets.length
    this.labelsAll = new Float32Array(this.size * T)
    input.labels.forEach((row, i) => {
      if (row.length !== T) throw new Error(`ArrayDataset: label row ${i} has ${row.length} values, expected ${T}`)
      row.forEach((v, t) => (this.labelsAll[i * T + t] = v))
    })
    this.fingerprint = input.fingerprint ?? `array:${this.size}x${this.length}:${hash(this.codesAll)}:${hash(new Uint8Array(this.labelsAll.buffer))}`
  }

  id(i: number): string {
    return this.ids[i]
  }

  codes(i: number): Uint8Array {
    return this.codesAll.subarray(i * this.length, (i + 1) * this.length)
  }

  label(i: number, t: number): number {
    return this.labelsAll[i * this.targets.length + t]
  }

  indices(split: SplitName | 'all'): Uint32Array {
    const out: number[] = []
    for (let i = 0; i < this.size; i++) if (split === 'all' || this.splits[i] === split) out.push(i)
    return Uint32Array.from(out)
  }

  batch(indices: ArrayLike<number>, options: BatchOptions = {}): Batch {
    const n = indices.length
    const L = this.length
    const A = this.letters.length
    const T = this.targets.length
    const rc = options.reverseComplement === true
    if (rc && this.alphabet !== 'dna' && this.alphabet !== 'rna') throw new Error(`ArrayDataset: no reverse complement for ${this.alphabet}`)
    const fill = (options.ambiguous ?? this.ambiguous) === 'zero' ? 0 : 1 / A
    const x = new Float32Array(n * L * A)
    const y = new Float32Array(n * T)
    for (let k = 0; k < n; k++) {
      const codes = this.codes(indices[k])
      for (let j = 0; j < L; j++) {
        const c = rc ? codes[L - 1 - j] : codes[j]
        const base = (k * L + j) * A
        if (c === AMBIGUOUS_CODE) x.fill(fill, base, base + A)
        else x[base + (rc ? A - 1 - c : c)] = 1 // ACGT/ACGU: complement of code c is 3 - c
      }
      for (let t = 0; t < T; t++) y[k * T + t] = this.label(indices[k], t)
    }
    return { x, y, n }
  }
}

function hash(bytes: Uint8Array): string {
  let h = 0x811c9dc5
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i], 0x01000193) >>> 0
  return h.toString(16).padStart(8, '0')
}
