/**
 * The bench machinery (not the speed: benchmarks print numbers, tests assert none):
 * workloads match the PyTorch reference layer for layer (parameter counts), a tiny workload
 * runs end to end, the reference script runs with /usr/bin/python3, the CLI validates.
 */
import { spawnSync } from 'node:child_process'
import { describe, expect, it } from 'vitest'
import * as tfl from '@tensorflow/tfjs-layers'
import { initBackend } from '../../src/main/compute/backend.js'
import { formatBenchTable, runTorchReference, runWorkload, type BenchReport } from '../../src/main/bench/run.js'
import { WORKLOAD_NAMES, WORKLOADS, randomOneHot, randomTargets, type Workload } from '../../src/main/bench/workloads.js'
import { benchCommand } from '../../src/main/cli/commands/bench.js'
import type { CliIO } from '../../src/main/cli/types.js'

const PY = '/usr/bin/python3'
const SCRIPT = 'scripts/bench/torch_reference.py'

describe('bench workloads', () => {
  it('have the same parameter counts as the PyTorch reference models', async () => {
    await initBackend('wasm') // builds (random-initialises) DeepSEA/DanQ's ~50M weights fastest
    const r = spawnSync(PY, [SCRIPT, '--describe'], { encoding: 'utf8' })
    expect(r.status, r.stderr).toBe(0)
    const torch = JSON.parse(r.stdout) as { parameters: Record<string, number> }
    for (const name of WORKLOAD_NAMES) {
      const m = WORKLOADS[name].build()
      expect([name, m.countParams()]).toEqual([name, torch.parameters[name]])
      m.layers.forEach((l) => l.dispose())
    }
  })

  it('random data is one-hot and 0/1', () => {
    const x = randomOneHot(3, 5)
    for (let i = 0; i < 15; i++) expect(x[i * 4] + x[i * 4 + 1] + x[i * 4 + 2] + x[i * 4 + 3]).toBe(1)
    expect(new Set(randomTargets(4, 3))).toEqual(new Set([0, 1]))
  })

  it('a tiny workload runs end to end and reports every field', async () => {
    const tiny: Workload = {
      ...WORKLOADS['motif-cnn'],
      samples: 40,
      batchSize: 16,
      inferBatchSize: 32,
      length: 20,
      build: () =>
        tfl.sequential({
          layers: [
            tfl.layers.conv1d({ inputShape: [20, 4], filters: 3, kernelSize: 5, activation: 'relu' }),
            tfl.layers.globalMaxPooling1d(),
            tfl.layers.dense({ units: 1, activation: 'sigmoid' }),
          ],
        }),
    }
    const r = await runWorkload(tiny, { epochs: 1, backend: 'wasm', workers: 1 })
    expect(r.name).toBe('motif-cnn')
    expect(r.train_samples_per_s).toBeGreaterThan(0)
    expect(r.infer_samples_per_s).toBeGreaterThan(0)
    expect(r.peak_rss_mb).toBeGreaterThan(10)
    expect(r.backend).toBe('wasm (SIMD, 1 thread) x 1 worker, fast path')
  })

  it('the PyTorch reference runs with /usr/bin/python3 and reports what it was', async () => {
    const ref = await runTorchReference(['motif-cnn'], 1, PY, 1)
    expect(ref.note).toMatch(/^PyTorch \S+, 1 threads \(torch.set_num_threads\), \/usr\/bin\/python3$/)
    expect(ref.train.get('motif-cnn')).toBeGreaterThan(0)
  }, 120_000)

  it('a missing Python is a note, not a crash', async () => {
    const ref = await runTorchReference(['motif-cnn'], 1, '/nonexistent/python3')
    expect(ref.note).toMatch(/^no PyTorch reference: \/nonexistent\/python3 .*torch_reference.py failed \(spawn \/nonexistent\/python3 ENOENT\)$/)
    expect(ref.train.size).toBe(0)
  })

  it('formats the human table', () => {
    const report: BenchReport = {
      workloads: [
        { name: 'motif-cnn', train_samples_per_s: 1234.56, infer_samples_per_s: 9000, peak_rss_mb: 300.4, backend: 'wasm x 2', reference_train_samples_per_s: 1000, ratio: 1.23 },
        { name: 'danq-lite', train_samples_per_s: 50, infer_samples_per_s: 80, peak_rss_mb: 512, backend: 'wasm x 2', reference_train_samples_per_s: null, ratio: null },
      ],
      reference: 'PyTorch 1.13, 2 threads',
      ingest_mb_per_s: 150,
      ingest: { file_mb: 1024, sequences: 1000, parse_mb_per_s: 250, mb_per_s: 150, peak_rss_mb: 240, biopython_mb_per_s: 200 },
      deepsea_data: { sequences: 4400000, length: 1000, targets: 919, pack_seconds: 128, cache_gb: 5, stream_seconds: 88, samples_per_s: 50000, peak_rss_pack_mb: 560, peak_rss_stream_mb: 480 },
    }
    expect(formatBenchTable(report)).toBe(
      [
        'workload   train/s  infer/s  peak RSS MB  PyTorch train/s  ratio  backend',
        'motif-cnn   1234.6   9000.0          300           1000.0  1.23x  wasm x 2',
        'danq-lite     50.0     80.0          512                -      -  wasm x 2',
        '',
        'reference: PyTorch 1.13, 2 threads',
        'ingest: 150.0 MB/s loading a 1024 MB FASTA (parse alone 250.0 MB/s), peak RSS 240 MB; Biopython SeqIO 200.0 MB/s',
        'DeepSEA-shaped data: 4400000 x 1000 bp, 919 labels: packed in 128 s (5.0 GB, peak RSS 560 MB), streamed at 50000 samples/s (peak RSS 480 MB)',
        '',
      ].join('\n'),
    )
  })
})

describe('motiflens bench arguments', () => {
  const io: CliIO = { stdout: () => {}, stderr: () => {}, isTTY: false, cwd: '.', env: {} }
  it('rejects unknown workloads and backends in one line', async () => {
    await expect(benchCommand.run(['--workloads', 'motif-cnn,basset'], io)).rejects.toThrow(
      "bench: unknown workload 'basset'; choose from motif-cnn, danq-lite, deepsea, danq",
    )
    await expect(benchCommand.run(['--backend', 'gpu'], io)).rejects.toThrow("bench: --backend 'gpu' is not one of auto, tensorflow, wasm, cpu")
    await expect(benchCommand.run(['--epochs', '0'], io)).rejects.toThrow("bench: --epochs '0' is not an integer >= 1 <= 100")
  })
})
