/**
 * `motiflens bench`: training and inference throughput of the workloads in workloads.ts on
 * this machine, next to the PyTorch reference (scripts/bench/torch_reference.py) run in the
 * same invocation, plus the data and motif benchmarks of the other engines when present.
 *
 * Method (same for both frameworks): random one-hot data built once; an epoch is `samples`
 * rows in a shuffled order, batched, one optimizer step per batch; training samples/s is the
 * median of `epochs` epochs after one warm-up epoch; inference samples/s is the median of 3
 * passes over the same rows. tfjs runs first, PyTorch after it, so they never share the CPU.
 * Peak RSS is this process's resident set, sampled every 50 ms and after every step, while the
 * workload runs (earlier workloads' memory can still count).
 */
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { initBackend, type BackendPreference } from '../compute/backend.js'
import { createTrainer, type Trainer } from '../compute/parallel.js'
import { projectRoot } from '../version.js'
import { WORKLOADS, randomOneHot, randomTargets, type Workload, type WorkloadName } from './workloads.js'
import { RssSampler } from './rss.js'
import { benchDeepSeaStream, benchIngest, type DeepSeaBenchResult, type IngestBenchResult } from '../data/bench.js'

export interface WorkloadResult {
  name: WorkloadName
  train_samples_per_s: number
  infer_samples_per_s: number
  peak_rss_mb: number
  backend: string
  reference_train_samples_per_s: number | null
  /** train_samples_per_s / reference_train_samples_per_s (>= 1: at least as fast as PyTorch). */
  ratio: number | null
}

export interface BenchReport {
  workloads: WorkloadResult[]
  /** loadDataset of a synthetic FASTA into the on-disk cache (the 1 GB by default). */
  ingest_mb_per_s?: number
  ingest?: IngestBenchResult
  /** A DeepSEA-shaped set (4.4 M x 1000 bp, 919 labels by default) packed and streamed in batches. */
  deepsea_data?: DeepSeaBenchResult
  motif_extraction_s?: number
  /** What the reference was, or why there is none. */
  reference?: string
}

export interface BenchOptions {
  workloads: WorkloadName[]
  epochs: number
  backend: BackendPreference
  /** Worker threads for wasm (default: trainer's choice). */
  workers?: number
  /** Run the PyTorch reference (default true). */
  reference?: boolean
  python?: string
  /** Run the data/motif benchmarks (default true). */
  extras?: boolean
  /** Size of the ingest benchmark's FASTA in MB (default 1024). */
  ingestMb?: number
  /** Sequences of the DeepSEA-shaped data benchmark; 0 (default) skips it (4.4 M takes minutes and 5 GB of disk). */
  deepseaSequences?: number
  onLog?: (line: string) => void
}


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}

/** Fisher-Yates with a fixed seed, so every run visits rows in the same orders. */
function shuffled(n: number, seed: number): Uint32Array {
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) order[i] = i
  let a = seed >>> 0
  for (let i = n - 1; i > 0; i--) {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0
    const j = a % (i + 1)
    const t = order[i]
    order[i] = order[j]
    order[j] = t
  }
  return order
}

const round1 = (v: number) => Math.round(v * 10) / 10

