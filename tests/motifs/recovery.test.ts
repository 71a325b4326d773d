import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, describe, expect, it } from 'vitest'
import {
  checkMotifRecovery,
  extractFilterMotifs,
  formatRecovery,
  loadMotifDatabase,
  plantedCorrelation,
  probabilityMatrix,
  readMeme,
  reverseComplement,
  writeMeme,
  type Motif,
} from '../../src/main/motifs/index.js'
import { convModel, logOddsKernel, memoryDataset, plant, randomSequence, rng, sampleSite } from './fixtures.js'
import { python } from './python.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const db = loadMotifDatabase()
const byId = (id: string): Motif => db.motifs.find((m) => m.id === id) as Motif
/** Distinct JASPAR motifs without a near-twin in the database: CTCF, RUNX1, NRF1. */
const PLANTED = ['MA0139.2', 'MA0002.3', 'MA0506.3'].map(byId)

describe('plantedCorrelation', () => {
  const ctcf = byId('MA0139.2').matrix
  it('is 1 for the motif itself, on either strand', () => {
    expect(plantedCorrelation(ctcf, ctcf)).toMatchObject({ r: expect.closeTo(1, 12), offset: 0, strand: '+' })
    expect(plantedCorrelation(ctcf, reverseComplement(ctcf))).toMatchObject({ r: expect.closeTo(1, 12), offset: 0, strand: '-' })
  })

  it('counts planted columns outside the filter as 0', () => {
    const w = ctcf.rows.length // 15 columns, none below 0.3 bits at the ends
    const half = probabilityMatrix('ACGT', ctcf.rows.slice(3, 11))
    const c = plantedCorrelation(ctcf, half)
    expect(c.columns).toBe(w)
    expect(c.offset).toBe(3)
    expect(c.r).toBeCloseTo(8 / w, 12)
    // overlap must reach 6 columns: a 5-column filter cannot match at all
    expect(plantedCorrelation(ctcf, probabilityMatrix('ACGT', ctcf.rows.slice(0, 5))).r).toBeLessThan(0.34)
  })
})

describe('recovering planted JASPAR motifs through extraction, MEME export and matching', () => {
  it('finds every planted motif in a filter that matches it in JASPAR', async () => {
    const rand = rng(2024)
    const L = 200
    const W = 17
    const seqs: string[] = []
    const labels: number[][] = []
    for (let i = 0; i < 600; i++) {
      let s = randomSequence(rand, L)
      const y = PLANTED.map(() => (rand() < 0.5 ? 1 : 0))
      PLANTED.forEach((m, t) => {
        if (!y[t]) return
        const site = sampleSite(rand, m.matrix.rows)
        s = plant(s, rand() < 0.5 ? site : [...site].reverse().map((l) => 'TGCA'['ACGT'.indexOf(l)]).join(''), 10 + t * 60 + Math.floor(rand() * 30))
      })
      seqs.push(s)
      labels.push(y)
    }
    // Filters 0-2: the planted motifs' log-odds centred in a 17-wide kernel; 3-6: random.
    const kernels = PLANTED.map((m) => {
      const k = logOddsKernel(m.matrix.rows)
      const pad = W - k.length
      const zero = [0, 0, 0, 0]
      return [...Array.from({ length: pad >> 1 }, () => zero), ...k, ...Array.from({ length: pad - (pad >> 1) }, () => zero)]
    })
    const biases = kernels.map((k) => -0.5 * k.reduce((a, r) => a + Math.max(...r), 0))
    for (let f = 0; f < 4; f++) {
      kernels.push(Array.from({ length: W }, () => Array.from({ length: 4 }, () => rand() - 0.5)))
      biases.push(0)
    }
    const model = convModel({ length: L, kernels, biases, targets: 3 })
    const data = memoryDataset(seqs, labels)
    const result = await extractFilterMotifs(model, data, data.indices('all'), { batchSize: 100 })

    // The MEME export of the filters parses with Biopython ...
    const usable = result.filters.filter((f) => !f.skipped)
    const meme = writeMeme(
      usable.map((f) => ({ id: `filter_${f.filter}`, name: f.consensus, matrix: f.matrix, nsites: f.sites })),
      'ACGT',
      { background: result.background },
    )
    const parsed = python('import io,sys\nfrom Bio import motifs\nprint(len(motifs.parse(io.StringIO(sys.stdin.read()), "minimal")))', meme).trim()
    expect(Number(parsed)).toBe(usable.length)

    // ... and the check, run on what was read back from it, passes.
    const fromFile = readMeme(meme).motifs.map((m) => ({ filter: Number(m.id.slice(7)), matrix: m.matrix }))
    const report = checkMotifRecovery(fromFile, PLANTED, db)
    expect(report.passed, formatRecovery(report)).toBe(true)
    expect(report.motifs.map((m) => m.filter)).toEqual([0, 1, 2])
    for (const m of report.motifs) expect(m.correlation.r).toBeGreaterThan(0.9)
    // the planted motif beats every other database motif, by orders of magnitude
    for (const m of report.motifs) expect(m.margin).toBeGreaterThan(1)
  })

  it('can accept a paralog the database cannot tell apart (same p-value)', () => {
    // HNF4G's matrix as the "filter", HNF4A planted: near-identical, tied p-values
    const hnf4g = byId('MA0484.3')
    const strict = checkMotifRecovery([{ filter: 0, matrix: hnf4g.matrix }], [byId('MA0114.5')], db)
    expect(strict.motifs[0]).toMatchObject({ passed: false, plantedRank: 2, plantedTiedBest: true })
    expect(strict.motifs[0].bestMatch?.id).toBe('MA0484.3')
    expect(strict.motifs[0].correlation.r).toBeGreaterThan(0.95)
    // margin: log10(p of HNF4G / p of HNF4A), <= 0 as HNF4G ranks first, > -log10(2) as tied
    expect(strict.motifs[0].margin).toBeLessThanOrEqual(0)
    expect(strict.motifs[0].margin).toBeGreaterThan(-Math.log10(2))
    expect(checkMotifRecovery([{ filter: 0, matrix: hnf4g.matrix }], [byId('MA0114.5')], db, { acceptTies: true }).passed).toBe(true)
  })

  it('fails when a planted motif was not learned', () => {
    const random = probabilityMatrix('ACGT', Array.from({ length: 12 }, (_, i) => [0.4, 0.2, 0.2, 0.2].map((v, k) => (k === i % 4 ? 0.4 : 0.2))))
    const report = checkMotifRecovery([{ filter: 0, matrix: PLANTED[0].matrix }, { filter: 1, matrix: random }], PLANTED.slice(0, 2), db)
    expect(report.passed).toBe(false)
    expect(report.motifs[0].passed).toBe(true)
    expect(report.motifs[1].passed).toBe(false)
    expect(formatRecovery(report)).toContain('FAIL MA0002.3 Runx1')
  })
})
