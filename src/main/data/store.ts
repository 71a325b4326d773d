/**
 * Packed sequence storage behind a Dataset.
 *
 * Sequences are kept at their own length as uint8 letter codes, concatenated, with labels
 * bit-packed (one bit per target, rows of ceil(targets/8) bytes). Two backends:
 * - MemoryStore: everything in typed arrays (normal sizes).
 * - DiskStore: a cache folder (codes.bin, ids.bin, labels.bin, index arrays, meta.json)
 *   read with fs.readSync into reused buffers, so a DeepSEA-sized set (4.4M x 1000 bp, 919
 *   targets) streams with a few hundred MB resident: only the per-sequence index (lengths,
 *   offsets: ~20 bytes a sequence) lives in memory.
 *
 * A disk store is written into a temp folder beside its final place and renamed into place
 * only when complete, so a failed or cancelled ingest never leaves a partial cache.
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { hashString } from './rng.js'
import { AMBIGUOUS_CODE } from './types.js'

/** Bump when the on-disk layout changes; old caches are then ignored. */
export const STORE_VERSION = 1

export interface SequenceStore {
  readonly size: number
  readonly targetCount: number
  /** Raw (unpadded) length of each sequence. */
  readonly lengths: Uint32Array
  /** Chromosome names referenced by `chromIndex`. */
  readonly chroms: readonly string[]
  /** Chromosome of each sequence (index into `chroms`), NO_CHROM when unknown. */
  readonly chromIndex: Uint16Array
  /** Codes of sequence i at its raw length; a view valid until the next call. */
  rawCodes(i: number): Uint8Array
  id(i: number): string
  label(i: number, t: number): number
  /** Bit-packed labels of sequence i (bit t&7 of byte t>>3 is target t); a view valid until the next call. */
  labelRow(i: number): Uint8Array
  /** Visit every sequence's bit-packed label row in order (rows are views, valid during the call). */
  forEachLabelRow(visit: (i: number, row: Uint8Array) => void): void
  close(): void
}

export const NO_CHROM = 0xffff

/** Per-ingest statistics, computed while records stream past (kept in the cache's meta). */
export interface IngestStats {
  files: { path: string; sequences: number; bytes: number }[]
  /** Count of each code 0..letters-1, then AMBIGUOUS_CODE last (padding excluded). */
  letterCounts: number[]
  /** Sequences identical to an earlier one. */
  duplicates: number
}

class GrowF64 {
  a: Float64Array
  n = 0
  constructor(cap = 1024) {
    this.a = new Float64Array(cap)
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Float64Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    this.a[this.n++] = v
  }
  view(): Float64Array {
    return this.a.subarray(0, this.n)
  }
}

class GrowU32 {
  a: Uint32Array
  n = 0
  constructor(cap = 1024) {
    this.a = new Uint32Array(cap)
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Uint32Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    this.a[this.n++] = v
  }
  view(): Uint32Array {
    return this.a.subarray(0, this.n)
  }
}

class GrowU16 {
  a: Uint16Array
  n = 0
  constructor(cap = 1024) {
    this.a = new Uint16Array(cap)
  }
  push(v: number): void {
    if (this.n === this.a.length) {
      const b = new Uint16Array(this.a.length * 2)
      b.set(this.a)
      this.a = b
    }
    this.a[this.n++] = v
  }
  view(): Uint16Array {
    return this.a.subarray(0, this.n)
  }
}

/** Chromosome of an id like `chr8:100-200` (or `chr8:100-200(+)`), else null. */
export function chromFromId(id: string): string | null {
  const colon = id.lastIndexOf(':')
  if (colon <= 0) return null
  return /^\d+-\d+(\([+-]\))?$/.test(id.slice(colon + 1)) ? id.slice(0, colon) : null
}

/** Where a record came from, for messages about duplicates. */
export interface RecordOrigin {
  fileIndex: number
  line: number
}

/**
 * The bookkeeping every store writer shares: lengths, chromosomes, letter counts,
 * duplicate-sequence hashes and duplicate-id hashes with each record's origin.
 */
