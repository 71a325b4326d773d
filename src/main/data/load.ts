/**
 * `loadDataset`: turn a DataSpec (the CLI's data flags or the Data view's choices) into a
 * Dataset. One streaming pass over the inputs fills a packed store (in memory, or for large
 * inputs an on-disk cache keyed by the inputs' fingerprint), then lengths and splits are
 * applied on top. Label sources, one per spec:
 *
 * - positives/negatives: one target, 'positive'.
 * - classes: one target per class, one-hot.
 * - fasta + labels table, or fasta with labels in the headers (see labels.ts).
 * - bed per target + genome: windows around intervals, positive where they overlap.
 *
 * Negatives can be generated when only positives are given (`background`): dinucleotide-
 * shuffled copies of the positives, or GC-matched windows of a genome.
 */
import { createHash } from 'node:crypto'
import { homedir } from 'node:os'
import { join, resolve } from 'node:path'
import type { AlphabetName, DataSpec } from '../../shared/types.js'
import { CancelledError, UserError } from '../errors.js'
import { ALPHABET_LETTERS } from './alphabet.js'
import { gcFraction, gcMatchedWindows } from './background.js'
import { OverlapIndex, readBed, windowsAround, type Interval } from './bed.js'
import { PackedDataset } from './dataset.js'
import { detectAlphabet, parseFastaFile, statInput, type FastaRecord, type InputFileInfo } from './fasta.js'
import { openGenome, type Genome } from './genome.js'
import { HeaderLabelReader, readLabelTable, type LabelTable } from './labels.js'
import { Rng } from './rng.js'
import { dinucleotideShuffle } from './shuffle.js'
import { assignChromSplit, assignRandomSplit, parseSplit } from './split.js'
import { DiskStore, DiskStoreWriter, MemoryStoreWriter, STORE_VERSION, chromFromId, type IngestStats, type SequenceStore, type StoreWriter } from './store.js'

export interface LoadProgress {
  /** Input bytes read so far (compressed bytes for gzip files). */
  bytes: number
  totalBytes: number
  sequences: number
}

export interface LoadOptions {
  /** Where packed caches and built .fai indexes go (default: defaultCacheDir()). */
  cacheDir?: string
  signal?: AbortSignal
  onProgress?: (p: LoadProgress) => void
  /** 'auto' (default): in memory up to about 1 GiB of sequence, else the on-disk cache. */
  storage?: 'auto' | 'memory' | 'disk'
}

/** Inputs above this many (estimated) sequence bytes go to the on-disk cache in 'auto' mode. */
export const MEMORY_LIMIT_BYTES = 1 << 30

/** $XDG_CACHE_HOME/motiflens, else ~/.cache/motiflens. */
export function defaultCacheDir(env: Record<string, string | undefined> = process.env): string {
  const xdg = env.XDG_CACHE_HOME
  return join(xdg && xdg.trim() !== '' ? xdg : join(homedir(), '.cache'), 'motiflens')
}

type SourceKind = 'binary' | 'classes' | 'fasta' | 'bed'

function usage(message: string): UserError {
  return new UserError(message, { exitCode: 2 })
}

