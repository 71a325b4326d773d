import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { decodeCodes } from '../../src/main/data/alphabet.js'
import { loadDataset, type LoadOptions } from '../../src/main/data/load.js'
import { summarizeDataset, inspectFiles, inspectDataSpec } from '../../src/main/data/summary.js'
import type { PackedDataset } from '../../src/main/data/dataset.js'
import type { DataSpec } from '../../src/shared/types.js'
import { errorOf, fastaText, randomDna, tempDir, writeFixture } from './helpers.js'

const dir = tempDir()
const cacheDir = join(dir, 'cache')
const opts = (extra: LoadOptions = {}): LoadOptions => ({ cacheDir, ...extra })

function seqs(ds: PackedDataset): string[] {
  return Array.from({ length: ds.size }, (_, i) => decodeCodes(ds.codes(i), ds.alphabet))
}

const pos = writeFixture(dir, 'pos.fa', fastaText([['p1', 'ACGTACGTAC'], ['p2', 'GGGGCCCC'], ['p3', 'ACGTNNACGTACGT']]))
const neg = writeFixture(dir, 'neg.fa.gz', fastaText([['n1', 'TTTTAAAA'], ['n2', 'ACACACACAC']]), true)

describe('positives / negatives', () => {
  it('loads, pads to the longest with N around the centre, labels one target', async () => {
    const ds = await loadDataset({ positives: [pos], negatives: [neg] }, opts())
    expect(ds.size).toBe(5)
    expect(ds.alphabet).toBe('dna')
    expect(ds.letters).toBe('ACGT')
    expect(ds.targets).toEqual(['positive'])
    expect(ds.length).toBe(14)
    expect([0, 1, 2, 3, 4].map((i) => ds.id(i))).toEqual(['p1', 'p2', 'p3', 'n1', 'n2'])
    expect([0, 1, 2, 3, 4].map((i) => ds.label(i, 0))).toEqual([1, 1, 1, 0, 0])
    expect(seqs(ds)).toEqual(['NNACGTACGTACNN', 'NNNGGGGCCCCNNN', 'ACGTNNACGTACGT', 'NNNTTTTAAAANNN', 'NNACACACACACNN'])
    expect(ds.rawLength(1)).toBe(8)
  })

  it('crops around the centre to the shortest, or to --length', async () => {
    const crop = await loadDataset({ positives: [pos], negatives: [neg], lengthMode: 'crop' }, opts())
    expect(crop.length).toBe(8)
    expect(seqs(crop)).toEqual(['CGTACGTA', 'GGGGCCCC', 'TNNACGTA', 'TTTTAAAA', 'CACACACA'])
    const fixed = await loadDataset({ positives: [pos], negatives: [neg], length: 9 }, opts())
    expect(seqs(fixed)).toEqual(['ACGTACGTA', 'GGGGCCCCN', 'GTNNACGTA', 'TTTTAAAAN', 'ACACACACA'])
  })

  it('builds one-hot batches, reverse complement and both ambiguity encodings', async () => {
    const ds = await loadDataset({ positives: [pos], negatives: [neg], length: 4, lengthMode: 'crop' }, opts())
    // p3 cropped to 4 around its centre: 'NACG' (positions 5..8 of ACGTNNACGTACGT).
    expect(decodeCodes(ds.codes(2), 'dna')).toBe('NACG')
    const b = ds.batch([2, 3])
    expect(b.n).toBe(2)
    expect(Array.from(b.x.subarray(0, 16))).toEqual([0.25, 0.25, 0.25, 0.25, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0])
    expect(Array.from(b.y)).toEqual([1, 0])
    const rc = ds.batch([2], { reverseComplement: true, ambiguous: 'zero' })
    // reverse complement of NACG is CGTN
    expect(Array.from(rc.x)).toEqual([0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0])
  })

  it('generates dinucleotide-shuffled negatives from positives alone', async () => {
    const ds = await loadDataset({ positives: [pos], background: 'shuffle', seed: 3 }, opts())
    expect(ds.size).toBe(6)
    expect(ds.id(1)).toBe('p1_shuffled')
    expect(ds.label(1, 0)).toBe(0)
    const again = await loadDataset({ positives: [pos], background: 'shuffle', seed: 3 }, opts())
    expect(seqs(again)).toEqual(seqs(ds))
  })

  it('summarises counts, lengths, GC, N, duplicates, labels and splits', async () => {
    const dupPath = writeFixture(dir, 'dups.fa', fastaText([['d1', 'ACGT'], ['d2', 'ACGT'], ['d3', 'ACGT'], ['d4', 'GGNN']]))
    const ds = await loadDataset({ positives: [pos], negatives: [dupPath] }, opts())
    const s = summarizeDataset(ds)
    expect(s.sequences).toBe(7)
    expect(s.files).toEqual([
      { path: pos, sequences: 3, bytes: 47 },
      { path: dupPath, sequences: 4, bytes: 36 },
    ])
    expect(s.length.min).toBe(4)
    expect(s.length.median).toBe(4)
    expect(s.length.max).toBe(14)
    expect(s.length.histogram.reduce((a, h) => a + h.count, 0)).toBe(7)
    expect(s.length.histogram[0]).toEqual({ from: 4, to: 5, count: 4 })
    expect(s.duplicates).toBe(2)
    // A/C/G/T letters 10+8+12+12+2 = 44, of which G/C 5+8+6+6+2 = 27; N 2+2 of 48 letters
    expect(s.n_fraction).toBeCloseTo(4 / 48, 10)
    expect(s.gc).toBeCloseTo(27 / 44, 10)
    expect(s.labels).toEqual([{ name: 'positive', positives: 3, negatives: 4 }])
    expect(s.splits!.train + s.splits!.valid + s.splits!.test).toBe(7)
  })
})