export abstract class StoreWriter {
  readonly lengths = new GrowU32()
  readonly chromIndex = new GrowU16()
  readonly chroms: string[] = []
  private readonly chromMap = new Map<string, number>()
  readonly seqHashes = new GrowF64()
  readonly idHashes = new GrowF64()
  readonly originLine = new GrowF64()
  readonly originFile = new GrowU16()
  /** Counts per code byte (0..255). */
  readonly codeCounts = new Float64Array(256)
  readonly rowBytes: number

  constructor(readonly targetCount: number) {
    this.rowBytes = Math.ceil(targetCount / 8)
  }

  get size(): number {
    return this.lengths.n
  }

  /** Add one sequence. `labels` holds one 0/1 byte per target; `chrom` null when unknown. */
  add(id: string, codes: Uint8Array, labels: Uint8Array, chrom: string | null, origin: RecordOrigin): void {
    this.lengths.push(codes.length)
    let ci = NO_CHROM
    if (chrom !== null) {
      const known = this.chromMap.get(chrom)
      if (known !== undefined) ci = known
      else if (this.chroms.length < NO_CHROM) {
        ci = this.chroms.length
        this.chromMap.set(chrom, ci)
        this.chroms.push(chrom)
      }
    }
    this.chromIndex.push(ci)
    this.seqHashes.push(this.countAndHash(codes))
    this.idHashes.push(hashString(id))
    this.originLine.push(origin.line)
    this.originFile.push(origin.fileIndex)
    this.writeRecord(id, codes, packLabels(labels, this.rowBytes))
  }

  protected abstract writeRecord(id: string, codes: Uint8Array, labelRow: Uint8Array): void

  /** Per-code counters in four interleaved tables (no store-to-load stalls on repeated letters), flushed into codeCounts. */
  private readonly counters = new Uint32Array(1024)
  private counted = 0
  private aligned = new Uint8Array(4096)

  /**
   * Count the letters of `codes` and return its 52-bit hash, 4 bytes a step (views that
   * are not 4-byte aligned are copied first; the parser's buffer always is). The hash is FNV-style over
   * 32-bit words; it only needs to tell different sequences apart for duplicate counts.
   */
  private countAndHash(view: Uint8Array): number {
    let codes = view
    if ((view.byteOffset & 3) !== 0) {
      // Same bytes must hash the same wherever they sit: hash an aligned copy.
      if (this.aligned.length < view.length) this.aligned = new Uint8Array(Math.max(view.length, this.aligned.length * 2))
      this.aligned.set(view)
      codes = this.aligned.subarray(0, view.length)
    }
    const c = this.counters
    const n = codes.length
    let h1 = 0x811c9dc5
    let h2 = 0x01000193 ^ n
    let k = 0
    if (n >= 4) {
      const words = new Uint32Array(codes.buffer, codes.byteOffset, n >>> 2)
      for (let j = 0; j < words.length; j++) {
        const w = words[j]
        c[w & 255]++
        c[256 + ((w >>> 8) & 255)]++
        c[512 + ((w >>> 16) & 255)]++
        c[768 + (w >>> 24)]++
        h1 = Math.imul(h1 ^ w, 0x01000193)
        h2 = Math.imul(h2 ^ w, 0x5bd1e995)
        h2 ^= h2 >>> 15
      }
      k = words.length << 2
    }
    for (; k < n; k++) {
      const b = codes[k]
      c[b]++
      h1 = Math.imul(h1 ^ b, 0x01000193)
      h2 = Math.imul(h2 ^ b, 0x5bd1e995)
      h2 ^= h2 >>> 15
    }
    this.counted += n
    if (this.counted > 2 ** 30) this.flushCounts()
    return (h1 >>> 0) * 1048576 + ((h2 >>> 0) & 0xfffff)
  }

  private flushCounts(): void {
    for (let b = 0; b < 256; b++) {
      this.codeCounts[b] += this.counters[b] + this.counters[256 + b] + this.counters[512 + b] + this.counters[768 + b]
    }
    this.counters.fill(0)
    this.counted = 0
  }

  /** The id of record i, read back (for duplicate checks). */
  abstract idAt(i: number): string

  /** Number of sequences equal to an earlier one (by 52-bit hash). */
  countDuplicateSequences(): number {
    const h = this.seqHashes.view().slice().sort()
    let dup = 0
    for (let i = 1; i < h.length; i++) if (h[i] === h[i - 1]) dup++
    return dup
  }

