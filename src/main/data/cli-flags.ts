/**
 * The data flags every command that reads sequences shares (`data inspect`, `train`,
 * `evaluate`, `motifs`), parsed into a DataSpec in one place so they mean the same thing
 * everywhere:
 *
 *   --positives F... --negatives F...     binary task (target 'positive')
 *   --class NAME=F [F...]  (repeatable)   one target per class
 *   DATA.fa... --labels TABLE             a FASTA plus a TSV/CSV label table
 *   DATA.fa...                            labels from the headers (label=1 / targets=0,1)
 *   --bed TARGET=F.bed [F...] (repeatable) --genome G [--window N]
 *   --alphabet dna|rna|binary|protein|auto   --length N  --pad | --crop
 *   --split random:0.8,0.1,0.1 | chrom:test=chr8,chr9;valid=chr7
 *   --background shuffle|gc   --seed N   --ambiguous uniform|zero   --cache DIR
 *
 * Usage in another command:
 *   const { spec, cacheDir, args } = parseDataFlags(argv, 'train', { extraFlags: TRAIN_FLAGS, cwd: io.cwd })
 */
import { isAbsolute, resolve } from 'node:path'
import type { DataSpec } from '../../shared/types.js'
import { boolFlag, listFlag, numberFlag, parseArgs, stringFlag, type FlagSpec, type ParsedArgs } from '../cli/args.js'
import { UserError } from '../errors.js'
import { isAlphabetName } from './alphabet.js'
import { parseSplit } from './split.js'

export const DATA_FLAGS: Record<string, FlagSpec> = {
  positives: { type: 'list' },
  negatives: { type: 'list' },
  class: { type: 'list' },
  labels: { type: 'string' },
  bed: { type: 'list' },
  genome: { type: 'string' },
  window: { type: 'string' },
  alphabet: { type: 'string' },
  length: { type: 'string' },
  pad: { type: 'boolean' },
  crop: { type: 'boolean' },
  split: { type: 'string' },
  background: { type: 'string' },
  seed: { type: 'string' },
  ambiguous: { type: 'string' },
  cache: { type: 'string' },
}

/** The data flags' lines for a command's --help. */
export const DATA_FLAGS_USAGE = `Data (one of):
  --positives F... --negatives F...   binary task: one FASTA file or more per side
  --class NAME=F [F...]               one class per flag (repeat), one target per class
  DATA.fa... --labels TABLE           TSV/CSV with a header row: id column + one 0/1 column per target
  DATA.fa...                          labels in headers: '>id label=1' or '>id targets=0,1,1'
  --bed TARGET=F.bed [F...]           intervals per target (repeat) with --genome G (indexed FASTA or .2bit)
Data options:
  --window N          BED window width in bp around each centre or narrowPeak summit (default 200)
  --alphabet A        dna, rna, binary, protein (default: detected from the files)
  --length N          one input length: longer sequences are cropped and shorter ones padded with N, around the centre
  --pad | --crop      without --length: pad to the longest (default) or crop to the shortest
  --split S           random:0.8,0.1,0.1 (default, seeded, stratified) or chrom:test=chr8,chr9;valid=chr7
  --background B      negatives when only positives are given: shuffle (dinucleotide-shuffled) or gc (GC-matched --genome windows)
  --seed N            seed for splits and backgrounds (default 0)
  --ambiguous M       one-hot of N: uniform (0.25 each, default) or zero
  --cache DIR         cache folder (default: $XDG_CACHE_HOME/motiflens or ~/.cache/motiflens)`

/** Group `NAME=F F2 NAME2=F3` (as collected from repeated flags) into named file lists. */
function groupNamed(values: string[], flag: string, command: string, example: string): { name: string; files: string[] }[] {
  const groups: { name: string; files: string[] }[] = []
  for (const v of values) {
    const eq = v.indexOf('=')
    if (eq > 0) groups.push({ name: v.slice(0, eq), files: v.slice(eq + 1) === '' ? [] : [v.slice(eq + 1)] })
    else if (groups.length > 0 && eq < 0) groups[groups.length - 1].files.push(v)
    else throw new UserError(`${command}: --${flag} '${v}' needs a name: use --${flag} ${example}`, { exitCode: 2 })
  }
  for (const g of groups) {
    if (g.files.length === 0) throw new UserError(`${command}: --${flag} ${g.name}= names no file; use --${flag} ${example}`, { exitCode: 2 })
  }
  return groups
}

function oneOf<T extends string>(p: ParsedArgs, name: string, command: string, allowed: readonly T[]): T | undefined {
  const v = stringFlag(p, name)
  if (v === undefined) return undefined
  if (!(allowed as readonly string[]).includes(v)) {
    throw new UserError(`${command}: --${name} '${v}' is not one of ${allowed.join(', ')}`, { exitCode: 2 })
  }
  return v as T
}

/**
 * A DataSpec from already-parsed arguments (parsed with DATA_FLAGS merged into the
 * command's own flags). Positionals are FASTA files unless `positionalsAreFasta` is false.
 * Relative paths are resolved against `cwd`.
 */
