import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { FILTER_COLUMNS, filterTable, writeFilterLogos, writePositionsTable } from '../../src/main/export/index.js'
import { compareMotifs, extractFilterMotifs, filterInfluence, loadMotifDatabase, type MotifMatch } from '../../src/main/motifs/index.js'
import { convModel, logOddsKernel, memoryDataset, plant, randomSequence, rng, sampleSite } from '../motifs/fixtures.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

const db = loadMotifDatabase()
const runx = db.motifs.find((m) => m.id === 'MA0002.3')!

async function extraction() {
  const rand = rng(12)
  const seqs = Array.from({ length: 60 }, (_, i) => {
    const s = randomSequence(rand, 40)
    return i % 2 ? plant(s, sampleSite(rand, runx.matrix.rows), 5 + (i % 20)) : s
  })
  const data = memoryDataset(seqs, seqs.map((_, i) => [i % 2]))
  const k = logOddsKernel(runx.matrix.rows)
  const model = convModel({ length: 40, kernels: [k, k.map((r) => r.map(() => -1))], biases: [-0.5 * k.reduce((a, r) => a + Math.max(...r), 0), -1] })
  const w = [tf.tensor2d([[3], [0]]), tf.tensor1d([-1])] // the output reads filter 0
  model.getLayer('output').setWeights(w)
  tf.dispose(w)
  const ex = await extractFilterMotifs(model, data, data.indices('all'), { minSites: 5 })
  const influence = await filterInfluence(model, data, data.indices('all'))
  const matches = new Map<number, MotifMatch | undefined>(ex.filters.filter((f) => !f.skipped).map((f) => [f.filter, compareMotifs(f.trimmed.matrix, db, { top: 1 })[0]]))
  return { ex, influence, matches }
}

describe('filter table', () => {
  it('has one row per filter with sites, information, influence and the best match', async () => {
    const { ex, influence, matches } = await extraction()
    const lines = filterTable(ex, { influence, matches }).replace(/\n$/, '').split('\n')
    expect(lines[0].split('\t')).toEqual([...FILTER_COLUMNS])
    expect(lines).toHaveLength(3)
    const row = Object.fromEntries(lines[1].split('\t').map((v, i) => [FILTER_COLUMNS[i], v]))
    expect(row.filter).toBe('0')
    expect(Number(row.sites)).toBe(ex.filters[0].sites)
    expect(row.match_id).toBe('MA0002.3')
    expect(row.match_name).toBe('Runx1')
    expect(Number(row.loss_delta)).toBeGreaterThan(0)
    const dead = Object.fromEntries(lines[2].split('\t').map((v, i) => [FILTER_COLUMNS[i], v]))
    expect(dead.skipped).toBe('only 0 of 60 sequences activate it above 0 (need 5)')
    expect(dead.match_id).toBe('')
  })

  it('writes per-sequence positions of filters that fired', async () => {
    const { ex } = await extraction()
    const dir = mkdtempSync(join(tmpdir(), 'motiflens-tsv-'))
    const n = writePositionsTable(join(dir, 'pos.tsv'), ex)
    const lines = readFileSync(join(dir, 'pos.tsv'), 'utf8').trimEnd().split('\n')
    expect(lines[0]).toBe('sequence_id\tfilter\tposition\tactivation')
    expect(lines).toHaveLength(n + 1)
    const fired = Array.from({ length: 60 }, (_, s) => ex.maxActivations[s * 2]).filter((a) => a > 0).length
    expect(n).toBe(fired)
    const [id, f, pos] = lines[1].split('\t')
    const s = ex.ids.indexOf(id)
    expect(Number(pos)).toBe(ex.argmaxPositions[s * 2 + Number(f)])
    expect(writePositionsTable(join(dir, 'all.tsv'), ex, { all: true })).toBe(120)
  })
})

describe('logo files', () => {
  it('writes a logo per usable filter, the sheet and the aligned match', async () => {
    const { ex, matches } = await extraction()
    const dir = mkdtempSync(join(tmpdir(), 'motiflens-logos-'))
    const files = writeFilterLogos(dir, ex, { format: 'svg', matches, database: db.motifs })
    expect(readdirSync(dir).sort()).toEqual(['filter_0.svg', 'filter_0_match.svg', 'filters_sheet.svg'])
    expect(files).toHaveLength(3)
    expect(readFileSync(join(dir, 'filter_0_match.svg'), 'utf8')).toContain('MA0002.3 Runx1')
    const png = writeFilterLogos(join(dir, 'png'), ex, { format: 'png', dpi: 150 })
    expect(png.map((p) => p.slice(p.lastIndexOf('/') + 1)).sort()).toEqual(['filter_0.png', 'filters_sheet.png'])
    expect(readFileSync(png[0]).subarray(1, 4).toString()).toBe('PNG')
  })
})