  /**
   * The first pair of records (in input order) sharing an id, or null. Hashes find the
   * candidates; the ids themselves confirm them.
   */
  findDuplicateId(idOf: (i: number) => string): [number, number] | null {
    const hashes = this.idHashes.view()
    const order = new Uint32Array(hashes.length)
    for (let i = 0; i < order.length; i++) order[i] = i
    order.sort((a, b) => hashes[a] - hashes[b] || a - b)
    let best: [number, number] | null = null
    for (let k = 1; k < order.length; k++) {
      if (hashes[order[k]] !== hashes[order[k - 1]]) continue
      // Within a run of equal hashes, compare against every earlier member of the run.
      for (let j = k - 1; j >= 0 && hashes[order[j]] === hashes[order[k]]; j--) {
        const a = order[j]
        const b = order[k]
        if ((best === null || b < best[1]) && idOf(a) === idOf(b)) best = [a, b]
      }
    }
    return best
  }

  letterCounts(letters: number): number[] {
    this.flushCounts()
    const out: number[] = []
    for (let k = 0; k < letters; k++) out.push(this.codeCounts[k])
    out.push(this.codeCounts[AMBIGUOUS_CODE])
    return out
  }

  abstract abort(): void
}

export function packLabels(labels: Uint8Array, rowBytes: number): Uint8Array {
  const row = new Uint8Array(rowBytes)
  for (let t = 0; t < labels.length; t++) if (labels[t]) row[t >> 3] |= 1 << (t & 7)
  return row
}

// ---------------------------------------------------------------------------- memory

export class MemoryStoreWriter extends StoreWriter {
  private codes: Uint8Array
  private used = 0
  private readonly ids: string[] = []
  private labels: Uint8Array

  constructor(targetCount: number, expectedBytes = 1 << 20) {
    super(targetCount)
    this.codes = new Uint8Array(Math.max(1024, Math.min(expectedBytes, 2 ** 31)))
    this.labels = new Uint8Array(Math.max(64, this.rowBytes * 1024))
  }

  protected writeRecord(id: string, codes: Uint8Array, labelRow: Uint8Array): void {
    if (this.used + codes.length > this.codes.length) {
      const bigger = new Uint8Array(Math.max(this.codes.length * 2, this.used + codes.length))
      bigger.set(this.codes.subarray(0, this.used))
      this.codes = bigger
    }
    this.codes.set(codes, this.used)
    this.used += codes.length
    const i = this.ids.length
    this.ids.push(id)
    if ((i + 1) * this.rowBytes > this.labels.length) {
      const bigger = new Uint8Array(this.labels.length * 2)
      bigger.set(this.labels)
      this.labels = bigger
    }
    this.labels.set(labelRow, i * this.rowBytes)
  }

  idAt(i: number): string {
    return this.ids[i]
  }

  finish(): MemoryStore {
    const lengths = this.lengths.view().slice()
    return new MemoryStore(
      this.codes.slice(0, this.used),
      lengths,
      this.ids,
      this.labels.slice(0, this.size * this.rowBytes),
      this.targetCount,
      this.chroms,
      this.chromIndex.view().slice(),
    )
  }

  abort(): void {}
}

function prefixOffsets(lengths: Uint32Array): Float64Array {
  const off = new Float64Array(lengths.length + 1)
  for (let i = 0; i < lengths.length; i++) off[i + 1] = off[i] + lengths[i]
  return off
}

export class MemoryStore implements SequenceStore {
  private readonly offsets: Float64Array
  private readonly rowBytes: number

  constructor(
    private readonly codes: Uint8Array,
    readonly lengths: Uint32Array,
    private readonly ids: string[],
    private readonly labels: Uint8Array,
    readonly targetCount: number,
    readonly chroms: readonly string[],
    readonly chromIndex: Uint16Array,
  ) {
    this.offsets = prefixOffsets(lengths)
    this.rowBytes = Math.ceil(targetCount / 8)
  }

  get size(): number {
    return this.lengths.length
  }

  rawCodes(i: number): Uint8Array {
    return this.codes.subarray(this.offsets[i], this.offsets[i + 1])
  }