describe('other label sources', () => {
  it('multi-class: one target per class, one-hot', async () => {
    const ds = await loadDataset({ classes: [{ name: 'a', files: [pos] }, { name: 'b', files: [neg] }] }, opts())
    expect(ds.targets).toEqual(['a', 'b'])
    expect([0, 3].map((i) => [ds.label(i, 0), ds.label(i, 1)])).toEqual([
      [1, 0],
      [0, 1],
    ])
  })

  it('a FASTA plus a TSV or CSV table', async () => {
    const fa = writeFixture(dir, 'all.fa', fastaText([['s1', 'ACGT'], ['s2', 'CCGG'], ['s3', 'TTAA']]))
    const tsv = writeFixture(dir, 'labels.tsv', 'id\tCTCF\tGATA1\ns3\t1\t1\ns1\t1\t0\ns2\t0\t0\n')
    const ds = await loadDataset({ fasta: [fa], labels: tsv }, opts())
    expect(ds.targets).toEqual(['CTCF', 'GATA1'])
    expect([0, 1, 2].map((i) => [ds.label(i, 0), ds.label(i, 1)])).toEqual([
      [1, 0],
      [0, 0],
      [1, 1],
    ])
    const csv = writeFixture(dir, 'labels.csv', 'CTCF,name\r\n1,s1\r\n0,s2\r\n1,s3\r\n')
    const ds2 = await loadDataset({ fasta: [fa], labels: csv }, opts())
    expect(ds2.targets).toEqual(['CTCF'])
    expect([0, 1, 2].map((i) => ds2.label(i, 0))).toEqual([1, 0, 1])
  })

  it('labels in the FASTA headers', async () => {
    const one = writeFixture(dir, 'h1.fa', '>a label=1\nACGT\n>b x label=0 y\nACGA\n')
    const ds = await loadDataset({ fasta: [one] }, opts())
    expect(ds.targets).toEqual(['positive'])
    expect([ds.label(0, 0), ds.label(1, 0)]).toEqual([1, 0])
    const many = writeFixture(dir, 'h3.fa', '>a targets=0,1,1\nACGT\n>b targets=1,0,0\nACGA\n')
    const ds3 = await loadDataset({ fasta: [many] }, opts())
    expect(ds3.targets).toEqual(['target1', 'target2', 'target3'])
    expect([0, 1, 2].map((t) => ds3.label(0, t))).toEqual([0, 1, 1])
    const none = writeFixture(dir, 'h0.fa', '>a\nACGT\n')
    expect((await loadDataset({ fasta: [none] }, opts())).targets).toEqual([])
  })
})