/** Which label source a spec uses; contradictory or incomplete specs are usage errors. */
export function sourceKind(spec: DataSpec): SourceKind {
  const has = {
    binary: (spec.positives?.length ?? 0) > 0 || (spec.negatives?.length ?? 0) > 0,
    classes: (spec.classes?.length ?? 0) > 0,
    fasta: (spec.fasta?.length ?? 0) > 0,
    bed: (spec.bed?.length ?? 0) > 0,
  }
  const kinds = (Object.keys(has) as SourceKind[]).filter((k) => has[k])
  const flag: Record<SourceKind, string> = { binary: '--positives/--negatives', classes: '--class', fasta: 'a FASTA file with labels', bed: '--bed' }
  if (kinds.length === 0) {
    throw usage('no data given: use --positives/--negatives, --class NAME=FILE (repeated), a FASTA file with --labels TABLE, or --bed TARGET=FILE --genome G')
  }
  if (kinds.length > 1) throw usage(`give one kind of data input, not both ${flag[kinds[0]]} and ${flag[kinds[1]]}`)
  const kind = kinds[0]
  if (spec.labels !== undefined && kind !== 'fasta') throw usage('--labels labels the FASTA file(s) given as plain arguments; it does not combine with ' + flag[kind])
  if (kind === 'binary') {
    if ((spec.positives?.length ?? 0) === 0) throw usage('--negatives needs --positives too')
    const negs = (spec.negatives?.length ?? 0) > 0
    if (negs && spec.background) throw usage('--background makes negatives when there are none; drop it or drop --negatives')
    if (!negs && !spec.background) {
      throw usage('only --positives given: add --negatives FILE, or --background shuffle (dinucleotide-shuffled positives), or --background gc with --genome G')
    }
  }
  if (kind === 'classes') {
    if (spec.classes!.length < 2) throw usage('--class needs at least two classes, e.g. --class enhancer=e.fa --class promoter=p.fa')
    const names = spec.classes!.map((c) => c.name)
    const twice = names.find((n, k) => names.indexOf(n) !== k)
    if (twice) throw usage(`--class '${twice}' is given twice; give each class once, with all its files`)
  }
  if (kind === 'bed' && !spec.genome) throw usage('--bed needs --genome G (an indexed FASTA or .2bit) to read the windows from')
  if (spec.background && kind !== 'binary' && kind !== 'bed') throw usage('--background only works with --positives (no --negatives) or --bed')
  if (spec.background === 'gc' && !spec.genome) throw usage('--background gc needs --genome G (an indexed FASTA or .2bit) to draw windows from')
  if (spec.genome && kind !== 'bed' && spec.background !== 'gc') throw usage('--genome is used with --bed or --background gc')
  return kind
}

interface FastaInput {
  info: InputFileInfo
  /** Labels of every record of this file, or null when they come from a table or headers. */
  labels: Uint8Array | null
  /** Positives whose shuffled or GC-matched copies become negatives. */
  positive: boolean
}

function sha(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 32)
}

function fileKey(f: InputFileInfo): [string, number, number] {
  return [resolve(f.path), f.size, f.mtimeMs]
}

/** Everything a packed store depends on (so equal keys mean an equal store). */
interface Plan {
  kind: SourceKind
  alphabet: AlphabetName
  alphabetGuessed: boolean
  fasta: FastaInput[]
  targets: string[] | null
  table: LabelTable | null
  tableInfo: InputFileInfo | null
  bed: { target: string; files: InputFileInfo[] }[]
  genome: InputFileInfo | null
  storeKey: string
  estimatedBytes: number
  totalBytes: number
}

async function plan(spec: DataSpec): Promise<Plan> {
  const kind = sourceKind(spec)
  const fasta: FastaInput[] = []
  let targets: string[] | null = null
  if (kind === 'binary') {
    targets = ['positive']
    for (const p of spec.positives ?? []) fasta.push({ info: await statInput(p), labels: Uint8Array.of(1), positive: true })
    for (const p of spec.negatives ?? []) fasta.push({ info: await statInput(p), labels: Uint8Array.of(0), positive: false })
  } else if (kind === 'classes') {
    targets = spec.classes!.map((c) => c.name)
    for (const [k, c] of spec.classes!.entries()) {
      if (c.files.length === 0) throw usage(`--class ${c.name} names no file; use --class ${c.name}=FILE`)
      const oneHot = new Uint8Array(targets.length)
      oneHot[k] = 1
      for (const p of c.files) fasta.push({ info: await statInput(p), labels: oneHot, positive: false })
    }
  } else if (kind === 'fasta') {
    for (const p of spec.fasta!) fasta.push({ info: await statInput(p), labels: null, positive: false })
  }
  const seen = new Map<string, string>()
  for (const f of fasta) {
    const key = resolve(f.info.path)
    if (seen.has(key)) throw usage(`${f.info.path} is given twice; name each input file once`)
    seen.set(key, f.info.path)
  }
  const bed: Plan['bed'] = []
  for (const b of spec.bed ?? []) {
    if (b.files.length === 0) throw usage(`--bed ${b.target} names no file; use --bed ${b.target}=FILE.bed`)
    bed.push({ target: b.target, files: await Promise.all(b.files.map((p) => statInput(p, 'BED file'))) })
  }
  if (kind === 'bed') targets = bed.map((b) => b.target)
  const genome = spec.genome ? await statInput(spec.genome, 'genome file') : null
  const tableInfo = spec.labels !== undefined ? await statInput(spec.labels, 'label table') : null
  const table = spec.labels !== undefined ? await readLabelTable(spec.labels) : null
  if (table) targets = table.targets

  let alphabet: AlphabetName
  let alphabetGuessed = false
  const asked = spec.alphabet ?? 'auto'
  if (kind === 'bed' || spec.background === 'gc') {
    if (asked !== 'auto' && asked !== 'dna') throw usage(`--alphabet ${asked} does not fit genome windows, which are DNA; drop --alphabet or use dna`)
    alphabet = 'dna'
  } else if (asked === 'auto') {
    alphabet = await detectAlphabet(fasta.map((f) => f.info))
    alphabetGuessed = true
  } else alphabet = asked

  const needsSeed = spec.background !== undefined
  const storeKey = sha([
    STORE_VERSION,
    kind,
    alphabet,
    targets,
    fasta.map((f) => [fileKey(f.info), f.labels ? [...f.labels] : null, f.positive]),
    tableInfo ? fileKey(tableInfo) : null,
    bed.map((b) => [b.target, b.files.map(fileKey)]),
    genome ? fileKey(genome) : null,
    kind === 'bed' ? (spec.window ?? DEFAULT_WINDOW) : null,
    spec.background ?? null,
    needsSeed ? (spec.seed ?? 0) : null,
  ])
  const fastaBytes = fasta.reduce((s, f) => s + f.info.size * (f.info.gzip ? 4 : 1), 0)
  const totalBytes = fasta.reduce((s, f) => s + f.info.size, 0) + bed.reduce((s, b) => s + b.files.reduce((t, f) => t + f.size, 0), 0)
  return { kind, alphabet, alphabetGuessed, fasta, targets, table, tableInfo, bed, genome, storeKey, estimatedBytes: fastaBytes, totalBytes }
}