  id(i: number): string {
    return this.ids[i]
  }

  label(i: number, t: number): number {
    return (this.labels[i * this.rowBytes + (t >> 3)] >> (t & 7)) & 1
  }

  labelRow(i: number): Uint8Array {
    return this.labels.subarray(i * this.rowBytes, (i + 1) * this.rowBytes)
  }

  forEachLabelRow(visit: (i: number, row: Uint8Array) => void): void {
    const rb = this.rowBytes
    for (let i = 0; i < this.size; i++) visit(i, this.labels.subarray(i * rb, (i + 1) * rb))
  }

  close(): void {}
}

// ---------------------------------------------------------------------------- disk

/** Appends to a file through a 4 MiB buffer. */
class BufferedFile {
  private readonly fd: number
  private readonly buf = Buffer.allocUnsafe(4 << 20)
  private used = 0
  bytes = 0

  constructor(path: string) {
    this.fd = openSync(path, 'w')
  }

  write(data: Uint8Array): void {
    if (this.used + data.length > this.buf.length) this.flush()
    if (data.length > this.buf.length) {
      writeAll(this.fd, data)
    } else {
      this.buf.set(data, this.used)
      this.used += data.length
    }
    this.bytes += data.length
  }

  /** Append a string as UTF-8; returns its byte length. */
  writeString(s: string): number {
    if (s.length * 3 > this.buf.length) {
      const b = Buffer.from(s, 'utf8')
      this.write(b)
      return b.length
    }
    if (this.used + s.length * 3 > this.buf.length) this.flush()
    const n = this.buf.write(s, this.used, 'utf8')
    this.used += n
    this.bytes += n
    return n
  }

  flush(): void {
    if (this.used > 0) writeAll(this.fd, this.buf.subarray(0, this.used))
    this.used = 0
  }

  close(): void {
    this.flush()
    closeSync(this.fd)
  }
}

function writeAll(fd: number, data: Uint8Array): void {
  let off = 0
  while (off < data.length) off += writeSync(fd, data, off, data.length - off)
}

/**
 * Writes a store into `<finalDir>.tmp-<pid>-<random>` and renames it to `finalDir` on
 * `finish`, so readers only ever see complete caches.
 */
export class DiskStoreWriter extends StoreWriter {
  readonly tmpDir: string
  private readonly codes: BufferedFile
  private readonly ids: BufferedFile
  private readonly labels: BufferedFile
  private readonly idOffsets = new GrowF64()
  private closed = false

  constructor(
    targetCount: number,
    readonly finalDir: string,
  ) {
    super(targetCount)
    this.tmpDir = `${finalDir}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`
    mkdirSync(this.tmpDir, { recursive: true })
    removeAbandonedTemps(dirname(finalDir))
    this.codes = new BufferedFile(join(this.tmpDir, 'codes.bin'))
    this.ids = new BufferedFile(join(this.tmpDir, 'ids.bin'))
    this.labels = new BufferedFile(join(this.tmpDir, 'labels.bin'))
    this.idOffsets.push(0)
  }

  protected writeRecord(id: string, codes: Uint8Array, labelRow: Uint8Array): void {
    this.codes.write(codes)
    this.ids.writeString(id)
    this.idOffsets.push(this.ids.bytes)
    this.labels.write(labelRow)
  }

  /** Reading an id back during ingest (duplicate checks) needs the ids on disk. */
  idAt(i: number): string {
    this.ids.flush()
    const start = this.idOffsets.a[i]
    const buf = Buffer.alloc(this.idOffsets.a[i + 1] - start)
    const fd = openSync(join(this.tmpDir, 'ids.bin'), 'r')
    try {
      readSync(fd, buf, 0, buf.length, start)
    } finally {
      closeSync(fd)
    }
    return buf.toString('utf8')
  }