describe('label and input errors (exact messages)', () => {
  const fa = writeFixture(dir, 'tbl.fa', fastaText([['s1', 'ACGT'], ['s2', 'CCGG']]))
  const cases: [string, string, string][] = [
    ['t-extra.tsv', 'id\tX\ns1\t1\ns2\t0\ns9\t1\n', "T:4: id 's9' is not in F; remove the row or add the sequence"],
    ['t-missing.tsv', 'id\tX\ns1\t1\n', "F:3: sequence 's2' has no row in T; add a row for it or remove the sequence"],
    ['t-value.tsv', 'id\tX\ns1\t1\ns2\t2\n', "T:3: value '2' for target 'X' of 's2' is not 0 or 1; labels must be 0 or 1"],
    ['t-nohead.tsv', 's1\t1\ns2\t0\n', "T:1: the first row looks like data, not a header; add a header row such as 'id<TAB>target1' naming the columns"],
    ['t-cols.tsv', 'id\tX\tY\ns1\t1\n', 'T:2: row has 2 columns but the header has 3; every row needs an id and one value per target'],
    ['t-dup.tsv', 'id\tX\ns1\t1\ns1\t0\n', "T:3: id 's1' already has a row (line 2); give each sequence one row"],
    ['t-empty.tsv', '\n', 'T: file is empty; a label table needs a header row and one row per sequence'],
  ]
  it.each(cases)('%s', async (name, content, message) => {
    const t = writeFixture(dir, name, content)
    expect(await errorOf(loadDataset({ fasta: [fa], labels: t }, opts()))).toBe(message.replace(/(^|\s)T([:;])/g, `$1${t}$2`).replace(/(^|\s)F([:;])/, `$1${fa}$2`))
  })

  it('duplicate ids across files name both places', async () => {
    const a = writeFixture(dir, 'dupa.fa', '>x\nACGT\n>y\nAAAA\n')
    const b = writeFixture(dir, 'dupb.fa', '>z\nACGT\n\n>y\nCCCC\n')
    expect(await errorOf(loadDataset({ positives: [a], negatives: [b] }, opts()))).toBe(
      `${b}:4: sequence id 'y' appears again (first at ${a}:3); ids must be unique: rename or remove one`,
    )
  })

  it('mixed header labels', async () => {
    const f = writeFixture(dir, 'hmix.fa', '>a label=1\nACGT\n>b\nACGA\n')
    expect(await errorOf(loadDataset({ fasta: [f] }, opts()))).toBe(
      `${f}:3: sequence 'b' has no labels in its header but earlier records have 'label=0' or 'label=1'; label every record the same way`,
    )
  })

  const usageCases: [string, DataSpec, string][] = [
    ['nothing', {}, 'no data given: use --positives/--negatives, --class NAME=FILE (repeated), a FASTA file with --labels TABLE, or --bed TARGET=FILE --genome G'],
    ['positives only', { positives: [pos] }, 'only --positives given: add --negatives FILE, or --background shuffle (dinucleotide-shuffled positives), or --background gc with --genome G'],
    ['one class', { classes: [{ name: 'a', files: [pos] }] }, '--class needs at least two classes, e.g. --class enhancer=e.fa --class promoter=p.fa'],
    ['two kinds', { positives: [pos], negatives: [neg], classes: [{ name: 'a', files: [pos] }] }, 'give one kind of data input, not both --positives/--negatives and --class'],
    ['same file twice', { positives: [pos], negatives: [pos] }, `${pos} is given twice; name each input file once`],
    ['gc without genome', { positives: [pos], background: 'gc' }, '--background gc needs --genome G (an indexed FASTA or .2bit) to draw windows from'],
    ['bad split', { positives: [pos], negatives: [neg], split: 'random:0.5,0.5' }, "--split 'random:0.5,0.5': give three fractions (train, valid, test); use e.g. 'random:0.8,0.1,0.1' or 'chrom:test=chr8,chr9;valid=chr7'"],
  ]
  it.each(usageCases)('%s', async (_name, spec, message) => {
    expect(await errorOf(loadDataset(spec, opts()))).toBe(message)
  })
})

