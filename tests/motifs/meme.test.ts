import { describe, expect, it } from 'vitest'
import { countMatrix, countsToProbabilities, readMeme, writeMeme, type Motif } from '../../src/main/motifs/index.js'
import { python } from './python.js'

const arnt: Motif = {
  id: 'MA0004.1',
  name: 'Arnt',
  matrix: countsToProbabilities(countMatrix('ACGT', [[4, 16, 0, 0], [19, 0, 1, 0], [0, 20, 0, 0], [0, 0, 20, 0], [0, 0, 0, 20], [0, 0, 20, 0]])),
  nsites: 20,
  url: 'https://jaspar.elixir.no/matrix/MA0004.1/',
}
const filter: Motif = {
  id: 'filter_3',
  name: 'CACGTG like',
  matrix: countsToProbabilities(countMatrix('ACGT', [[10, 70, 10, 10], [80, 5, 10, 5], [3, 90, 4, 3]]), { pseudocount: 1 }),
  nsites: 812,
  evalue: 3.2e-12,
}

describe('writeMeme', () => {
  const text = writeMeme([arnt, filter], 'ACGT', { background: [0.3, 0.2, 0.2, 0.3] })

  it('writes MEME version 4 minimal format for DNA', () => {
    expect(text.split('\n').slice(0, 14)).toEqual([
      'MEME version 4',
      '',
      'ALPHABET= ACGT',
      '',
      'strands: + -',
      '',
      'Background letter frequencies',
      'A 0.3000 C 0.2000 G 0.2000 T 0.3000',
      '',
      'MOTIF MA0004.1 Arnt',
      'letter-probability matrix: alength= 4 w= 6 nsites= 20 E= 0',
      ' 0.200000 0.800000 0.000000 0.000000',
      ' 0.950000 0.000000 0.050000 0.000000',
      ' 0.000000 1.000000 0.000000 0.000000',
    ])
    expect(text).toContain('MOTIF filter_3 CACGTG_like\nletter-probability matrix: alength= 4 w= 3 nsites= 812 E= 3.2e-12\n')
  })

  it('parses with Biopython (Bio.motifs.parse(handle, "minimal"))', () => {
    const out = JSON.parse(
      python(
        `
import io, json, sys
from Bio import motifs
record = motifs.parse(io.StringIO(sys.stdin.read()), "minimal")
print(json.dumps([{"name": m.name, "length": m.length, "nsites": m.num_occurrences, "evalue": m.evalue,
  "pwm": [[m.pwm[l][i] for l in "ACGT"] for i in range(m.length)], "background": m.background} for m in record]))
`,
        text,
      ),
    ) as { name: string; length: number; nsites: number; evalue: number; pwm: number[][]; background: Record<string, number> }[]
    expect(out.map((m) => [m.name, m.length, m.nsites])).toEqual([
      ['MA0004.1', 6, 20],
      ['filter_3', 3, 812],
    ])
    expect(out[1].evalue).toBeCloseTo(3.2e-12, 20)
    expect(out[0].background).toEqual({ A: 0.3, C: 0.2, G: 0.2, T: 0.3 })
    // Biopython rebuilds counts as round(p * nsites): compare within that rounding
    out[1].pwm.forEach((row, i) => row.forEach((v, k) => expect(Math.abs(v - filter.matrix.rows[i][k])).toBeLessThan(1 / 812)))
  })

  it('round-trips through readMeme', () => {
    const file = readMeme(text, 'x.meme')
    expect(file.version).toBe('4')
    expect(file.letters).toBe('ACGT')
    expect(file.strands).toEqual(['+', '-'])
    expect(file.background).toEqual([0.3, 0.2, 0.2, 0.3])
    expect(file.motifs.map((m) => [m.id, m.name, m.nsites, m.url])).toEqual([
      ['MA0004.1', 'Arnt', 20, 'https://jaspar.elixir.no/matrix/MA0004.1/'],
      ['filter_3', 'CACGTG_like', 812, undefined],
    ])
    file.motifs[1].matrix.rows.forEach((r, i) => r.forEach((v, k) => expect(v).toBeCloseTo(filter.matrix.rows[i][k], 5)))
  })
})

