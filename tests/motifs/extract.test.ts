import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import { extractFilterMotifs, filterLogosForRun } from '../../src/main/motifs/index.js'
import { convModel, logOddsKernel, memoryDataset, plant, randomSequence, rng, sampleSite } from './fixtures.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** A strong 8-column motif: TGACTCAT-like (AP-1 flavour). */
const PWM = [
  [0.05, 0.05, 0.05, 0.85],
  [0.05, 0.05, 0.85, 0.05],
  [0.85, 0.05, 0.05, 0.05],
  [0.05, 0.85, 0.05, 0.05],
  [0.05, 0.05, 0.05, 0.85],
  [0.05, 0.8, 0.1, 0.05],
  [0.7, 0.1, 0.1, 0.1],
  [0.1, 0.1, 0.1, 0.7],
]

describe('exact sites on a hand-made filter', () => {
  // Filter 0 scores +1 per matching letter of ACG and has bias -2: activation 1 exactly on
  // ACG, 0 (ReLU) everywhere else. Filter 1 never fires.
  const acg = [
    [1, 0, 0, 0],
    [0, 1, 0, 0],
    [0, 0, 1, 0],
  ]
  const dead = acg.map((r) => r.map(() => -1))
  const seqs = ['TTTTTACGTT', 'ACGTTTTTTT', 'TTTTTTTTTT', 'TTTTTTTACG', 'TTNTTTACGT']

  it('argmax: finds the window per sequence on the forward strand', async () => {
    const model = convModel({ length: 10, kernels: [acg, dead], biases: [-2, -5] })
    const r = await extractFilterMotifs(model, memoryDataset(seqs), [0, 1, 2, 3, 4], { minSites: 2, pseudocount: 0 })
    expect(r.positions).toBe(8)
    const pos = Array.from({ length: 5 }, (_, s) => r.argmaxPositions[s * 2])
    expect(pos).toEqual([5, 0, 0, 7, 6]) // sequence 2 never fires: argmax of all-zero is 0
    expect(Array.from({ length: 5 }, (_, s) => r.maxActivations[s * 2])).toEqual([1, 1, 0, 1, 1])
    const f0 = r.filters[0]
    expect(f0.sites).toBe(4)
    expect(f0.skipped).toBeNull()
    expect(f0.counts.rows).toEqual([
      [4, 0, 0, 0],
      [0, 4, 0, 0],
      [0, 0, 4, 0],
    ])
    expect(f0.matrix.rows[0]).toEqual([1, 0, 0, 0])
    expect(f0.ic.total).toBeCloseTo(6, 10)
    expect(f0.consensus).toBe('ACG')
    expect(r.filters[1].sites).toBe(0)
    expect(r.filters[1].skipped).toBe('only 0 of 5 sequences activate it above 0 (need 2)')
    // the data background counts every non-N letter, with one pseudocount each
    const total = 49 + 4
    expect(r.background[3]).toBeCloseTo((seqs.join('').split('T').length - 1 + 1) / total, 12)
    expect(r.ids).toEqual(['seq0', 'seq1', 'seq2', 'seq3', 'seq4'])
  })

  it('threshold: counts every window above half the maximum', async () => {
    const model = convModel({ length: 10, kernels: [acg, dead], biases: [-2, -5] })
    const r = await extractFilterMotifs(model, memoryDataset(['ACGACGTTTT', ...seqs]), [0, 1, 2, 3, 4, 5], { method: 'threshold', minSites: 1, pseudocount: 0 })
    expect(r.filters[0].sites).toBe(6) // two in the first sequence, one in four others
    expect(r.filters[0].counts.rows[1]).toEqual([0, 6, 0, 0])
    expect(r.filters[1].skipped).toContain('only 0 windows pass 0.5 x its maximum activation')
  })

  it("reads windows the same way for 'same' padding and for batch norm + ReLU", async () => {
    const same = convModel({ length: 10, kernels: [acg], biases: [-2], padding: 'same' })
    const r = await extractFilterMotifs(same, memoryDataset(seqs), [0, 1, 3], { minSites: 1, pseudocount: 0 })
    expect(r.positions).toBe(10)
    expect([r.argmaxPositions[0], r.argmaxPositions[1], r.argmaxPositions[2]]).toEqual([5, 0, 7])
    expect(r.filters[0].counts.rows).toEqual([
      [3, 0, 0, 0],
      [0, 3, 0, 0],
      [0, 0, 3, 0],
    ])
    const thr = await extractFilterMotifs(same, memoryDataset(seqs), [0, 1, 3], { method: 'threshold', minSites: 1, pseudocount: 0 })
    expect(thr.filters[0].counts.rows).toEqual(r.filters[0].counts.rows)
    const bn = convModel({ length: 10, kernels: [acg], biases: [-2], batchNorm: true })
    const b = await extractFilterMotifs(bn, memoryDataset(seqs), [0, 1, 3], { minSites: 1, pseudocount: 0 })
    expect(b.filters[0].counts.rows).toEqual(r.filters[0].counts.rows)
  })

  it('spreads an N in a site over the letters', async () => {
    const model = convModel({ length: 10, kernels: [acg], biases: [-2] })
    const r = await extractFilterMotifs(model, memoryDataset(['TTTTTACNTT']), [0], { minSites: 1, pseudocount: 0, minActivation: -1 })
    // ACN scores 2 + 0.25 - 2 = 0.25 with the uniform encoding of N
    expect(r.maxActivations[0]).toBeCloseTo(0.25, 6)
    expect(r.filters[0].counts.rows[2]).toEqual([0.25, 0.25, 0.25, 0.25])
  })

  it('stops when cancelled', async () => {
    const model = convModel({ length: 10, kernels: [acg], biases: [-2] })
    const ac = new AbortController()
    ac.abort()
    await expect(extractFilterMotifs(model, memoryDataset(seqs), [0, 1], { signal: ac.signal })).rejects.toThrow('motif extraction cancelled')
  })
})

