import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/main/cli/index.js'
import type { CliIO } from '../../src/main/cli/types.js'
import { parseDataFlags } from '../../src/main/data/cli-flags.js'
import { fastaText, tempDir, writeFixture } from './helpers.js'

const dir = tempDir()
const cache = join(dir, 'cache')

async function cli(argv: string[], cwd = process.cwd()): Promise<{ code: number; out: string; err: string }> {
  let out = ''
  let err = ''
  const io: CliIO = { stdout: (t) => (out += t), stderr: (t) => (err += t), isTTY: false, cwd, env: { XDG_CACHE_HOME: cache } }
  const code = await runCli(argv, io)
  return { code, out, err }
}

const pos = writeFixture(dir, 'pos.fa', fastaText([['p1', 'ACGTACGTAC'], ['p2', 'GGGGCCCC'], ['p3', 'ACGTNNACGT']]))
const neg = writeFixture(dir, 'neg.fa', fastaText([['n1', 'TTTTAAAA'], ['n2', 'ACACACACAC']]))

describe('motiflens data inspect', () => {
  it('FILE... --json prints the summary fields', async () => {
    const r = await cli(['data', 'inspect', pos, neg, '--json'])
    expect(r.code).toBe(0)
    const s = JSON.parse(r.out)
    expect(Object.keys(s)).toEqual(['files', 'sequences', 'alphabet', 'length', 'gc', 'n_fraction', 'duplicates', 'labels'])
    expect(s.sequences).toBe(5)
    expect(s.alphabet).toBe('dna')
    expect([s.length.min, s.length.median, s.length.max]).toEqual([8, 10, 10])
    expect(s.gc).toBeCloseTo(22 / 44, 10)
    expect(s.n_fraction).toBeCloseTo(2 / 46, 10)
    expect(s.duplicates).toBe(0)
    expect(s.labels).toEqual([])
  })

  it('human-readable output', async () => {
    const r = await cli(['data', 'inspect', 'pos.fa'], dir)
    expect(r.code).toBe(0)
    expect(r.out).toContain('sequences   3\n')
    expect(r.out).toContain('alphabet    dna\n')
    expect(r.out).toContain('length      min 8, median 10, max 10\n')
    expect(r.out).toContain('labels      none\n')
  })

  it('with data flags: labels and splits', async () => {
    const r = await cli(['data', 'inspect', '--positives', pos, '--negatives', neg, '--split', 'random:0.6,0.2,0.2', '--seed', '3', '--json'])
    expect(r.err).toBe('')
    const s = JSON.parse(r.out)
    expect(s.labels).toEqual([{ name: 'positive', positives: 3, negatives: 2 }])
    expect(s.splits.train + s.splits.valid + s.splits.test).toBe(5)
    const classes = await cli(['data', 'inspect', '--class', `a=${pos}`, '--class', `b=${neg}`, '--json'])
    expect(JSON.parse(classes.out).labels).toEqual([
      { name: 'a', positives: 3, negatives: 2 },
      { name: 'b', positives: 2, negatives: 3 },
    ])
  })

  it('errors are one line with an exit code', async () => {
    const missing = await cli(['data', 'inspect', join(dir, 'nope.fa')])
    expect(missing).toEqual({ code: 1, out: '', err: `motiflens: ${join(dir, 'nope.fa')}: no such FASTA file; check the path\n` })
    const sub = await cli(['data', 'look'])
    expect(sub).toEqual({ code: 2, out: '', err: "motiflens: data: unknown subcommand 'look'; use 'motiflens data inspect FILE...'\n" })
    const alpha = await cli(['data', 'inspect', pos, '--alphabet', 'xna'])
    expect(alpha.err).toBe("motiflens: data inspect: --alphabet 'xna' is not one of dna, rna, binary, protein, auto\n")
    const onlyPos = await cli(['data', 'inspect', '--positives', pos])
    expect(onlyPos.code).toBe(2)
  })
})

describe('parseDataFlags', () => {
  it('groups repeated --class and --bed values and reads every option', () => {
    const { spec, cacheDir, args } = parseDataFlags(
      ['--class', 'a=x.fa', 'y.fa', '--class', 'b=z.fa', '--alphabet', 'dna', '--length', '100', '--crop', '--split', 'chrom:test=chr8', '--seed', '4', '--ambiguous', 'zero', '--cache', '/c', '--epochs', '3'],
      'train',
      { extraFlags: { epochs: { type: 'string' } } },
    )
    expect(spec).toEqual({
      classes: [
        { name: 'a', files: ['x.fa', 'y.fa'] },
        { name: 'b', files: ['z.fa'] },
      ],
      alphabet: 'dna',
      length: 100,
      lengthMode: 'crop',
      split: 'chrom:test=chr8',
      seed: 4,
      ambiguous: 'zero',
    })
    expect(cacheDir).toBe('/c')
    expect(args.flags.epochs).toBe('3')
    const bed = parseDataFlags(['--bed', 'CTCF=a.bed', 'b.bed', '--bed', 'GATA=c.bed', '--genome', 'hg38.2bit', '--window', '500', '--background', 'gc'], 'train')
    expect(bed.spec).toEqual({
      bed: [
        { target: 'CTCF', files: ['a.bed', 'b.bed'] },
        { target: 'GATA', files: ['c.bed'] },
      ],
      genome: 'hg38.2bit',
      window: 500,
      background: 'gc',
    })
    expect(parseDataFlags(['d.fa', '--labels', 't.tsv'], 'train').spec).toEqual({ fasta: ['d.fa'], labels: 't.tsv' })
  })

  it.each([
    [['--class', 'x.fa'], "train: --class 'x.fa' needs a name: use --class NAME=FILE.fa"],
    [['--labels', 't.tsv'], "train: --labels needs the FASTA file(s) it labels, e.g. 'train data.fa --labels labels.tsv'"],
    [['--pad', '--crop'], 'train: give --pad or --crop, not both'],
    [['--background', 'random'], "train: --background 'random' is not one of shuffle, gc"],
    [['--length', '0'], "train: --length '0' is not an integer >= 1"],
    [['--split', 'chrom:valid=chr1'], "--split 'chrom:valid=chr1': name the test chromosomes with test=...; use e.g. 'random:0.8,0.1,0.1' or 'chrom:test=chr8,chr9;valid=chr7'"],
  ])('%j -> %s', (argv, message) => {
    expect(() => parseDataFlags(argv, 'train')).toThrow(message)
  })
})