/** Default window width (bp) for BED-derived sequences. */
export const DEFAULT_WINDOW = 200

/** Throttled progress reporting. */
class Progress {
  private last = 0
  bytesDone = 0
  sequences = 0
  constructor(
    private readonly totalBytes: number,
    private readonly onProgress?: (p: LoadProgress) => void,
  ) {}
  report(currentFileBytes: number, force = false): void {
    if (!this.onProgress) return
    const now = Date.now()
    if (!force && now - this.last < 100) return
    this.last = now
    this.onProgress({ bytes: this.bytesDone + currentFileBytes, totalBytes: this.totalBytes, sequences: this.sequences })
  }
}

/** What an ingest produced, before lengths and splits. */
export interface Ingested {
  writer: StoreWriter
  alphabet: AlphabetName
  targets: string[]
  stats: IngestStats
}

/**
 * The streaming pass: every input record goes through `makeWriter(targetCount)` (created
 * once the target count is known). Checks duplicate ids and table coverage at the end.
 */
export async function ingest(
  spec: DataSpec,
  p: Plan,
  makeWriter: (targetCount: number) => StoreWriter,
  options: LoadOptions & { cacheDir: string },
): Promise<Ingested> {
  const { signal } = options
  const progress = new Progress(p.totalBytes, options.onProgress)
  let writer: StoreWriter | null = null
  const headerLabels = new HeaderLabelReader()
  const getWriter = (count: number) => (writer ??= makeWriter(count))
  const rng = new Rng(spec.seed ?? 0)
  const fileNames: string[] = []
  const fileStats: IngestStats['files'] = []
  const positivesForGc: { length: number; gc: number | null }[] = []
  const positiveRegions: { chrom: string; start: number; end: number }[] = []
  const zeros = new Uint8Array(p.targets?.length ?? 1)
  try {
    for (const [fileIndex, input] of p.fasta.entries()) {
      const path = input.info.path
      fileNames.push(path)
      let count = 0
      const onRecord = (rec: FastaRecord) => {
        let labels: Uint8Array
        if (input.labels) labels = input.labels
        else if (p.table) labels = tableLabels(p.table, rec, path)
        else labels = headerLabels.read(path, rec.line, rec.id, rec.description)
        const w = getWriter(p.targets?.length ?? headerLabels.count)
        const chrom = chromFromId(rec.id)
        w.add(rec.id, rec.codes, labels, chrom, { fileIndex, line: rec.line })
        count++
        progress.sequences++
        if (input.positive && spec.background === 'shuffle') {
          w.add(`${rec.id}_shuffled`, dinucleotideShuffle(rec.codes, rng), zeros, chrom, { fileIndex, line: rec.line })
          progress.sequences++
        } else if (input.positive && spec.background === 'gc') {
          positivesForGc.push({ length: rec.codes.length, gc: gcFraction(rec.codes) })
          const m = chrom ? /:(\d+)-(\d+)/.exec(rec.id.slice(chrom.length)) : null
          if (chrom && m) positiveRegions.push({ chrom, start: Number(m[1]), end: Number(m[2]) })
        }
      }
      await parseFastaFile(input.info, { alphabet: p.alphabet, alphabetGuessed: p.alphabetGuessed }, onRecord, {
        signal,
        onRawBytes: (b) => progress.report(b),
      })
      progress.bytesDone += input.info.size
      progress.report(0, true)
      fileStats.push({ path, sequences: count, bytes: input.info.size })
    }
    if (p.table) checkTableCovered(p.table, fileNames)

    let targets = p.targets ?? headerLabels.targets()
    if (p.kind === 'bed') {
      targets = p.bed.map((b) => b.target)
      await ingestBed(spec, p, getWriter(targets.length), rng, progress, fileStats, options)
    } else if (spec.background === 'gc') {
      const genome = await openGenome(p.genome!.path, options.cacheDir)
      const windows = await gcMatchedWindows(genome, positivesForGc, rng, new OverlapIndex(positiveRegions), signal)
      if (signal?.aborted) throw new CancelledError()
      const w = getWriter(1)
      for (const win of windows) {
        w.add(`${win.chrom}:${win.start}-${win.end}`, win.codes, zeros, win.chrom, { fileIndex: p.fasta.length, line: 0 })
      }
      fileStats.push({ path: genome.path, sequences: windows.length, bytes: p.genome!.size })
      fileNames.push(genome.path)
    }
    const w = getWriter(targets.length)
    const dup = w.findDuplicateId((i) => w.idAt(i))
    if (dup) {
      const [a, b] = dup
      const where = (i: number) => `${fileNames[w.originFile.a[i]] ?? 'generated'}:${w.originLine.a[i]}`
      throw new UserError(`${where(b)}: sequence id '${w.idAt(b)}' appears again (first at ${where(a)}); ids must be unique: rename or remove one`)
    }
    progress.report(0, true)
    return {
      writer: w,
      alphabet: p.alphabet,
      targets,
      stats: { files: fileStats, letterCounts: w.letterCounts(ALPHABET_LETTERS[p.alphabet].length), duplicates: w.countDuplicateSequences() },
    }
  } catch (e) {
    ;(writer as StoreWriter | null)?.abort()
    throw e
  }
}