describe('recovering a planted PWM from a filter set to its log-odds', () => {
  const rand = rng(7)
  const L = 60
  const seqs = Array.from({ length: 300 }, () => plant(randomSequence(rand, L), sampleSite(rand, PWM), Math.floor(rand() * (L - 8))))
  const kernel = logOddsKernel(PWM)
  // bias: a site with two mismatches still fires, random windows rarely do
  const best = kernel.reduce((a, r) => a + Math.max(...r), 0)

  for (const method of ['argmax', 'threshold'] as const) {
    it(`${method}: the matrix matches the PWM`, async () => {
      const model = convModel({ length: L, kernels: [kernel], biases: [-best / 4] })
      const progress: number[] = []
      const r = await extractFilterMotifs(model, memoryDataset(seqs), Uint32Array.from(seqs.keys()), {
        method,
        batchSize: 64,
        onProgress: (p) => progress.push(p.done),
      })
      const f = r.filters[0]
      let maxDiff = 0
      f.matrix.rows.forEach((row, j) => row.forEach((p, k) => (maxDiff = Math.max(maxDiff, Math.abs(p - PWM[j][k])))))
      if (method === 'argmax') {
        // one site per sequence: the planted one in nearly all of them, an unbiased sample
        expect(f.sites).toBeGreaterThanOrEqual(260)
        expect(maxDiff).toBeLessThan(0.1)
      } else {
        // only strong windows pass half the maximum: same motif, sharper columns
        expect(f.sites).toBeGreaterThanOrEqual(150)
        expect(maxDiff).toBeLessThan(0.25)
      }
      expect(f.consensus).toBe('TGACTCAT')
      expect(f.trimmed).toMatchObject({ start: 0, end: 8 })
      expect(f.histogram.counts.reduce((a, b) => a + b, 0)).toBe(300)
      expect(progress.slice(0, 5)).toEqual([64, 128, 192, 256, 300])
    })
  }

  it('gives the Motifs view its logos', async () => {
    const model = convModel({ length: L, kernels: [kernel, kernel.map((r) => r.map(() => -1))], biases: [-best / 2, -1] })
    const out = await filterLogosForRun(model, memoryDataset(seqs))
    expect(out.filters.map((f) => f.index)).toEqual([0])
    expect(out.filters[0].matrix.letters).toBe('ACGT')
    expect(out.filters[0].ic).toBeGreaterThan(8)
    expect(out.skipped).toEqual([{ index: 1, reason: 'only 0 of 300 sequences activate it above 0 (need 10)' }])
  })
})

