/**
 * Test fixtures made by code: an in-memory Dataset, a seeded RNG, motif sampling and small
 * conv models whose first filters are set by hand to a known PWM's log-odds.
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import type { Batch, BatchOptions, Dataset, SplitName } from '../../src/main/data/types.js'
import { AMBIGUOUS_CODE } from '../../src/main/data/types.js'
import { mulberry32 as rng } from '../../src/main/models/random.js'

export { rng }

export function randomSequence(rand: () => number, length: number, letters = 'ACGT'): string {
  let s = ''
  for (let i = 0; i < length; i++) s += letters[Math.floor(rand() * letters.length)]
  return s
}

/** Draw one site from a PWM (`rows[position][letter]`). */
export function sampleSite(rand: () => number, rows: number[][], letters = 'ACGT'): string {
  return rows
    .map((r) => {
      let u = rand()
      for (let k = 0; k < r.length; k++) {
        u -= r[k]
        if (u < 0) return letters[k]
      }
      return letters[r.length - 1]
    })
    .join('')
}

export function plant(seq: string, site: string, at: number): string {
  return seq.slice(0, at) + site + seq.slice(at + site.length)
}

/** A Dataset over strings held in memory; N and other letters are ambiguous (uniform one-hot). */
export function memoryDataset(
  seqs: string[],
  labels: number[][] = seqs.map(() => [0]),
  opts: { letters?: string; targets?: string[]; split?: SplitName[] } = {},
): Dataset {
  const letters = opts.letters ?? 'ACGT'
  const A = letters.length
  const length = Math.max(...seqs.map((s) => s.length))
  const codes = seqs.map((s) => {
    const c = new Uint8Array(length).fill(AMBIGUOUS_CODE)
    for (let i = 0; i < s.length; i++) {
      const k = letters.indexOf(s[i])
      c[i] = k >= 0 ? k : AMBIGUOUS_CODE
    }
    return c
  })
  const targets = opts.targets ?? labels[0].map((_, t) => `t${t}`)
  return {
    alphabet: letters === 'ACGT' ? 'dna' : letters === '01' ? 'binary' : letters === 'ACGU' ? 'rna' : 'protein',
    letters,
    length,
    size: seqs.length,
    targets,
    fingerprint: 'memory',
    id: (i) => `seq${i}`,
    codes: (i) => codes[i],
    label: (i, t) => labels[i][t],
    indices: (split) => Uint32Array.from(seqs.map((_, i) => i).filter((i) => split === 'all' || (opts.split?.[i] ?? 'train') === split)),
    batch(indices: ArrayLike<number>, options?: BatchOptions): Batch {
      const n = indices.length
      const x = new Float32Array(n * length * A)
      const y = new Float32Array(n * targets.length)
      for (let b = 0; b < n; b++) {
        const i = indices[b]
        for (let p = 0; p < length; p++) {
          const src = options?.reverseComplement ? length - 1 - p : p
          let c = codes[i][src]
          if (options?.reverseComplement && c < 4) c = 3 - c
          if (c < A) x[(b * length + p) * A + c] = 1
          else if ((options?.ambiguous ?? 'uniform') === 'uniform') for (let k = 0; k < A; k++) x[(b * length + p) * A + k] = 1 / A
        }
        for (let t = 0; t < targets.length; t++) y[b * targets.length + t] = labels[i][t]
      }
      return { x, y, n }
    },
  }
}

/**
 * A motif-CNN-shaped model: conv1 (relu) -> global max pool -> dense output (sigmoid).
 * `kernels[f]` is filter f's `[width][letters]` weights, `biases[f]` its bias.
 */
export function convModel(opts: {
  length: number
  letters?: number
  kernels: number[][][]
  biases: number[]
  padding?: 'valid' | 'same'
  targets?: number
  /** Put batch norm + ReLU after a linear conv, as Basset does (identity statistics). */
  batchNorm?: boolean
  name?: string
}): tfl.LayersModel {
  const A = opts.letters ?? 4
  const F = opts.kernels.length
  const W = opts.kernels[0].length
  const model = tfl.sequential(opts.name ? { name: opts.name } : {})
  model.add(
    tfl.layers.conv1d({ name: 'conv1', inputShape: [opts.length, A], filters: F, kernelSize: W, padding: opts.padding ?? 'valid', activation: opts.batchNorm ? 'linear' : 'relu' }),
  )
  if (opts.batchNorm) {
    model.add(tfl.layers.batchNormalization({ name: 'bn1' }))
    model.add(tfl.layers.activation({ name: 'relu1', activation: 'relu' }))
  }
  model.add(tfl.layers.globalMaxPooling1d({ name: 'pool' }))
  model.add(tfl.layers.dense({ name: 'output', units: opts.targets ?? 1, activation: 'sigmoid' }))
  const kernel = new Float32Array(W * A * F)
  for (let f = 0; f < F; f++) for (let j = 0; j < W; j++) for (let k = 0; k < A; k++) kernel[(j * A + k) * F + f] = opts.kernels[f][j][k]
  const conv = model.getLayer('conv1')
  const w = [tf.tensor3d(kernel, [W, A, F]), tf.tensor1d(opts.biases)]
  conv.setWeights(w)
  tf.dispose(w)
  return model
}

/** Natural-log log-odds against a uniform background: what a filter matching `rows` looks like. */
export function logOddsKernel(rows: number[][], floor = 0.01): number[][] {
  return rows.map((r) => r.map((p) => Math.log(Math.max(p, floor) * r.length)))
}