describe('splits', () => {
  it('random splits are seeded, deterministic and stratified so a rare label is in every split', async () => {
    const recs: [string, string][] = []
    let tsv = 'id\tcommon\trare\n'
    for (let i = 0; i < 200; i++) {
      recs.push([`s${i}`, randomDna(20, i)])
      tsv += `s${i}\t${i % 2}\t${i % 50 === 0 ? 1 : 0}\n`
    }
    const fa = writeFixture(dir, 'split.fa', fastaText(recs))
    const t = writeFixture(dir, 'split.tsv', tsv)
    const a = await loadDataset({ fasta: [fa], labels: t, seed: 7 }, opts())
    const b = await loadDataset({ fasta: [fa], labels: t, seed: 7 }, opts())
    const c = await loadDataset({ fasta: [fa], labels: t, seed: 8 }, opts())
    expect(Array.from(a.indices('test'))).toEqual(Array.from(b.indices('test')))
    expect(Array.from(a.indices('test'))).not.toEqual(Array.from(c.indices('test')))
    // Strata of 4 (rare), 100 (common) and 96 (neither) rounded separately: 2+80+77, 1+10+10, 1+10+9.
    expect([a.indices('train').length, a.indices('valid').length, a.indices('test').length]).toEqual([159, 21, 20])
    for (const split of ['train', 'valid', 'test'] as const) {
      const rare = Array.from(a.indices(split)).filter((i) => a.label(i, 1) === 1).length
      expect(rare, split).toBeGreaterThanOrEqual(1)
    }
    expect(a.indices('all').length).toBe(200)
  })

  it('chromosome splits from ids like chr8:100-200', async () => {
    const fa = writeFixture(
      dir,
      'chrom.fa',
      fastaText([
        ['chr1:0-4', 'ACGT'],
        ['chr7:10-14', 'ACGT'],
        ['chr8:5-9', 'ACGA'],
        ['chr9:5-9', 'ACGC'],
        ['chr2:5-9', 'ACGG'],
      ]),
    )
    const ds = await loadDataset({ positives: [fa], background: 'shuffle', split: 'chrom:test=chr8,chr9;valid=chr7' }, opts())
    expect(Array.from(ds.indices('test')).map((i) => ds.id(i))).toEqual(['chr8:5-9', 'chr8:5-9_shuffled', 'chr9:5-9', 'chr9:5-9_shuffled'])
    expect(Array.from(ds.indices('valid')).map((i) => ds.id(i))).toEqual(['chr7:10-14', 'chr7:10-14_shuffled'])
    expect(ds.indices('train').length).toBe(4)
    expect(await errorOf(loadDataset({ positives: [fa], negatives: [neg], split: 'chrom:test=chr8' }, opts()))).toBe(
      "sequence 'n1' has no chromosome in its id (expected e.g. 'chr8:100-200'); a chrom: split needs ids like that or BED input, or use --split random:0.8,0.1,0.1",
    )
    expect(await errorOf(loadDataset({ positives: [fa], background: 'shuffle', split: 'chrom:test=chrX' }, opts()))).toBe(
      '--split: no sequence is on chrX, so the test split is empty; the data\'s chromosomes are chr1, chr7, chr8, chr9, chr2',
    )
  })
})

