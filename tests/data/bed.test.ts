import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeCodes } from '../../src/main/data/alphabet.js'
import { gcFraction } from '../../src/main/data/background.js'
import { OverlapIndex } from '../../src/main/data/bed.js'
import { buildFai, openGenome } from '../../src/main/data/genome.js'
import { statInput } from '../../src/main/data/fasta.js'
import { loadDataset } from '../../src/main/data/load.js'
import { errorOf, fastaText, randomDna, tempDir, twoBitBytes, writeFixture } from './helpers.js'

const dir = tempDir()
const cacheDir = join(dir, 'cache')
// Two chromosomes; chr2 is GC-rich in its second half so GC matching has something to match.
const chr1 = randomDna(3000, 1)
const chr2 = randomDna(1500, 2) + randomDna(1500, 3).replace(/[AT]/g, (m, i: number) => (i % 3 ? 'G' : m))
const genomeFa = writeFixture(dir, 'genome.fa', fastaText([['chr1', chr1], ['chr2 some description', chr2]], 70))
const genome2bit = writeFixture(dir, 'genome.2bit', twoBitBytes([['chr1', chr1], ['chr2', chr2]]))

describe('genome access', () => {
  it('builds a samtools-style .fai into the cache folder, not beside the genome', async () => {
    const fai = await buildFai(await statInput(genomeFa))
    const text = readFileSync(genomeFa, 'latin1')
    const chr2Start = text.indexOf('\n', text.indexOf('>chr2')) + 1
    expect(fai).toBe(`chr1\t3000\t6\t70\t71\nchr2\t3000\t${chr2Start}\t70\t71\n`)
    // CRLF line ends count in the line width, as samtools has it.
    const crlf = writeFixture(dir, 'crlf.fa', fastaText([['c', chr1.slice(0, 25)]], 10, '\r\n'))
    expect(await buildFai(await statInput(crlf))).toBe('c\t25\t4\t10\t12\n')
    const g = await openGenome(genomeFa, cacheDir)
    expect(existsSync(`${genomeFa}.fai`)).toBe(false)
    expect(readdirSync(join(cacheDir, 'fai')).length).toBe(1)
    expect([...g.sizes]).toEqual([
      ['chr1', 3000],
      ['chr2', 3000],
    ])
    expect(decodeCodes(await g.fetch('chr2', 2990, 3005), 'dna')).toBe(chr2.slice(2990) + 'NNNNN')
    expect(decodeCodes(await g.fetch('chr1', -3, 4), 'dna')).toBe('NNN' + chr1.slice(0, 4))
  })

  it('reads .2bit the same way', async () => {
    const g = await openGenome(genome2bit, cacheDir)
    expect(decodeCodes(await g.fetch('chr1', 100, 180), 'dna')).toBe(chr1.slice(100, 180))
  })

  it('rejects uneven line widths with the line', async () => {
    const bad = writeFixture(dir, 'uneven.fa', '>c\nACGTACGT\nACG\nACGTACGT\n')
    expect(await errorOf(buildFai(await statInput(bad)))).toBe(
      `${bad}:4: the lines of sequence 'c' have different widths; an indexed genome needs equal line widths: reformat it with 'samtools faidx' or 'seqkit seq -w 60'`,
    )
  })

  it('rejects a plain-gzip genome', async () => {
    const gz = writeFixture(dir, 'g.fa.gz', '>c\nACGT\n', true)
    expect(await errorOf(openGenome(gz, cacheDir))).toBe(
      `${gz}: is gzip-compressed without a bgzip index (.fai and .gzi beside it); decompress it, or compress it with 'bgzip' and index it with 'samtools faidx'`,
    )
  })
})