export async function runWorkload(w: Workload, opts: Pick<BenchOptions, 'epochs' | 'backend' | 'workers' | 'onLog'>): Promise<WorkloadResult> {
  const log = opts.onLog ?? (() => {})
  const rss = new RssSampler()
  let trainer: Trainer | undefined
  try {
    await initBackend(opts.backend) // the model is built here first, for its JSON and initial weights
    const x = randomOneHot(w.samples, w.length, 1)
    const y = randomTargets(w.samples, w.targets, 2)
    const model = w.build()
    const json = model.toJSON(null, false) as Record<string, unknown>
    const weights = model.getWeights().map((t) => t.dataSync().slice() as Float32Array)
    model.layers.forEach((l) => l.dispose())
    trainer = await createTrainer({
      modelJson: json,
      weights,
      optimizer: { name: 'adam', learningRate: 1e-3 },
      loss: { name: 'binary-crossentropy' },
      backend: opts.backend,
      workers: opts.workers,
      maxBatch: Math.max(w.batchSize, w.inferBatchSize),
    })
    const inSize = w.length * 4
    const xb = new Float32Array(w.batchSize * inSize)
    const yb = new Float32Array(w.batchSize * w.targets)
    const fill = (order: Uint32Array, s: number, n: number) => {
      for (let r = 0; r < n; r++) {
        const row = order[s + r]
        xb.set(x.subarray(row * inSize, (row + 1) * inSize), r * inSize)
        yb.set(y.subarray(row * w.targets, (row + 1) * w.targets), r * w.targets)
      }
    }
    const epoch = async (e: number): Promise<number> => {
      const order = shuffled(w.samples, 1000 + e)
      const t0 = performance.now()
      let n = Math.min(w.batchSize, w.samples)
      fill(order, 0, n)
      for (let s = 0; s < w.samples; s += w.batchSize) {
        // The trainer copies the batch before step() returns: gather the next one meanwhile.
        const pending = trainer!.step(xb, yb, n, e * 1_000_003 + s)
        const next = s + w.batchSize
        n = Math.min(w.batchSize, w.samples - next)
        if (n > 0) fill(order, next, n)
        await pending
        rss.sample()
      }
      return w.samples / ((performance.now() - t0) / 1000)
    }
    log(`${w.name}: ${trainer.backend}; warm-up epoch`)
    await epoch(0)
    const rates: number[] = []
    for (let e = 1; e <= opts.epochs; e++) {
      rates.push(await epoch(e))
      log(`${w.name}: epoch ${e}: ${rates[rates.length - 1].toFixed(1)} samples/s`)
    }
    const inferRates: number[] = []
    for (let k = 0; k < 3; k++) {
      const t0 = performance.now()
      for (let s = 0; s < w.samples; s += w.inferBatchSize) {
        const n = Math.min(w.inferBatchSize, w.samples - s)
        await trainer.predict(x.subarray(s * inSize, (s + n) * inSize), n)
        rss.sample()
      }
      inferRates.push(w.samples / ((performance.now() - t0) / 1000))
    }
    return {
      name: w.name,
      train_samples_per_s: round1(median(rates)),
      infer_samples_per_s: round1(median(inferRates)),
      peak_rss_mb: round1(rss.stop()),
      backend: trainer.backend,
      reference_train_samples_per_s: null,
      ratio: null,
    }
  } finally {
    rss.stop()
    await trainer?.dispose()
  }
}

export interface ReferenceResult {
  note: string
  train: Map<string, number>
}

