/**
 * Motif benchmark, called by `motiflens bench`: the time to turn a DeepSEA-sized first layer
 * (default 320 filters of 19 bp) into PWMs over 10,000 x 1000 bp sequences and match every
 * filter against the bundled JASPAR. Prints numbers; asserts nothing about time.
 *
 * The sequences are uniform random DNA with three JASPAR motifs (CTCF, RUNX1, NRF1) planted
 * in about half of them; filters 0-2 are set to those motifs' log-odds and the rest are
 * random, so the run also reports whether the planted motifs come back out (a sanity check
 * of the numbers, not of training).
 */
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import { initBackend, type BackendPreference } from '../compute/backend.js'
import type { Batch, Dataset } from '../data/types.js'
import { compareMany } from './compare-many.js'
import { loadMotifDatabase } from './database.js'
import { extractFilterMotifs, type ExtractMethod } from './extract.js'
import type { Motif } from './matrix.js'
import { checkMotifRecovery } from './recovery.js'

export interface MotifBenchOptions {
  sequences?: number
  length?: number
  filters?: number
  width?: number
  batchSize?: number
  method?: ExtractMethod
  backend?: BackendPreference
  /** Also time filter influence on this many sequences (default 0: skip). */
  influenceSequences?: number
  onLog?: (line: string) => void
}

export interface MotifBenchResult {
  backend: string
  sequences: number
  length: number
  filters: number
  width: number
  method: ExtractMethod
  /** Activations, argmax and site counting (and the threshold pass). */
  extract_seconds: number
  sequences_per_s: number
  /** Tomtom-style matching of every usable filter (trimmed) against the database. */
  compare_seconds: number
  database_motifs: number
  /** extract + compare: the "PWMs and JASPAR matches" time. */
  total_seconds: number
  /** CPU time (user + system, all threads) of extract and compare: what the wall times would
   * be on one idle core; compare with the wall times to see what another load took away. */
  extract_cpu_seconds: number
  compare_cpu_seconds: number
  influence_seconds: number | null
  /** Planted motifs recovered (r >= 0.75 and best match is the planted motif). */
  recovered: string
}

const PLANTED_IDS = ['MA0139.2', 'MA0002.3', 'MA0506.3']

/** A seeded xorshift generator: the bench data are the same on every run. */
function xorshift(seed: number): () => number {
  let s = seed >>> 0 || 1
  return () => {
    s ^= s << 13
    s >>>= 0
    s ^= s >>> 17
    s ^= s << 5
    s >>>= 0
    return s / 4294967296
  }
}

/** Synthetic in-memory DNA set: codes `[n, L]`, labels `[n, T]`. */
function syntheticDataset(n: number, L: number, planted: Motif[]): Dataset {
  const rand = xorshift(42)
  const codes = new Uint8Array(n * L)
  for (let i = 0; i < codes.length; i++) codes[i] = (rand() * 4) | 0
  const T = planted.length
  const labels = new Uint8Array(n * T)
  for (let i = 0; i < n; i++) {
    planted.forEach((m, t) => {
      if (rand() >= 0.5) return
      labels[i * T + t] = 1
      const w = m.matrix.rows.length
      const slot = Math.floor(L / T)
      const at = i * L + t * slot + Math.floor(rand() * Math.max(1, slot - w))
      m.matrix.rows.forEach((row, j) => {
        let u = rand()
        let k = 0
        while (k < 3 && u >= row[k]) u -= row[k++]
        codes[at + j] = k
      })
    })
  }
  const all = Uint32Array.from({ length: n }, (_, i) => i)
  return {
    alphabet: 'dna',
    letters: 'ACGT',
    length: L,
    size: n,
    targets: planted.map((m) => m.name),
    fingerprint: 'bench-motifs',
    id: (i) => `seq${i}`,
    codes: (i) => codes.subarray(i * L, (i + 1) * L),
    label: (i, t) => labels[i * T + t],
    indices: () => all,
    batch(indices: ArrayLike<number>): Batch {
      const m = indices.length
      const x = new Float32Array(m * L * 4)
      const y = new Float32Array(m * T)
      for (let b = 0; b < m; b++) {
        const i = indices[b]
        for (let p = 0; p < L; p++) x[(b * L + p) * 4 + codes[i * L + p]] = 1
        for (let t = 0; t < T; t++) y[b * T + t] = labels[i * T + t]
      }
      return { x, y, n: m }
    },
  }
}

