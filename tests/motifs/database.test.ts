import { describe, expect, it } from 'vitest'
import {
  BUNDLED_DATABASE,
  countMatrix,
  jasparToMeme,
  loadMotifDatabase,
  readMeme,
  readTransfac,
  writeJaspar,
  writeTransfac,
  type CountMotif,
} from '../../src/main/motifs/index.js'
import { python } from './python.js'

const arnt: CountMotif = {
  id: 'MA0004.1',
  name: 'Arnt',
  counts: countMatrix('ACGT', [[4, 16, 0, 0], [19, 0, 1, 0], [0, 20, 0, 0], [0, 0, 20, 0], [0, 0, 0, 20], [0, 0, 20, 0]]),
  annotations: { tf_family: 'PAS domain factors', data_type: 'SELEX' },
}

describe('count formats', () => {
  it('writes JASPAR format', () => {
    expect(writeJaspar([arnt])).toBe(
      ['>MA0004.1\tArnt', 'A  [   4  19   0   0   0   0 ]', 'C  [  16   0  20   0   0   0 ]', 'G  [   0   1   0  20   0  20 ]', 'T  [   0   0   0   0  20   0 ]', ''].join('\n'),
    )
  })

  it('JASPAR output parses with Biopython', () => {
    const out = python(
      `
import io, sys
from Bio import motifs
m = motifs.parse(io.StringIO(sys.stdin.read()), "jaspar")[0]
print(m.matrix_id, m.name, [int(v) for v in m.counts["A"]])
`,
      writeJaspar([arnt]),
    ).trim()
    expect(out).toBe('MA0004.1 Arnt [4, 19, 0, 0, 0, 0]')
  })

  it('round-trips TRANSFAC, and Biopython reads it', () => {
    const text = writeTransfac([arnt])
    expect(text).toContain('P0      A      C      G      T\n01     4.0    16.0     0.0     0.0\n')
    const back = readTransfac(text, 'x.transfac')
    expect(back).toEqual([arnt])
    const out = python(
      `
import io, sys
from Bio import motifs
m = motifs.parse(io.StringIO(sys.stdin.read()), "transfac")[0]
print(m["AC"], m["ID"], [int(v) for v in m.counts["C"]])
`,
      text,
    ).trim()
    expect(out).toBe('MA0004.1 Arnt [16, 0, 20, 0, 0, 0]')
  })

  it('reports malformed TRANSFAC rows with file and line', () => {
    expect(() => readTransfac('AC M1\nID m\nP0 A C G T\n01 1 2 3\n//\n', 'bad.txt')).toThrow('bad.txt:4: position 01 needs 4 counts (ACGT)')
  })

  it('converts JASPAR counts to MEME as JASPAR does', () => {
    const meme = readMeme(jasparToMeme([arnt]))
    expect(meme.motifs[0]).toMatchObject({ id: 'MA0004.1', name: 'Arnt', nsites: 20, url: 'https://jaspar.elixir.no/matrix/MA0004.1/' })
    expect(meme.motifs[0].matrix.rows[0]).toEqual([0.2, 0.8, 0, 0])
  })
})

describe('bundled JASPAR 2024 database', () => {
  const db = loadMotifDatabase()

  it('loads by default from resources/', () => {
    expect(db.path.endsWith(BUNDLED_DATABASE)).toBe(true)
    expect(db.letters).toBe('ACGT')
    expect(db.motifs).toHaveLength(879)
    expect(loadMotifDatabase()).toBe(db) // parsed once
  })

  it('holds the JASPAR matrices unchanged', () => {
    const a = db.motifs.find((m) => m.id === 'MA0004.1')
    expect(a?.name).toBe('Arnt')
    expect(a?.matrix.rows[1]).toEqual([0.95, 0, 0.05, 0])
    const ctcf = db.motifs.find((m) => m.id === 'MA0139.2')
    expect(ctcf?.name).toBe('CTCF')
    for (const m of db.motifs) for (const r of m.matrix.rows) expect(r.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 9)
    expect(new Set(db.motifs.map((m) => m.id)).size).toBe(879)
  })
})
