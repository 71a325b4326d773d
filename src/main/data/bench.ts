/**
 * Ingest benchmarks, called by `motiflens bench`:
 *
 * - benchIngest: write a synthetic FASTA of a given size to a temp folder, then time the
 *   bare streaming parse, loadDataset (into the on-disk packed cache) and, when
 *   /usr/bin/python3 has Biopython, SeqIO.parse on the same file.
 * - benchDeepSeaStream: a DeepSEA-shaped set (default 4.4M x 1000 bp, 919 targets) packed
 *   straight into the on-disk store, then streamed once in one-hot batches; peak RSS stays
 *   far below the 4.4 GB of letters because only the per-sequence index lives in memory.
 *
 * Peak RSS is sampled (process.memoryUsage().rss) while each phase runs.
 */
import { spawnSync } from 'node:child_process'
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { PackedDataset } from './dataset.js'
import { parseFastaFile, statInput } from './fasta.js'
import { loadDataset } from './load.js'
import { Rng } from './rng.js'
import { assignRandomSplit } from './split.js'
import { DiskStoreWriter } from './store.js'
import { RssSampler } from '../bench/rss.js'

export interface IngestBenchResult {
  file_mb: number
  sequences: number
  /** Bare streaming parse (bytes -> letter codes), MB/s of file. */
  parse_mb_per_s: number
  /** loadDataset into the on-disk cache (parse + hashes + stats + writes + splits), MB/s. */
  mb_per_s: number
  /** Peak RSS sampled during loadDataset, MB. */
  peak_rss_mb: number
  /** Biopython SeqIO.parse over the same file, MB/s; null when /usr/bin/python3 or Biopython is missing. */
  biopython_mb_per_s: number | null
  biopython_note?: string
}


/**
 * Write a FASTA of about `bytes` bytes: records of `recordLength` random-looking letters in
 * 60-letter lines. Letters are slices of a random pool at random offsets, so writing is
 * disk-bound rather than RNG-bound.
 */
export function writeSyntheticFasta(path: string, bytes: number, recordLength = 1000, seed = 0): { sequences: number; bytes: number } {
  const rng = new Rng(seed)
  const pool = new Uint8Array(1 << 22)
  const letters = [0x41, 0x43, 0x47, 0x54]
  for (let i = 0; i < pool.length; i++) pool[i] = letters[rng.uint32() & 3]
  const fd = openSync(path, 'w')
  const buf = Buffer.alloc(8 << 20)
  let used = 0
  let written = 0
  let sequences = 0
  const flush = () => {
    let off = 0
    while (off < used) off += writeSync(fd, buf, off, used - off)
    written += used
    used = 0
  }
  try {
    while (written + used < bytes) {
      if (used + recordLength * 2 + 64 > buf.length) flush()
      used += buf.write(`>seq${sequences} synthetic\n`, used, 'latin1')
      const start = rng.int(pool.length - recordLength)
      for (let k = 0; k < recordLength; k += 60) {
        const n = Math.min(60, recordLength - k)
        buf.set(pool.subarray(start + k, start + k + n), used)
        used += n
        buf[used++] = 0x0a
      }
      sequences++
    }
    flush()
  } finally {
    closeSync(fd)
  }
  return { sequences, bytes: written }
}

const BIOPYTHON_SCRIPT = `
import sys, time, json
from Bio import SeqIO
t = time.perf_counter()
n = 0
total = 0
for rec in SeqIO.parse(sys.argv[1], "fasta"):
    n += 1
    total += len(rec.seq)
print(json.dumps({"seconds": time.perf_counter() - t, "records": n, "letters": total}))
`

/** Time Biopython's SeqIO.parse over `path`; null (with why) when it cannot run. */
export function biopythonParseSeconds(path: string, python = '/usr/bin/python3'): { seconds: number | null; note?: string } {
  if (!existsSync(python)) return { seconds: null, note: `${python} not found` }
  const r = spawnSync(python, ['-c', BIOPYTHON_SCRIPT, path], { encoding: 'utf8', maxBuffer: 1 << 20 })
  if (r.status !== 0) return { seconds: null, note: (r.stderr || r.error?.message || 'failed').trim().split('\n').pop() }
  return { seconds: JSON.parse(r.stdout).seconds }
}

export async function benchIngest(
  options: { sizeMb?: number; dir?: string; keep?: boolean; biopython?: boolean; onLog?: (line: string) => void } = {},
): Promise<IngestBenchResult> {
  const sizeMb = options.sizeMb ?? 1024
  const log = options.onLog ?? (() => {})
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'motiflens-bench-'))
  const fasta = join(dir, 'synthetic.fa')
  try {
    log(`writing ${sizeMb} MB synthetic FASTA to ${fasta}`)
    const { sequences } = writeSyntheticFasta(fasta, sizeMb * 1e6)
    const info = await statInput(fasta)
    const mb = info.size / 1e6

    let t = performance.now()
    let count = 0
    await parseFastaFile(info, { alphabet: 'dna' }, () => count++)
    const parseSeconds = (performance.now() - t) / 1000
    log(`streaming parse: ${(mb / parseSeconds).toFixed(0)} MB/s (${count} records)`)

    const rss = new RssSampler()
    t = performance.now()
    const ds = await loadDataset({ fasta: [fasta], alphabet: 'dna' }, { cacheDir: join(dir, 'cache'), storage: 'disk', onProgress: () => rss.sample() })
    const loadSeconds = (performance.now() - t) / 1000
    const peak = rss.stop()
    ds.close()
    log(`loadDataset (disk cache): ${(mb / loadSeconds).toFixed(0)} MB/s, peak RSS ${peak.toFixed(0)} MB`)

    let biopython: { seconds: number | null; note?: string } = { seconds: null, note: 'not run' }
    if (options.biopython !== false) {
      biopython = biopythonParseSeconds(fasta)
      log(biopython.seconds === null ? `Biopython: ${biopython.note}` : `Biopython SeqIO.parse: ${(mb / biopython.seconds).toFixed(0)} MB/s`)
    }
    return {
      file_mb: mb,
      sequences,
      parse_mb_per_s: mb / parseSeconds,
      mb_per_s: mb / loadSeconds,
      peak_rss_mb: peak,
      biopython_mb_per_s: biopython.seconds === null ? null : mb / biopython.seconds,
      ...(biopython.seconds === null ? { biopython_note: biopython.note } : {}),
    }
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true })
  }
}