  /** Close the files, write the index and `meta` (JSON), and move the folder into place. */
  finish(meta: object): DiskStore {
    this.closeFiles()
    writeFileSync(join(this.tmpDir, 'lengths.u32'), this.lengths.view())
    writeFileSync(join(this.tmpDir, 'idoff.f64'), this.idOffsets.view())
    writeFileSync(join(this.tmpDir, 'chrom.u16'), this.chromIndex.view())
    const full = { version: STORE_VERSION, size: this.size, targetCount: this.targetCount, chroms: this.chroms, ...meta }
    writeFileSync(join(this.tmpDir, 'meta.json'), JSON.stringify(full))
    if (existsSync(this.finalDir)) {
      // Another process finished the same cache first; theirs is equivalent.
      rmSync(this.tmpDir, { recursive: true, force: true })
    } else {
      renameSync(this.tmpDir, this.finalDir)
    }
    return DiskStore.open(this.finalDir)!
  }

  private closeFiles(): void {
    if (this.closed) return
    this.closed = true
    this.codes.close()
    this.ids.close()
    this.labels.close()
  }

  abort(): void {
    try {
      this.closeFiles()
    } finally {
      rmSync(this.tmpDir, { recursive: true, force: true })
    }
  }
}

/** Remove temp folders left by ingests whose process died (killed, crashed) before cleaning up. */
function removeAbandonedTemps(parent: string): void {
  for (const name of readdirSync(parent)) {
    const m = /\.tmp-(\d+)-[a-z0-9]+$/.exec(name)
    if (!m || Number(m[1]) === process.pid) continue
    let alive = true
    try {
      process.kill(Number(m[1]), 0)
    } catch (e) {
      alive = (e as NodeJS.ErrnoException).code === 'EPERM'
    }
    if (!alive) rmSync(join(parent, name), { recursive: true, force: true })
  }
}

function readTyped<T>(path: string, make: (buf: ArrayBuffer, byteOffset: number, n: number) => T, width: number): T {
  const b = readFileSync(path)
  // Copy into an aligned buffer: Buffer pools may hand out unaligned offsets.
  const ab = new ArrayBuffer(b.length)
  new Uint8Array(ab).set(b)
  return make(ab, 0, b.length / width)
}

export class DiskStore implements SequenceStore {
  readonly size: number
  readonly targetCount: number
  readonly chroms: readonly string[]
  readonly lengths: Uint32Array
  readonly chromIndex: Uint16Array
  readonly meta: Record<string, unknown>
  private readonly offsets: Float64Array
  private readonly idOffsets: Float64Array
  private readonly rowBytes: number
  private readonly codesFd: number
  private readonly idsFd: number
  private readonly labelsFd: number
  /** Labels live in memory when small (< 64 MiB by default), else are read a row at a time. */
  private readonly labelsInMemory: Uint8Array | null
  private scratch = new Uint8Array(1 << 16)
  private readonly row: Uint8Array
  private rowIndex = -1

  private constructor(
    readonly dir: string,
    meta: Record<string, unknown>,
    labelsInMemoryLimit: number,
  ) {
    this.meta = meta
    this.size = meta.size as number
    this.targetCount = meta.targetCount as number
    this.chroms = meta.chroms as string[]
    this.lengths = readTyped(join(dir, 'lengths.u32'), (b, o, n) => new Uint32Array(b, o, n), 4)
    this.idOffsets = readTyped(join(dir, 'idoff.f64'), (b, o, n) => new Float64Array(b, o, n), 8)
    this.chromIndex = readTyped(join(dir, 'chrom.u16'), (b, o, n) => new Uint16Array(b, o, n), 2)
    this.offsets = prefixOffsets(this.lengths)
    this.rowBytes = Math.ceil(this.targetCount / 8)
    this.row = new Uint8Array(this.rowBytes)
    this.codesFd = openSync(join(dir, 'codes.bin'), 'r')
    this.idsFd = openSync(join(dir, 'ids.bin'), 'r')
    this.labelsFd = openSync(join(dir, 'labels.bin'), 'r')
    this.labelsInMemory = this.rowBytes * this.size < labelsInMemoryLimit ? readFileSync(join(dir, 'labels.bin')) : null
  }

  /** Open a complete cache folder, or null when there is none (or it is from another version). */
  static open(dir: string, options: { labelsInMemoryLimit?: number } = {}): DiskStore | null {
    const metaPath = join(dir, 'meta.json')
    if (!existsSync(metaPath)) return null
    let meta: Record<string, unknown>
    try {
      meta = JSON.parse(readFileSync(metaPath, 'utf8'))
    } catch {
      return null
    }
    if (meta.version !== STORE_VERSION) return null
    return new DiskStore(dir, meta, options.labelsInMemoryLimit ?? 64 << 20)
  }