describe('other alphabets', () => {
  it('writes RNA and protein with their alphabet line and no strands', () => {
    const rna = writeMeme([{ id: 'r', name: 'r', matrix: { ...arnt.matrix, letters: 'ACGU' } }], 'ACGU')
    expect(rna).toContain('ALPHABET= ACGU\n')
    expect(rna).not.toContain('strands')
    expect(readMeme(rna).letters).toBe('ACGU')
    const letters = 'ACDEFGHIKLMNPQRSTVWY'
    const prot = writeMeme([{ id: 'p', name: 'p', matrix: { kind: 'probability', letters, rows: [new Array(20).fill(0.05)] } }], letters)
    expect(prot).toContain(`ALPHABET= ${letters}\n`)
    expect(prot).toContain('alength= 20 w= 1')
    expect(readMeme(prot).motifs[0].matrix.rows[0]).toHaveLength(20)
  })

  it('writes binary as a MEME custom alphabet and reads it back', () => {
    const text = writeMeme([{ id: 'b', name: 'b', matrix: { kind: 'probability', letters: '01', rows: [[0.9, 0.1], [0.2, 0.8]] } }], '01')
    expect(text).toContain('ALPHABET "binary"\n0 "zero" 6B6B6B\n1 "one" 7B2D8E\nEND ALPHABET\n')
    expect(text).not.toContain('strands')
    const file = readMeme(text)
    expect(file.letters).toBe('01')
    expect(file.alphabetName).toBe('binary')
    expect(file.motifs[0].matrix.rows).toEqual([
      [0.9, 0.1],
      [0.2, 0.8],
    ])
  })

  it('reads complementary custom alphabets (MEME DNA-like definitions)', () => {
    const text = [
      'MEME version 5',
      'ALPHABET "DNA" DNA-LIKE',
      'A "Adenine" CC0000 ~ T "Thymine" 008000',
      'C "Cytosine" 0000CC ~ G "Guanine" FFB300',
      'N "Any base" = ACGT',
      'END ALPHABET',
      'MOTIF m1',
      'letter-probability matrix: alength= 4 w= 1',
      '0.1 0.2 0.3 0.4',
    ].join('\n')
    const file = readMeme(text)
    expect(file.letters).toBe('ATCG')
    expect(file.motifs[0].matrix.rows[0]).toEqual([0.1, 0.2, 0.3, 0.4].map((v) => expect.closeTo(v, 12)))
  })
})

describe('readMeme errors', () => {
  const head = 'MEME version 4\n\nALPHABET= ACGT\n\n'
  it('names the file and line', () => {
    expect(() => readMeme('hello', 'a.meme')).toThrow("a.meme:1: no 'MEME version' line; this is not a MEME motif file")
    expect(() => readMeme(`${head}MOTIF m\nletter-probability matrix: alength= 4 w= 2\n0.1 0.2 0.7\n`, 'b.meme')).toThrow(
      'b.meme:7: matrix row has 3 values, expected 4 (ACGT)',
    )
    expect(() => readMeme(`${head}MOTIF m\nletter-probability matrix: alength= 4 w= 2\n0.1 0.2 0.3 0.4\n`, 'c.meme')).toThrow(
      'c.meme:7: motif m has 1 rows but w= 2',
    )
    expect(() => readMeme(`${head}MOTIF m\nletter-probability matrix: alength= 4 w= 1\n0.5 0.5 0.5 0.5\n`, 'd.meme')).toThrow(
      'd.meme:5: motif m: probability matrix: position 1 sums to 2.000000, not 1; normalise the rows',
    )
    expect(() => readMeme(`${head}MOTIF m\n\nMOTIF n\n`, 'e.meme')).toThrow("e.meme:5: motif m has no 'letter-probability matrix:' line")
  })
})
