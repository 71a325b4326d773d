import { describe, expect, it } from 'vitest'
import { benjaminiHochberg, compareMany, compareMotifs, survivalAt, loadMotifDatabase, probabilityMatrix, reverseComplement, type Motif } from '../../src/main/motifs/index.js'
import { rng } from './fixtures.js'

const db = loadMotifDatabase()
const byId = (id: string): Motif => {
  const m = db.motifs.find((x) => x.id === id)
  if (!m) throw new Error(`no ${id}`)
  return m
}

describe('compareMotifs against the bundled JASPAR', () => {
  it('finds a database motif as its own best match, offset 0, forward strand', () => {
    const ctcf = byId('MA0139.2')
    const [top] = compareMotifs(ctcf.matrix, db)
    expect(top).toMatchObject({ id: 'MA0139.2', name: 'CTCF', offset: 0, strand: '+', overlap: ctcf.matrix.rows.length })
    expect(top.score).toBeCloseTo(ctcf.matrix.rows.length, 6)
    expect(top.pValue).toBeLessThan(1e-15)
    expect(top.eValue).toBeCloseTo(top.pValue * 879, 20)
    expect(top.qValue).toBeLessThan(1e-12)
  })

  it('finds the reverse complement on the minus strand', () => {
    const [top] = compareMotifs(reverseComplement(byId('MA0139.2').matrix), db)
    expect(top).toMatchObject({ id: 'MA0139.2', offset: 0, strand: '-' })
  })

  it('reports the offset of a shifted query (query column i over target column i + offset)', () => {
    const fos = byId('MA0099.4').matrix
    const u = [0.25, 0.25, 0.25, 0.25]
    const shifted = probabilityMatrix('ACGT', [u, u, u, ...fos.rows])
    const [top] = compareMotifs(shifted, db, { top: 1 })
    expect(top.offset).toBe(-3)
    expect(top.overlap).toBe(fos.rows.length)
    const part = probabilityMatrix('ACGT', fos.rows.slice(2))
    const hit = compareMotifs(part, db, { top: 50 }).find((m) => m.id === 'MA0099.4')
    expect(hit).toMatchObject({ offset: 2, strand: '+' })
  })

  it('gives a random query no significant match', () => {
    const rand = rng(1)
    const rows = Array.from({ length: 10 }, () => {
      const r = [0, 0, 0, 0].map(() => 1 + rand())
      const s = r.reduce((a, b) => a + b, 0)
      return r.map((v) => v / s)
    })
    const [top] = compareMotifs(probabilityMatrix('ACGT', rows), db)
    expect(top.qValue).toBeGreaterThan(0.05)
  })

  it('matches many queries on worker threads as it does one by one', async () => {
    const queries = ['MA0139.2', 'MA0002.3', 'MA0506.3', 'MA0099.4', 'MA0079.5'].map((id) => byId(id).matrix)
    const serial = queries.map((q) => compareMotifs(q, db, { top: 3 }))
    expect(await compareMany(queries, db, { top: 3, workers: 2 })).toEqual(serial)
    expect(await compareMany(queries, db, { top: 3, workers: 1 })).toEqual(serial)
  })

  it('rejects a query of another alphabet', () => {
    expect(() => compareMotifs(probabilityMatrix('01', [[0.5, 0.5]]), db)).toThrow(
      "motif comparison: the query has letters '01' but the database 'ACGT'; use a database of the same alphabet",
    )
  })
})

describe('p-values', () => {
  it('come from the convolved column nulls (checked by enumeration)', () => {
    // Protein: one strand, and a 2-column query against 2-column targets has one alignment,
    // so the reported p is the raw tail probability.
    const letters = 'ACDEFGHIKLMNPQRSTVWY'
    const rand = rng(9)
    const col = (): number[] => {
      const r = Array.from({ length: 20 }, () => rand() ** 3)
      const s = r.reduce((a, b) => a + b, 0)
      return r.map((v) => v / s)
    }
    const motifs: Motif[] = Array.from({ length: 30 }, (_, t) => ({ id: `m${t}`, name: `m${t}`, matrix: probabilityMatrix(letters, [col(), col()]) }))
    const query = probabilityMatrix(letters, [col(), col()])
    const delta = 0.04
    const pcc = (x: number[], y: number[]): number => {
      const mx = x.reduce((a, b) => a + b, 0) / x.length
      const my = y.reduce((a, b) => a + b, 0) / y.length
      let sxy = 0
      let sxx = 0
      let syy = 0
      x.forEach((v, k) => {
        sxy += (v - mx) * (y[k] - my)
        sxx += (v - mx) ** 2
        syy += (y[k] - my) ** 2
      })
      return sxy / Math.sqrt(sxx * syy)
    }
    const g = (v: number): number => Math.round(v / delta)
    // the null: each query column's grid scores against every database column
    const dbCols = motifs.flatMap((m) => m.matrix.rows)
    const null0 = dbCols.map((c) => g(pcc(query.rows[0], c)))
    const null1 = dbCols.map((c) => g(pcc(query.rows[1], c)))
    const matches = compareMotifs(query, motifs, { top: Infinity, minOverlap: 2, binWidth: delta })
    expect(matches).toHaveLength(30)
    // the null of the sum by enumerating every pair of database columns, as a survival
    // function over grid sums k = -2 half .. 2 half (index k + 2 half)
    const half = Math.ceil(1 / delta)
    const sf = new Float64Array(4 * half + 1)
    for (const a of null0) for (const b of null1) sf[a + b + 2 * half]++
    for (let k = sf.length - 2; k >= 0; k--) sf[k] += sf[k + 1]
    for (let k = 0; k < sf.length; k++) sf[k] /= null0.length * null1.length
    for (const m of matches) {
      const t = motifs[m.index].matrix.rows
      const score = pcc(query.rows[0], t[0]) + pcc(query.rows[1], t[1])
      expect(m.offset).toBe(0)
      expect(m.score).toBeCloseTo(score, 12)
      expect(m.pValue).toBeCloseTo(survivalAt(sf, score / delta + 2 * half), 12)
    }
  })

  it('reads the survival function continuity-corrected and log-linearly between grid points', () => {
    const sf = Float64Array.from([1, 0.5, 0.1, 0.01])
    expect(survivalAt(sf, -1)).toBe(1)
    expect(survivalAt(sf, 0.5)).toBeCloseTo(0.5, 15) // grid point 1 sits at 0.5
    expect(survivalAt(sf, 1)).toBeCloseTo(Math.sqrt(0.5 * 0.1), 15)
    expect(survivalAt(sf, 9)).toBe(0.01)
    // a higher score never gets a larger p
    for (let x = -1; x < 4; x += 0.01) expect(survivalAt(sf, x + 0.01)).toBeLessThanOrEqual(survivalAt(sf, x))
  })

  it('q-values are Benjamini-Hochberg', () => {
    const q = benjaminiHochberg([0.01, 0.04, 0.03, 0.2])
    // sorted p: 0.01 0.03 0.04 0.2 -> p*m/rank: 0.04 0.06 0.0533 0.2 -> running minimum from the top
    expect(Array.from(q)).toEqual([0.04, 0.05333333333333334, 0.05333333333333334, 0.2].map((v) => expect.closeTo(v, 15)))
  })
})