  rawCodes(i: number): Uint8Array {
    const len = this.lengths[i]
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, this.scratch.length * 2))
    readExactly(this.codesFd, this.scratch, len, this.offsets[i])
    return this.scratch.subarray(0, len)
  }

  /**
   * Codes of the sequences [first, first+count) read in one call into `out` (grown as
   * needed), for sequential batch streaming. Returns the buffer and each sequence's offset.
   */
  rawRange(first: number, count: number, out: Uint8Array): { bytes: Uint8Array; start: number } {
    const start = this.offsets[first]
    const len = this.offsets[first + count] - start
    const buf = out.length >= len ? out : new Uint8Array(len)
    readExactly(this.codesFd, buf, len, start)
    return { bytes: buf, start }
  }

  offsetOf(i: number): number {
    return this.offsets[i]
  }

  id(i: number): string {
    const start = this.idOffsets[i]
    const len = this.idOffsets[i + 1] - start
    const buf = Buffer.allocUnsafe(len)
    readExactly(this.idsFd, buf, len, start)
    return buf.toString('utf8')
  }

  label(i: number, t: number): number {
    if (this.labelsInMemory) return (this.labelsInMemory[i * this.rowBytes + (t >> 3)] >> (t & 7)) & 1
    if (this.rowIndex !== i) {
      readExactly(this.labelsFd, this.row, this.rowBytes, i * this.rowBytes)
      this.rowIndex = i
    }
    return (this.row[t >> 3] >> (t & 7)) & 1
  }

  /** Bit-packed label row of sequence i (a view valid until the next call). */
  labelRow(i: number): Uint8Array {
    if (this.labelsInMemory) return this.labelsInMemory.subarray(i * this.rowBytes, (i + 1) * this.rowBytes)
    if (this.rowIndex !== i) {
      readExactly(this.labelsFd, this.row, this.rowBytes, i * this.rowBytes)
      this.rowIndex = i
    }
    return this.row
  }

  forEachLabelRow(visit: (i: number, row: Uint8Array) => void): void {
    const rb = this.rowBytes
    if (this.labelsInMemory) {
      for (let i = 0; i < this.size; i++) visit(i, this.labelsInMemory.subarray(i * rb, (i + 1) * rb))
      return
    }
    // Sequential reads in 4 MiB blocks of whole rows.
    const perBlock = Math.max(1, Math.floor((4 << 20) / Math.max(1, rb)))
    const block = new Uint8Array(perBlock * rb)
    for (let first = 0; first < this.size; first += perBlock) {
      const n = Math.min(perBlock, this.size - first)
      readExactly(this.labelsFd, block, n * rb, first * rb)
      for (let k = 0; k < n; k++) visit(first + k, block.subarray(k * rb, (k + 1) * rb))
    }
  }

  close(): void {
    closeSync(this.codesFd)
    closeSync(this.idsFd)
    closeSync(this.labelsFd)
  }
}

function readExactly(fd: number, buf: Uint8Array, len: number, position: number): void {
  let got = 0
  while (got < len) {
    const n = readSync(fd, buf, got, len - got, position + got)
    if (n === 0) throw new Error(`cache file ended early at byte ${position + got}`)
    got += n
  }
}

// ---------------------------------------------------------------------------- stats only

/**
 * Keeps what a summary needs (lengths, letter counts, hashes, ids for duplicate checks,
 * positive counts per target) and drops the letters: `data inspect` on a several-GB file
 * needs no cache.
 */
export class StatsOnlyWriter extends StoreWriter {
  private readonly ids: string[] = []
  positives: Float64Array

  constructor(targetCount: number) {
    super(targetCount)
    this.positives = new Float64Array(targetCount)
  }

  protected writeRecord(id: string, _codes: Uint8Array, labelRow: Uint8Array): void {
    this.ids.push(id)
    for (let t = 0; t < this.targetCount; t++) if ((labelRow[t >> 3] >> (t & 7)) & 1) this.positives[t]++
  }

  idAt(i: number): string {
    return this.ids[i]
  }

  abort(): void {}
}