export interface DeepSeaBenchResult {
  sequences: number
  length: number
  targets: number
  /** Seconds to pack the synthetic set into the on-disk store. */
  pack_seconds: number
  cache_gb: number
  /** One pass over every sequence in one-hot batches (with labels). */
  stream_seconds: number
  samples_per_s: number
  /** Peak RSS sampled while packing and while streaming, MB. */
  peak_rss_pack_mb: number
  peak_rss_stream_mb: number
}

/**
 * Pack a DeepSEA-shaped synthetic set into the on-disk store and stream it once in
 * batches. Labels are sparse (each target positive with probability `density`).
 */
export async function benchDeepSeaStream(
  options: { sequences?: number; length?: number; targets?: number; batchSize?: number; density?: number; dir?: string; keep?: boolean; onLog?: (line: string) => void } = {},
): Promise<DeepSeaBenchResult> {
  const n = options.sequences ?? 4_400_000
  const L = options.length ?? 1000
  const T = options.targets ?? 919
  const batchSize = options.batchSize ?? 256
  const density = options.density ?? 0.02
  const log = options.onLog ?? (() => {})
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'motiflens-deepsea-'))
  const rng = new Rng(1)
  try {
    const rssPack = new RssSampler()
    let t = performance.now()
    const writer = new DiskStoreWriter(T, join(dir, 'store'))
    const pool = new Uint8Array(1 << 22)
    for (let i = 0; i < pool.length; i++) pool[i] = rng.uint32() & 3
    const labels = new Uint8Array(T)
    const chroms = ['chr1', 'chr2', 'chr3', 'chr4', 'chr5', 'chr6', 'chr7', 'chr8', 'chr9']
    for (let i = 0; i < n; i++) {
      const at = rng.int(pool.length - L)
      for (let k = 0; k < T; k++) labels[k] = rng.next() < density ? 1 : 0
      const chrom = chroms[i % chroms.length]
      writer.add(`${chrom}:${i * 200}-${i * 200 + L}`, pool.subarray(at, at + L), labels, chrom, { fileIndex: 0, line: 0 })
      if ((i & 0xffff) === 0) {
        rssPack.sample()
        if (i > 0) log(`packed ${i.toLocaleString('en-US')} / ${n.toLocaleString('en-US')}`)
        await new Promise((r) => setImmediate(r))
      }
    }
    const store = writer.finish({ alphabet: 'dna', targets: Array.from({ length: T }, (_, k) => `t${k}`), stats: { files: [], letterCounts: [], duplicates: 0 } })
    const packSeconds = (performance.now() - t) / 1000
    const peakPack = rssPack.stop()
    const cacheBytes = ['codes.bin', 'labels.bin', 'ids.bin'].reduce((s, f) => s + statSync(join(store.dir, f)).size, 0)
    log(`packed in ${packSeconds.toFixed(1)} s (${(cacheBytes / 1e9).toFixed(2)} GB), peak RSS ${peakPack.toFixed(0)} MB`)

    const rssStream = new RssSampler()
    t = performance.now()
    const splits = assignRandomSplit(n, T, (visit) => store.forEachLabelRow(visit), [0.8, 0.1, 0.1], 0)
    const ds = new PackedDataset(store, {
      alphabet: 'dna',
      targets: Array.from({ length: T }, (_, k) => `t${k}`),
      fingerprint: 'bench',
      length: L,
      splits,
      ambiguous: 'uniform',
      stats: { files: [], letterCounts: [], duplicates: 0 },
      cachePath: store.dir,
    })
    const idx = new Uint32Array(batchSize)
    let checksum = 0
    for (let first = 0; first < n; first += batchSize) {
      const m = Math.min(batchSize, n - first)
      for (let k = 0; k < m; k++) idx[k] = first + k
      const b = ds.batch(m === batchSize ? idx : idx.subarray(0, m))
      checksum += b.x[0] + b.y[0]
      if ((first / batchSize) % 512 === 0) {
        rssStream.sample()
        await new Promise((r) => setImmediate(r))
      }
    }
    const streamSeconds = (performance.now() - t) / 1000
    const peakStream = rssStream.stop()
    ds.close()
    log(`streamed ${n.toLocaleString('en-US')} sequences in ${streamSeconds.toFixed(1)} s, peak RSS ${peakStream.toFixed(0)} MB (checksum ${checksum})`)
    return {
      sequences: n,
      length: L,
      targets: T,
      pack_seconds: packSeconds,
      cache_gb: cacheBytes / 1e9,
      stream_seconds: streamSeconds,
      samples_per_s: n / streamSeconds,
      peak_rss_pack_mb: peakPack,
      peak_rss_stream_mb: peakStream,
    }
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true })
  }
}