function tableLabels(table: LabelTable, rec: FastaRecord, file: string): Uint8Array {
  const row = table.rows.get(rec.id) as { line: number; labels: Uint8Array; used?: boolean } | undefined
  if (!row) throw new UserError(`${file}:${rec.line}: sequence '${rec.id}' has no row in ${table.path}; add a row for it or remove the sequence`)
  row.used = true
  return row.labels
}

function checkTableCovered(table: LabelTable, files: string[]): void {
  for (const [id, row] of table.rows) {
    if (!(row as { used?: boolean }).used) {
      throw new UserError(`${table.path}:${row.line}: id '${id}' is not in ${files.join(', ')}; remove the row or add the sequence`)
    }
  }
}

async function ingestBed(
  spec: DataSpec,
  p: Plan,
  writer: StoreWriter,
  rng: Rng,
  progress: Progress,
  fileStats: IngestStats['files'],
  options: LoadOptions & { cacheDir: string },
): Promise<void> {
  const width = spec.window ?? DEFAULT_WINDOW
  const genome: Genome = await openGenome(p.genome!.path, options.cacheDir)
  const perTarget: Interval[][] = []
  for (const b of p.bed) {
    const all: Interval[] = []
    for (const f of b.files) {
      const ivs = await readBed(f.path)
      all.push(...ivs)
      fileStats.push({ path: f.path, sequences: ivs.length, bytes: f.size })
    }
    perTarget.push(all)
  }
  const windows = windowsAround(perTarget.flat(), width, genome.sizes, genome.path)
  const indexes = perTarget.map((ivs) => new OverlapIndex(ivs))
  const labels = new Uint8Array(p.bed.length)
  let allPositive = true
  for (const win of windows) {
    if (options.signal?.aborted) throw new CancelledError()
    for (let t = 0; t < indexes.length; t++) {
      labels[t] = indexes[t].overlaps(win.chrom, win.start, win.end) ? 1 : 0
      if (!labels[t]) allPositive = false
    }
    const codes = await genome.fetch(win.chrom, win.start, win.end)
    writer.add(`${win.chrom}:${win.start}-${win.end}`, codes, labels, win.chrom, { fileIndex: 0, line: 0 })
    progress.sequences++
    progress.report(0)
  }
  if (!allPositive && spec.background === undefined) return
  const zeros = new Uint8Array(p.bed.length)
  if (spec.background === 'shuffle') {
    for (const win of windows) {
      const codes = await genome.fetch(win.chrom, win.start, win.end)
      writer.add(`${win.chrom}:${win.start}-${win.end}_shuffled`, dinucleotideShuffle(codes, rng), zeros, win.chrom, { fileIndex: 0, line: 0 })
    }
  } else if (spec.background === 'gc') {
    const targets: { length: number; gc: number | null }[] = []
    for (const win of windows) targets.push({ length: width, gc: gcFraction(await genome.fetch(win.chrom, win.start, win.end)) })
    const bg = await gcMatchedWindows(genome, targets, rng, new OverlapIndex(perTarget.flat()), options.signal)
    for (const win of bg) writer.add(`${win.chrom}:${win.start}-${win.end}`, win.codes, zeros, win.chrom, { fileIndex: 0, line: 0 })
  } else {
    throw usage(
      `every window overlaps every target's intervals, so there are no negatives; add --background gc or --background shuffle, or a BED file for another target`,
    )
  }
}