describe('threshold counts against a brute force', () => {
  it('matches summing every window above half the maximum, filter by filter', async () => {
    const rand = rng(11)
    const W = 5
    const kernels = Array.from({ length: 3 }, () => Array.from({ length: W }, () => Array.from({ length: 4 }, () => rand() * 2 - 1)))
    const seqs = Array.from({ length: 20 }, () => randomSequence(rand, 30))
    const model = convModel({ length: 30, kernels, biases: [0.1, -0.2, 0] })
    const r = await extractFilterMotifs(model, memoryDataset(seqs), Uint32Array.from(seqs.keys()), { method: 'threshold', batchSize: 7, minSites: 1, pseudocount: 0 })
    kernels.forEach((k, f) => {
      const score = (s: string, t: number): number =>
        Math.max(0, k.reduce((a, row, j) => a + row['ACGT'.indexOf(s[t + j])], [0.1, -0.2, 0][f]))
      const max = Math.max(...seqs.flatMap((s) => Array.from({ length: 30 - W + 1 }, (_, t) => score(s, t))))
      const counts = Array.from({ length: W }, () => [0, 0, 0, 0])
      let sites = 0
      for (const s of seqs)
        for (let t = 0; t <= 30 - W; t++)
          if (score(s, t) > 0.5 * max) {
            sites++
            for (let j = 0; j < W; j++) counts[j]['ACGT'.indexOf(s[t + j])]++
          }
      expect(r.filters[f].maxActivation).toBeCloseTo(max, 5)
      expect(r.filters[f].sites).toBe(sites)
      expect(r.filters[f].counts.rows).toEqual(counts)
    })
  })
})

describe('scan worker threads', () => {
  it('give the same sites as scanning on this thread', async () => {
    const rand = rng(21)
    const W = 7
    const kernels = Array.from({ length: 6 }, () => Array.from({ length: W }, () => Array.from({ length: 4 }, () => rand() * 2 - 1)))
    const seqs = Array.from({ length: 90 }, () => randomSequence(rand, 80))
    const data = memoryDataset(seqs)
    const model = convModel({ length: 80, kernels, biases: kernels.map(() => -0.5), batchNorm: true })
    for (const method of ['argmax', 'threshold'] as const) {
      const here = await extractFilterMotifs(model, data, data.indices('all'), { method, workers: 0, batchSize: 16 })
      const there = await extractFilterMotifs(model, data, data.indices('all'), { method, workers: 2, batchSize: 16 })
      expect(here.scanner).toBe('cpu on the main thread')
      expect(there.scanner).toMatch(/ x 2 workers$/)
      expect(Array.from(there.argmaxPositions)).toEqual(Array.from(here.argmaxPositions))
      there.maxActivations.forEach((v, i) => expect(v).toBeCloseTo(here.maxActivations[i], 4))
      there.filters.forEach((f, i) => {
        expect(f.sites).toBe(here.filters[i].sites)
        expect(f.counts.rows).toEqual(here.filters[i].counts.rows)
      })
    }
  })
})

describe('input checks', () => {
  it('rejects data of another length or alphabet', async () => {
    const model = convModel({ length: 12, kernels: [[[1, 0, 0, 0]]], biases: [0], name: 'toy' })
    await expect(extractFilterMotifs(model, memoryDataset(['ACGT']), [0])).rejects.toThrow(
      "model 'toy' reads sequences of 12 positions but the data has 4; use --length 12",
    )
  })
})