describe('on-disk packed cache', () => {
  it('gives the same dataset as memory, is reused, and sits only in the cache folder', async () => {
    const cache = join(dir, 'cache-disk')
    const inputDir = tempDir()
    const recs: [string, string][] = Array.from({ length: 300 }, (_, i) => [`r${i}`, randomDna(50 + (i % 30), i)] as [string, string])
    const p = writeFixture(inputDir, 'p.fa', fastaText(recs.slice(0, 150)))
    const n = writeFixture(inputDir, 'n.fa', fastaText(recs.slice(150)))
    const spec: DataSpec = { positives: [p], negatives: [n], seed: 1 }
    const mem = await loadDataset(spec, { cacheDir: cache, storage: 'memory' })
    const disk = await loadDataset(spec, { cacheDir: cache, storage: 'disk' })
    expect(disk.cachePath).not.toBeNull()
    expect(mem.cachePath).toBeNull()
    expect(disk.fingerprint).toBe(mem.fingerprint)
    expect(seqs(disk)).toEqual(seqs(mem))
    expect(Array.from({ length: 300 }, (_, i) => disk.id(i))).toEqual(Array.from({ length: 300 }, (_, i) => mem.id(i)))
    expect(Array.from(disk.batch([0, 5, 299]).x)).toEqual(Array.from(mem.batch([0, 5, 299]).x))
    expect(Array.from(disk.indices('valid'))).toEqual(Array.from(mem.indices('valid')))
    expect(summarizeDataset(disk)).toEqual(summarizeDataset(mem))
    expect(readdirSync(inputDir).sort()).toEqual(['n.fa', 'p.fa'])
    const entries = readdirSync(join(cache, 'datasets'))
    expect(entries.length).toBe(1)
    // Reused: 'auto' finds the complete cache.
    let reported = 0
    const again = await loadDataset(spec, { cacheDir: cache, onProgress: (pr) => (reported = pr.sequences) })
    expect(again.cachePath).toBe(disk.cachePath)
    expect(reported).toBe(300)
    disk.close()
    again.close()
  })

  it('a failed ingest leaves no partial cache', async () => {
    const cache = join(dir, 'cache-fail')
    const bad = writeFixture(dir, 'bad-late.fa', fastaText([['a', 'ACGT'], ['b', 'ACGT']]) + '>c\nAC!T\n')
    expect(await errorOf(loadDataset({ positives: [bad], negatives: [neg] }, { cacheDir: cache, storage: 'disk' }))).toContain("sequence 'c' has '!'")
    expect(existsSync(join(cache, 'datasets')) ? readdirSync(join(cache, 'datasets')) : []).toEqual([])
  })
})

describe('cancellation and abandoned temp folders', () => {
  it('a cancelled load throws CancelledError and leaves no cache', async () => {
    const cache = join(dir, 'cache-cancel')
    const before = new AbortController()
    before.abort()
    await expect(loadDataset({ positives: [pos], negatives: [neg] }, { cacheDir: cache, storage: 'disk', signal: before.signal })).rejects.toThrow('cancelled')
    // Cancel midway, once records are in the temp store (the file spans several 1 MiB chunks).
    const big = writeFixture(dir, 'big.fa', fastaText(Array.from({ length: 3000 }, (_, i) => [`b${i}`, randomDna(1000, i)] as [string, string])))
    const midway = new AbortController()
    let sawRecords = false
    const load = loadDataset(
      { positives: [big], negatives: [neg] },
      {
        cacheDir: cache,
        storage: 'disk',
        signal: midway.signal,
        onProgress: (p) => {
          if (p.sequences > 0) {
            sawRecords = true
            midway.abort()
          }
        },
      },
    )
    await expect(load).rejects.toThrow('cancelled')
    expect(sawRecords).toBe(true)
    expect(readdirSync(join(cache, 'datasets'))).toEqual([])
  })

  it('temp folders of dead processes are removed by the next ingest', async () => {
    const cache = join(dir, 'cache-stale')
    const stale = join(cache, 'datasets', 'abc.tmp-999999999-zzzz')
    mkdirSync(stale, { recursive: true })
    writeFileSync(join(stale, 'codes.bin'), 'x')
    const ds = await loadDataset({ positives: [pos], negatives: [neg] }, { cacheDir: cache, storage: 'disk' })
    expect(readdirSync(join(cache, 'datasets'))).toEqual([ds.cachePath!.split('/').pop()])
    ds.close()
  })
})

describe('inspect', () => {
  it('inspectFiles summarises without a cache', async () => {
    const s = await inspectFiles([pos, neg])
    expect(s.sequences).toBe(5)
    expect(s.labels).toEqual([])
    expect(s.files.map((f) => f.sequences)).toEqual([3, 2])
    expect(s.splits).toBeUndefined()
  })
  it('inspectDataSpec loads and summarises with splits', async () => {
    const s = await inspectDataSpec({ positives: [pos], negatives: [neg] }, opts())
    expect(s.labels).toEqual([{ name: 'positive', positives: 3, negatives: 2 }])
    expect(s.splits).toBeDefined()
  })
})