describe('BED targets', () => {
  // Target A: two intervals on chr1 (one narrowPeak with a summit). Target B: one on chr1, one on chr2.
  const bedA = writeFixture(dir, 'a.narrowPeak', 'track name=a\nchr1\t100\t300\tpk\t0\t.\t1\t1\t1\t20\nchr1\t1000\t1100\n'.replace('chr1\t1000\t1100', 'chr1\t1000\t1100\tx\t0\t.\t1\t1\t1\t-1'))
  const bedB = writeFixture(dir, 'b.bed', '# comment\nchr1\t1040\t1060\nchr2\t2000\t2100\tname\n')

  it.each([
    ['indexed FASTA', genomeFa],
    ['2bit', genome2bit],
  ])('cuts windows around centres and summits and labels overlaps (%s)', async (_name, genome) => {
    const ds = await loadDataset({ bed: [{ target: 'A', files: [bedA] }, { target: 'B', files: [bedB] }], genome, window: 50 }, { cacheDir })
    expect(ds.targets).toEqual(['A', 'B'])
    const ids = Array.from({ length: ds.size }, (_, i) => ds.id(i))
    // Centres: summit 100+20=120; (1000+1100)/2=1050; (1040+1060)/2=1050 (same window); (2000+2100)/2=2050.
    expect(ids).toEqual(['chr1:95-145', 'chr1:1025-1075', 'chr2:2025-2075'])
    expect(decodeCodes(ds.codes(0), 'dna')).toBe(chr1.slice(95, 145))
    expect(decodeCodes(ds.codes(2), 'dna')).toBe(chr2.slice(2025, 2075))
    expect(ids.map((_, i) => [ds.label(i, 0), ds.label(i, 1)])).toEqual([
      [1, 0],
      [1, 1],
      [0, 1],
    ])
    expect(ds.length).toBe(50)
  })

  it('chromosome splits work from BED intervals', async () => {
    const ds = await loadDataset({ bed: [{ target: 'A', files: [bedA] }, { target: 'B', files: [bedB] }], genome: genomeFa, window: 50, split: 'chrom:test=chr2' }, { cacheDir })
    expect(Array.from(ds.indices('test')).map((i) => ds.id(i))).toEqual(['chr2:2025-2075'])
  })

  it('adds GC-matched genome windows as negatives when every window is positive', async () => {
    const peaks = writeFixture(dir, 'gcpeaks.bed', 'chr2\t2000\t2100\nchr2\t2500\t2600\nchr1\t500\t600\n')
    const ds = await loadDataset({ bed: [{ target: 'P', files: [peaks] }], genome: genomeFa, window: 100, background: 'gc', seed: 5 }, { cacheDir })
    expect(ds.size).toBe(6)
    const pos = [0, 1, 2].map((i) => gcFraction(ds.codes(i))!)
    const neg = [3, 4, 5].map((i) => gcFraction(ds.codes(i))!)
    expect([3, 4, 5].map((i) => ds.label(i, 0))).toEqual([0, 0, 0])
    // Each negative's GC is within 0.02 of its positive's (same 2% bin when found).
    for (let k = 0; k < 3; k++) expect(Math.abs(neg[k] - pos[k])).toBeLessThan(0.021)
    // Negatives avoid the peaks.
    const peaksIndex = new OverlapIndex([
      { chrom: 'chr2', start: 2000, end: 2100 },
      { chrom: 'chr2', start: 2500, end: 2600 },
      { chrom: 'chr1', start: 500, end: 600 },
    ])
    for (const i of [3, 4, 5]) {
      const [chrom, range] = ds.id(i).split(':')
      const [s, e] = range.split('-').map(Number)
      expect(peaksIndex.overlaps(chrom, s, e)).toBe(false)
    }
  })

  it('errors: all-positive without background, unknown chromosome, bad lines', async () => {
    const one = writeFixture(dir, 'one.bed', 'chr1\t100\t200\n')
    expect(await errorOf(loadDataset({ bed: [{ target: 'P', files: [one] }], genome: genomeFa }, { cacheDir }))).toBe(
      "every window overlaps every target's intervals, so there are no negatives; add --background gc or --background shuffle, or a BED file for another target",
    )
    const chrZ = writeFixture(dir, 'z.bed', 'chr1\t100\t200\nchrZ\t5\t10\n')
    expect(await errorOf(loadDataset({ bed: [{ target: 'P', files: [chrZ] }, { target: 'Q', files: [one] }], genome: genomeFa }, { cacheDir }))).toBe(
      `${chrZ}:2: chromosome 'chrZ' is not in ${genomeFa} (it has chr1, chr2); check that both use the same genome build and naming`,
    )
    const badLine = writeFixture(dir, 'bad.bed', 'chr1\t100\t200\nchr1\tten\t20\n')
    expect(await errorOf(loadDataset({ bed: [{ target: 'P', files: [badLine] }], genome: genomeFa }, { cacheDir }))).toBe(
      `${badLine}:2: start 'ten' and end '20' must be whole numbers; check that the file is BED`,
    )
    const backwards = writeFixture(dir, 'back.bed', 'chr1\t300\t200\n')
    expect(await errorOf(loadDataset({ bed: [{ target: 'P', files: [backwards] }], genome: genomeFa }, { cacheDir }))).toBe(
      `${backwards}:1: interval chr1:300-200 ends before it starts; BED intervals are 0-based half-open with start < end`,
    )
  })
})

describe('GC-matched background for FASTA positives', () => {
  it('draws windows of the same length from the genome', async () => {
    const pos = writeFixture(dir, 'gcpos.fa', fastaText([['chr2:2000-2080', chr2.slice(2000, 2080)], ['chr1:10-70', chr1.slice(10, 70)]]))
    const ds = await loadDataset({ positives: [pos], background: 'gc', genome: genomeFa, seed: 2 }, { cacheDir })
    expect(ds.size).toBe(4)
    expect([ds.rawLength(2), ds.rawLength(3)]).toEqual([80, 60])
    expect(ds.id(2)).toMatch(/^chr[12]:\d+-\d+$/)
    expect(readFileSync(pos, 'utf8').includes(ds.id(2))).toBe(false)
  })
})