export function dataSpecFromArgs(
  p: ParsedArgs,
  command: string,
  options: { cwd?: string; positionalsAreFasta?: boolean } = {},
): { spec: DataSpec; cacheDir: string | undefined } {
  const cwd = options.cwd ?? process.cwd()
  const path = (f: string) => (isAbsolute(f) || cwd === process.cwd() ? f : resolve(cwd, f))
  const paths = (fs: string[]) => fs.map(path)
  const spec: DataSpec = {}
  const positives = listFlag(p, 'positives')
  const negatives = listFlag(p, 'negatives')
  if (positives.length) spec.positives = paths(positives)
  if (negatives.length) spec.negatives = paths(negatives)
  const classes = listFlag(p, 'class')
  if (classes.length) spec.classes = groupNamed(classes, 'class', command, 'NAME=FILE.fa').map((g) => ({ name: g.name, files: paths(g.files) }))
  const bed = listFlag(p, 'bed')
  if (bed.length) spec.bed = groupNamed(bed, 'bed', command, 'TARGET=FILE.bed').map((g) => ({ target: g.name, files: paths(g.files) }))
  const fasta = options.positionalsAreFasta === false ? [] : p.positionals
  if (fasta.length) spec.fasta = paths(fasta)
  const labels = stringFlag(p, 'labels')
  if (labels !== undefined) {
    if (!spec.fasta) throw new UserError(`${command}: --labels needs the FASTA file(s) it labels, e.g. '${command} data.fa --labels labels.tsv'`, { exitCode: 2 })
    spec.labels = path(labels)
  }
  const genome = stringFlag(p, 'genome')
  if (genome !== undefined) spec.genome = path(genome)
  const window = numberFlag(p, 'window', command, { integer: true, min: 1 })
  if (window !== undefined) {
    if (!spec.bed) throw new UserError(`${command}: --window is for --bed windows`, { exitCode: 2 })
    spec.window = window
  }
  const alphabet = stringFlag(p, 'alphabet')
  if (alphabet !== undefined) {
    if (alphabet !== 'auto' && !isAlphabetName(alphabet)) throw new UserError(`${command}: --alphabet '${alphabet}' is not one of dna, rna, binary, protein, auto`, { exitCode: 2 })
    spec.alphabet = alphabet
  }
  const length = numberFlag(p, 'length', command, { integer: true, min: 1 })
  if (length !== undefined) spec.length = length
  if (boolFlag(p, 'pad') && boolFlag(p, 'crop')) throw new UserError(`${command}: give --pad or --crop, not both`, { exitCode: 2 })
  if (boolFlag(p, 'pad')) spec.lengthMode = 'pad'
  if (boolFlag(p, 'crop')) spec.lengthMode = 'crop'
  const split = stringFlag(p, 'split')
  if (split !== undefined) {
    parseSplit(split)
    spec.split = split
  }
  const background = oneOf(p, 'background', command, ['shuffle', 'gc'] as const)
  if (background) spec.background = background
  const seed = numberFlag(p, 'seed', command, { integer: true, min: 0 })
  if (seed !== undefined) spec.seed = seed
  const ambiguous = oneOf(p, 'ambiguous', command, ['uniform', 'zero'] as const)
  if (ambiguous) spec.ambiguous = ambiguous
  const cache = stringFlag(p, 'cache')
  return { spec, cacheDir: cache === undefined ? undefined : path(cache) }
}

/** True when any flag naming a data source (not just options) was given. */
export function hasDataSource(p: ParsedArgs): boolean {
  return ['positives', 'negatives', 'class', 'labels', 'bed'].some((f) => p.flags[f] !== undefined)
}

/** Parse argv with DATA_FLAGS plus `extraFlags`; returns the DataSpec and the parsed args. */
export function parseDataFlags(
  argv: string[],
  command: string,
  options: { extraFlags?: Record<string, FlagSpec>; cwd?: string; positionalsAreFasta?: boolean } = {},
): { spec: DataSpec; cacheDir: string | undefined; args: ParsedArgs } {
  const args = parseArgs(argv, { ...DATA_FLAGS, ...options.extraFlags }, command)
  return { ...dataSpecFromArgs(args, command, options), args }
}

/**
 * The same spec with every file as an absolute path: what a run records (run.json), so
 * `evaluate` and `motifs` started from another folder, and the app, find the data again.
 */
export function absoluteDataSpec(spec: DataSpec, cwd: string): DataSpec {
  const abs = (f: string) => (isAbsolute(f) ? f : resolve(cwd, f))
  return {
    ...spec,
    positives: spec.positives?.map(abs),
    negatives: spec.negatives?.map(abs),
    fasta: spec.fasta?.map(abs),
    labels: spec.labels === undefined ? undefined : abs(spec.labels),
    genome: spec.genome === undefined ? undefined : abs(spec.genome),
    classes: spec.classes?.map((c) => ({ name: c.name, files: c.files.map(abs) })),
    bed: spec.bed?.map((b) => ({ target: b.target, files: b.files.map(abs) })),
  }
}