/** Run scripts/bench/torch_reference.py; never throws (a missing torch is reported in `note`). */
export async function runTorchReference(names: WorkloadName[], epochs: number, python = '/usr/bin/python3', threads = 2): Promise<ReferenceResult> {
  const script = join(projectRoot(), 'scripts', 'bench', 'torch_reference.py')
  const args = [script, '--workloads', names.join(','), '--epochs', String(epochs), '--threads', String(threads)]
  const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
    let out = ''
    let err = ''
    const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('error', (e) => resolve({ code: -1, stdout: out, stderr: e.message }))
    child.on('close', (c) => resolve({ code: c ?? 1, stdout: out, stderr: err }))
  })
  if (code !== 0) {
    const why = stderr.trim().split('\n').pop() || `exit code ${code}`
    return { note: `no PyTorch reference: ${python} ${script} failed (${why})`, train: new Map() }
  }
  try {
    const doc = JSON.parse(stdout.trim().split('\n').pop() ?? '') as { torch: string; threads: number; workloads: { name: string; train_samples_per_s: number }[] }
    return {
      note: `PyTorch ${doc.torch}, ${doc.threads} threads (torch.set_num_threads), ${python}`,
      train: new Map(doc.workloads.map((r) => [r.name, r.train_samples_per_s])),
    }
  } catch {
    return { note: `no PyTorch reference: could not read the output of ${script}`, train: new Map() }
  }
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const log = opts.onLog ?? (() => {})
  const results: WorkloadResult[] = []
  for (const name of opts.workloads) results.push(await runWorkload(WORKLOADS[name], opts))
  const report: BenchReport = { workloads: results }
  if (opts.reference !== false) {
    log(`PyTorch reference: ${opts.workloads.join(', ')}`)
    const ref = await runTorchReference(opts.workloads, opts.epochs, opts.python)
    report.reference = ref.note
    for (const r of results) {
      const t = ref.train.get(r.name)
      if (t !== undefined) {
        r.reference_train_samples_per_s = t
        r.ratio = Math.round((r.train_samples_per_s / t) * 100) / 100
      }
    }
  }
  if (opts.extras !== false) {
    // Other engines' benchmarks, each optional: the bench still runs without them.
    try {
      log('ingest benchmark')
      const r = await benchIngest({ sizeMb: opts.ingestMb ?? 1024, biopython: opts.reference !== false, onLog: log })
      report.ingest = r
      report.ingest_mb_per_s = Math.round(r.mb_per_s * 10) / 10
    } catch (e) {
      log(`ingest benchmark skipped: ${e instanceof Error ? e.message : String(e)}`)
    }
    if (opts.deepseaSequences) {
      log(`DeepSEA-shaped data benchmark (${opts.deepseaSequences} sequences)`)
      report.deepsea_data = await benchDeepSeaStream({ sequences: opts.deepseaSequences, onLog: log })
    }
    try {
      const motifs = await import('../motifs/bench.js')
      log('motif extraction benchmark')
      const r = await motifs.benchMotifs({ onLog: log, backend: opts.backend })
      report.motif_extraction_s = Math.round(r.total_seconds * 100) / 100
    } catch (e) {
      log(`motif extraction benchmark skipped: ${e instanceof Error ? e.message : String(e)}`)
    }
  }
  return report
}

/** The human table. */
export function formatBenchTable(report: BenchReport): string {
  const head = ['workload', 'train/s', 'infer/s', 'peak RSS MB', 'PyTorch train/s', 'ratio', 'backend']
  const rows = report.workloads.map((r) => [
    r.name,
    r.train_samples_per_s.toFixed(1),
    r.infer_samples_per_s.toFixed(1),
    r.peak_rss_mb.toFixed(0),
    r.reference_train_samples_per_s === null ? '-' : r.reference_train_samples_per_s.toFixed(1),
    r.ratio === null ? '-' : `${r.ratio.toFixed(2)}x`,
    r.backend,
  ])
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)))
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ').trimEnd()
  const out = [line(head), ...rows.map(line)]
  if (report.reference) out.push('', `reference: ${report.reference}`)
  if (report.ingest) {
    const i = report.ingest
    out.push(`ingest: ${i.mb_per_s.toFixed(1)} MB/s loading a ${i.file_mb.toFixed(0)} MB FASTA (parse alone ${i.parse_mb_per_s.toFixed(1)} MB/s), peak RSS ${i.peak_rss_mb.toFixed(0)} MB` + (i.biopython_mb_per_s === null ? '' : `; Biopython SeqIO ${i.biopython_mb_per_s.toFixed(1)} MB/s`))
  }
  if (report.deepsea_data) {
    const d = report.deepsea_data
    out.push(`DeepSEA-shaped data: ${d.sequences} x ${d.length} bp, ${d.targets} labels: packed in ${d.pack_seconds.toFixed(0)} s (${d.cache_gb.toFixed(1)} GB, peak RSS ${d.peak_rss_pack_mb.toFixed(0)} MB), streamed at ${d.samples_per_s.toFixed(0)} samples/s (peak RSS ${d.peak_rss_stream_mb.toFixed(0)} MB)`)
  }
  if (report.motif_extraction_s !== undefined) out.push(`motif extraction: ${report.motif_extraction_s} s`)
  return out.join('\n') + '\n'
}
