import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { DiskStore, DiskStoreWriter, MemoryStoreWriter, StatsOnlyWriter, chromFromId } from '../../src/main/data/store.js'
import { tempDir } from './helpers.js'

const dir = tempDir()

function fill(w: { add: MemoryStoreWriter['add'] }, n: number, targets: number) {
  for (let i = 0; i < n; i++) {
    const codes = Uint8Array.from({ length: 5 + (i % 7) }, (_, k) => (i * 7 + k) % 4)
    const labels = Uint8Array.from({ length: targets }, (_, t) => ((i + t) % 3 === 0 ? 1 : 0))
    w.add(`s${i}`, codes, labels, i % 2 ? 'chr1' : null, { fileIndex: 0, line: i + 1 })
  }
}

describe('packed stores', () => {
  it('memory and disk stores (labels in memory or read row by row) agree', () => {
    const mem = new MemoryStoreWriter(13)
    fill(mem, 500, 13)
    const m = mem.finish()
    const w = new DiskStoreWriter(13, join(dir, 'store-a'))
    fill(w, 500, 13)
    w.finish({})
    for (const limit of [1 << 20, 0]) {
      const d = DiskStore.open(join(dir, 'store-a'), { labelsInMemoryLimit: limit })!
      for (let i = 0; i < 500; i += 37) {
        expect(Array.from(d.rawCodes(i))).toEqual(Array.from(m.rawCodes(i)))
        expect(d.id(i)).toBe(m.id(i))
        for (let t = 0; t < 13; t++) expect(d.label(i, t)).toBe(m.label(i, t))
      }
      const rowsD: number[][] = []
      const rowsM: number[][] = []
      d.forEachLabelRow((_i, row) => rowsD.push(Array.from(row)))
      m.forEachLabelRow((_i, row) => rowsM.push(Array.from(row)))
      expect(rowsD).toEqual(rowsM)
      expect(Array.from(d.chromIndex)).toEqual(Array.from(m.chromIndex))
      expect(d.chroms).toEqual(['chr1'])
      d.close()
    }
  })

  it('counts letters and duplicate sequences whatever the byte alignment of the view', () => {
    const w = new StatsOnlyWriter(0)
    const backing = Uint8Array.from([9, 0, 1, 2, 3, 255, 1, 0, 1, 2, 3, 255, 1])
    w.add('a', backing.subarray(1, 7), new Uint8Array(0), null, { fileIndex: 0, line: 1 })
    w.add('b', Uint8Array.from([0, 1, 2, 3, 255, 1]), new Uint8Array(0), null, { fileIndex: 0, line: 2 })
    w.add('c', backing.subarray(7, 13), new Uint8Array(0), null, { fileIndex: 0, line: 3 })
    w.add('d', Uint8Array.from([0, 1, 2, 3, 255, 2]), new Uint8Array(0), null, { fileIndex: 0, line: 4 })
    expect(w.countDuplicateSequences()).toBe(2)
    expect(w.letterCounts(4)).toEqual([4, 7, 5, 4, 4])
    expect(w.findDuplicateId((i) => ['a', 'b', 'c', 'd'][i])).toBeNull()
  })

  it('reads chromosomes from ids', () => {
    expect(chromFromId('chr8:100-200')).toBe('chr8')
    expect(chromFromId('chrUn_gl000220:5-9(+)')).toBe('chrUn_gl000220')
    expect(chromFromId('seq1')).toBeNull()
    expect(chromFromId('chr1:abc')).toBeNull()
  })
})