/** The dataset length from the spec: `length`, else the longest (pad) or shortest (crop) sequence. */
function chooseLength(spec: DataSpec, lengths: Uint32Array): number {
  if (spec.length !== undefined) {
    if (!Number.isInteger(spec.length) || spec.length < 1) throw usage(`--length ${spec.length} is not a whole number >= 1`)
    return spec.length
  }
  let min = Infinity
  let max = 0
  for (let i = 0; i < lengths.length; i++) {
    if (lengths[i] < min) min = lengths[i]
    if (lengths[i] > max) max = lengths[i]
  }
  return spec.lengthMode === 'crop' ? min : max
}

/**
 * Load a dataset. Large inputs (or `storage: 'disk'`) are packed into
 * `<cacheDir>/datasets/<key>/`, reused on the next load of the same files and options.
 */
export async function loadDataset(spec: DataSpec, options: LoadOptions = {}): Promise<PackedDataset> {
  const cacheDir = options.cacheDir ?? defaultCacheDir()
  const p = await plan(spec)
  const split = parseSplit(spec.split)
  const storage = options.storage ?? 'auto'
  const finalDir = join(cacheDir, 'datasets', p.storeKey)
  let store: SequenceStore | null = null
  let targets: string[]
  let stats: IngestStats
  let cachePath: string | null = null
  const cached = storage === 'memory' ? null : DiskStore.open(finalDir)
  if (cached) {
    store = cached
    targets = cached.meta.targets as string[]
    stats = cached.meta.stats as IngestStats
    cachePath = finalDir
    options.onProgress?.({ bytes: p.totalBytes, totalBytes: p.totalBytes, sequences: cached.size })
  } else {
    const disk = storage === 'disk' || (storage === 'auto' && p.estimatedBytes > MEMORY_LIMIT_BYTES)
    const result = await ingest(
      spec,
      p,
      (count) => (disk ? new DiskStoreWriter(count, finalDir) : new MemoryStoreWriter(count, Math.min(p.estimatedBytes, MEMORY_LIMIT_BYTES))),
      { ...options, cacheDir },
    )
    targets = result.targets
    stats = result.stats
    if (result.writer instanceof DiskStoreWriter) {
      try {
        store = result.writer.finish({ alphabet: p.alphabet, targets, stats })
      } catch (e) {
        result.writer.abort()
        throw e
      }
      cachePath = finalDir
    } else store = (result.writer as MemoryStoreWriter).finish()
  }
  const length = chooseLength(spec, store.lengths)
  const splits =
    split.kind === 'random'
      ? assignRandomSplit(store.size, targets.length, (visit) => store!.forEachLabelRow(visit), split.fractions, spec.seed ?? 0)
      : assignChromSplit(store.chroms, store.chromIndex, split, (i) => store!.id(i))
  const fingerprint = sha([p.storeKey, length, spec.lengthMode ?? 'pad', spec.split ?? null, spec.seed ?? 0, spec.ambiguous ?? 'uniform'])
  return new PackedDataset(store, {
    alphabet: p.alphabet,
    targets,
    fingerprint,
    length,
    splits,
    ambiguous: spec.ambiguous ?? 'uniform',
    stats,
    cachePath,
  })
}

export { plan as planDataset }
export type { Plan as DatasetPlan }
