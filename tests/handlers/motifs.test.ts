import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { motifHandlers, motifIndices, MATCHES_PER_FILTER, TOP_SEQUENCES } from '../../src/main/handlers/motifs.js'
import { loadMotifDatabase } from '../../src/main/motifs/database.js'
import { reverseComplementRows } from '../../src/shared/logo/index.js'
import type { MotifAnalysis } from '../../src/shared/views.js'
import { trainedRun, type TrainedRun } from './helpers.js'

let t: TrainedRun
let handlers: ReturnType<typeof motifHandlers>
let analysis: MotifAnalysis

beforeAll(async () => {
  t = await trainedRun()
  handlers = motifHandlers(t.deps)
  analysis = await handlers['run:motifs']({ runId: t.runId, method: 'argmax', database: null })
}, 120_000)

afterAll(async () => {
  const open = await t.deps.runs.open(t.runId).catch(() => null)
  open?.model.dispose()
  open?.dataset.close()
  rmSync(t.root, { recursive: true, force: true })
})

describe('run:motifs', () => {
  it('reads every first-layer filter on the positive sequences and matches it against JASPAR', async () => {
    expect(analysis.runId).toBe(t.runId)
    expect(analysis.method).toBe('argmax')
    expect(analysis.database).toBe('JASPAR 2024 CORE vertebrates (non-redundant)')
    expect(analysis.filters.map((f) => f.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7])
    // the default set: the 150 positives (pos.fa) of the planted demo
    const open = await t.deps.runs.open(t.runId)
    expect(analysis.sequences).toBe(150)
    expect(motifIndices(open.dataset).every((i) => open.dataset.label(i, 0) === 1)).toBe(true)
    expect(analysis.background.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6)
    const usable = analysis.filters.filter((f) => !f.skipped)
    expect(usable.length).toBeGreaterThan(0)
    for (const f of analysis.filters) {
      expect(f.matrix.rows).toHaveLength(12)
      expect(f.sites).toBeLessThanOrEqual(150)
      expect(f.influence).not.toBeNull()
      if (f.skipped) expect(f.matches).toEqual([])
    }
  })

  it('keeps the best 3 matches, with the database matrix oriented on the matched strand', () => {
    const db = loadMotifDatabase()
    const withMatches = analysis.filters.filter((f) => f.matches.length > 0)
    expect(withMatches.length).toBeGreaterThan(0)
    let minus = 0
    for (const f of withMatches) {
      expect(f.matches).toHaveLength(MATCHES_PER_FILTER)
      const p = f.matches.map((m) => m.pValue)
      expect(p).toEqual([...p].sort((a, b) => a - b))
      for (const m of f.matches) {
        const stored = db.motifs.find((x) => x.id === m.id)
        expect(stored?.name).toBe(m.name)
        const expected = m.strand === '-' ? reverseComplementRows(stored!.matrix).rows : stored!.matrix.rows
        expect(m.matrix.rows).toEqual(expected)
        if (m.strand === '-') minus++
        expect(m.qValue).toBeGreaterThanOrEqual(m.pValue)
      }
    }
    expect(minus).toBeGreaterThan(0) // both strands occur among 24 matches
  })

  it('caches the result in the run folder, keyed by method and database', async () => {
    const json = join(t.runDir, 'motifs', 'argmax-jaspar2024.json')
    expect(existsSync(json)).toBe(true)
    const before = statSync(json).mtimeMs
    const again = await handlers['run:motifs']({ runId: t.runId, method: 'argmax', database: null })
    expect(again).toEqual(analysis)
    expect(statSync(json).mtimeMs).toBe(before) // read, not recomputed
  })

  it('uses another MEME database given as a file, cached under its own key', async () => {
    const truth = join(t.dataDir, 'truth.meme')
    const r = await handlers['run:motifs']({ runId: t.runId, method: 'threshold', database: truth })
    expect(r.method).toBe('threshold')
    expect(r.database).toBe('truth.meme')
    for (const f of r.filters.filter((x) => x.matches.length)) {
      expect(f.matches.map((m) => m.name)).toEqual(['CTCF']) // the database holds one motif
    }
    const cached = readFileSync(join(t.runDir, 'motifs', 'current.json'), 'utf8')
    expect(JSON.parse(cached)).toEqual({ method: 'threshold', databasePath: truth })
    // back to the default for the other tests
    await handlers['run:motifs']({ runId: t.runId, method: 'argmax', database: null })
  })

  it('refuses a database outside the files the app may read', async () => {
    await expect(handlers['run:motifs']({ runId: t.runId, method: 'argmax', database: '/etc/passwd' })).rejects.toThrow('/etc/passwd')
  })
})

describe('run:filter', () => {
  it('gives histograms and the top windows of a filter', async () => {
    const f = analysis.filters.find((x) => !x.skipped)!
    const d = await handlers['run:filter']({ runId: t.runId, filter: f.index })
    expect(d.filter).toEqual(f)
    expect(d.activation.counts.reduce((a, b) => a + b, 0)).toBe(150)
    expect(d.positions.length).toBe(200 - 12 + 1)
    expect(d.positions.counts).toHaveLength(189)
    const fired = d.positions.counts.reduce((a, b) => a + b, 0)
    // argmax sites are the sequences where the filter fired
    expect(fired).toBe(f.sites)
    expect(d.top.length).toBe(Math.min(TOP_SEQUENCES, fired))
    const open = await t.deps.runs.open(t.runId)
    for (let k = 0; k < d.top.length; k++) {
      const s = d.top[k]
      if (k > 0) expect(s.activation).toBeLessThanOrEqual(d.top[k - 1].activation)
      expect(s.id).toBe(open.dataset.id(s.index))
      const letters = Array.from(open.dataset.codes(s.index).subarray(s.position, s.position + 12), (c) => 'ACGT'[c] ?? 'N').join('')
      expect(s.window).toBe(letters)
    }
  })

  it('falls back to JASPAR when the remembered database may not be read', async () => {
    const current = join(t.runDir, 'motifs', 'current.json')
    writeFileSync(current, JSON.stringify({ method: 'argmax', databasePath: '/etc/passwd' }))
    const d = await handlers['run:filter']({ runId: t.runId, filter: 0 })
    expect(d.filter).toEqual(analysis.filters[0])
    expect(JSON.parse(readFileSync(current, 'utf8'))).toEqual({ method: 'argmax', databasePath: null })
  })

  it('says when the filter does not exist', async () => {
    await expect(handlers['run:filter']({ runId: t.runId, filter: 99 })).rejects.toThrow(`run ${'test-run-1'} has 8 filters; filter 99 does not exist`)
  })
})
