import { describe, expect, it } from 'vitest'
import { decodeCodes, encodeLetters } from '../../src/main/data/alphabet.js'
import { Rng } from '../../src/main/data/rng.js'
import { dinucleotideShuffle } from '../../src/main/data/shuffle.js'
import { randomDna } from './helpers.js'

function doublets(s: string): Map<string, number> {
  const m = new Map<string, number>()
  for (let i = 0; i + 1 < s.length; i++) m.set(s.slice(i, i + 2), (m.get(s.slice(i, i + 2)) ?? 0) + 1)
  return new Map([...m].sort())
}

describe('dinucleotideShuffle', () => {
  it('keeps dinucleotide counts and the first and last letter, with N as a fifth letter', () => {
    const rng = new Rng(1)
    for (let k = 0; k < 50; k++) {
      const s = randomDna(5 + k * 7, k).replace(/A(?=C)/g, (m, i: number) => (i % 5 === 0 ? 'N' : m))
      const out = decodeCodes(dinucleotideShuffle(encodeLetters(s, 'dna'), rng), 'dna')
      expect(doublets(out)).toEqual(doublets(s))
      expect(out[0]).toBe(s[0])
      expect(out[out.length - 1]).toBe(s[s.length - 1])
    }
  })

  it('is seeded and changes long sequences', () => {
    const s = encodeLetters(randomDna(500, 4), 'dna')
    const a = dinucleotideShuffle(s, new Rng(9))
    const b = dinucleotideShuffle(s, new Rng(9))
    expect(Array.from(a)).toEqual(Array.from(b))
    expect(Array.from(a)).not.toEqual(Array.from(s))
  })

  it('draws every sequence with the same doublets about equally often (Altschul-Erickson uniformity)', () => {
    const s = 'ACGTTACGGA'
    // All sequences of this length with the same first letter and doublet counts, by brute force.
    const target = JSON.stringify([...doublets(s)])
    const all = new Set<string>()
    const letters = 'ACGT'
    for (let x = 0; x < 4 ** (s.length - 1); x++) {
      let cand = s[0]
      for (let k = 0, v = x; k < s.length - 1; k++, v >>= 2) cand += letters[v & 3]
      if (JSON.stringify([...doublets(cand)]) === target) all.add(cand)
    }
    expect(all.size).toBeGreaterThan(3)
    const counts = new Map<string, number>()
    const rng = new Rng(12345)
    const draws = 400 * all.size
    const codes = encodeLetters(s, 'dna')
    for (let d = 0; d < draws; d++) {
      const out = decodeCodes(dinucleotideShuffle(codes, rng), 'dna')
      counts.set(out, (counts.get(out) ?? 0) + 1)
    }
    expect(new Set(counts.keys())).toEqual(all)
    for (const c of counts.values()) {
      expect(c).toBeGreaterThan(300)
      expect(c).toBeLessThan(500)
    }
  })
})