function benchModel(L: number, F: number, W: number, planted: Motif[], targets: number): tfl.LayersModel {
  const model = tfl.sequential({ name: 'bench_motifs' })
  model.add(tfl.layers.conv1d({ name: 'conv1', inputShape: [L, 4], filters: F, kernelSize: W, activation: 'relu' }))
  model.add(tfl.layers.globalMaxPooling1d({ name: 'global_pool' }))
  model.add(tfl.layers.dense({ name: 'output', units: targets, activation: 'sigmoid' }))
  const conv = model.getLayer('conv1')
  const [kernel, bias] = conv.getWeights()
  const k = kernel.dataSync().slice() as Float32Array
  const b = bias.dataSync().slice() as Float32Array
  planted.forEach((m, f) => {
    const rows = m.matrix.rows
    const pad = Math.max(0, (W - rows.length) >> 1)
    for (let j = 0; j < W; j++)
      for (let c = 0; c < 4; c++) {
        const r = rows[j - pad]
        k[(j * 4 + c) * F + f] = r ? Math.log(Math.max(r[c], 0.01) * 4) : 0
      }
    b[f] = -0.5 * rows.reduce((a, r) => a + Math.log(Math.max(...r) * 4), 0)
  })
  const w = [tf.tensor3d(k, [W, 4, F]), tf.tensor1d(b)]
  conv.setWeights(w)
  tf.dispose(w)
  return model
}

export async function benchMotifs(opts: MotifBenchOptions = {}): Promise<MotifBenchResult> {
  const log = opts.onLog ?? (() => {})
  const n = opts.sequences ?? 10_000
  const L = opts.length ?? 1000
  const F = opts.filters ?? 320
  const W = opts.width ?? 19
  const method = opts.method ?? 'argmax'
  const backend = await initBackend(opts.backend ?? 'auto')
  const db = loadMotifDatabase()
  const planted = PLANTED_IDS.map((id) => db.motifs.find((m) => m.id === id) as Motif)
  log(`motifs bench: ${n} x ${L} bp, ${F} filters of ${W} bp, ${method}, backend ${backend.detail}`)
  const data = syntheticDataset(n, L, planted)
  const model = benchModel(L, F, W, planted, planted.length)
  try {
    const cpu = (): number => {
      const u = process.cpuUsage()
      return (u.user + u.system) / 1e6
    }
    let t = performance.now()
    let c = cpu()
    let last = 0
    const result = await extractFilterMotifs(model, data, data.indices('all'), {
      method,
      batchSize: opts.batchSize ?? 64,
      onProgress: (p) => {
        if (p.done - last >= 2000 || p.done === p.total) {
          last = p.done
          log(`  ${p.phase} ${p.done} / ${p.total}`)
        }
      },
    })
    const extractSeconds = (performance.now() - t) / 1000
    const extractCpu = cpu() - c
    log(`extract: ${extractSeconds.toFixed(1)} s (${(n / extractSeconds).toFixed(0)} sequences/s; ${result.scanner}; CPU ${extractCpu.toFixed(1)} s)`)
    t = performance.now()
    c = cpu()
    const usable = result.filters.filter((f) => !f.skipped && f.trimmed.matrix.rows.length > 0)
    const matched = await compareMany(
      usable.map((f) => f.trimmed.matrix),
      db,
      { top: 5 },
    )
    const compareSeconds = (performance.now() - t) / 1000
    const compareCpu = cpu() - c
    const significant = matched.filter((m) => m[0] && m[0].qValue < 0.05).length
    log(`compare: ${usable.length} filters x ${db.motifs.length} JASPAR motifs in ${compareSeconds.toFixed(1)} s (CPU ${compareCpu.toFixed(1)} s); ${significant} with a match at q < 0.05`)
    const report = checkMotifRecovery(result.filters, planted, db)
    const recovered = `${report.motifs.filter((m) => m.passed).length}/${planted.length}`
    let influenceSeconds: number | null = null
    if (opts.influenceSequences) {
      const { filterInfluence } = await import('./influence.js')
      const inf = await filterInfluence(model, data, data.indices('all').subarray(0, opts.influenceSequences))
      influenceSeconds = inf.seconds
      log(`influence: ${F} filters on ${opts.influenceSequences} sequences in ${influenceSeconds.toFixed(1)} s`)
    }
    return {
      backend: backend.detail,
      sequences: n,
      length: L,
      filters: F,
      width: W,
      method,
      extract_seconds: extractSeconds,
      sequences_per_s: n / extractSeconds,
      compare_seconds: compareSeconds,
      database_motifs: db.motifs.length,
      total_seconds: extractSeconds + compareSeconds,
      extract_cpu_seconds: extractCpu,
      compare_cpu_seconds: compareCpu,
      influence_seconds: influenceSeconds,
      recovered,
    }
  } finally {
    model.dispose()
  }
}
