/**
 * Done-when check (c): DanQ and DeepSEA train one epoch on a small DeepSEA-shaped set
 * (1000 bp, 919 targets). Random sequences with sparse random labels: this checks that the
 * full-size architectures build, step, validate and checkpoint, not what they learn.
 *
 *   npx tsx scripts/big-presets-one-epoch.ts [--n 96] [--batch-size 16] [--presets deepsea,danq] [--optimizer adam] [--backend auto]
 */
import { mkdtempSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import type { SplitName } from '../src/shared/types.js'
import { initBackend, type BackendPreference } from '../src/main/compute/backend.js'
import { mulberry32 } from '../src/main/models/random.js'
import { ArrayDataset } from '../src/main/train/array-dataset.js'
import { train } from '../src/main/train/train.js'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const n = Number(arg('n', '96'))
const batchSize = Number(arg('batch-size', '16'))
const backend = await initBackend(arg('backend', 'auto') as BackendPreference)
const rand = mulberry32(1)
const T = 919
const sequences = Array.from({ length: n }, () => Array.from({ length: 1000 }, () => 'ACGT'[Math.floor(rand() * 4)]).join(''))
const labels = sequences.map(() => Array.from({ length: T }, () => (rand() < 0.05 ? 1 : 0)))
const splits: SplitName[] = sequences.map((_, i) => (i < n * 0.75 ? 'train' : 'valid'))
const dataset = new ArrayDataset({ alphabet: 'dna', sequences, labels, targets: Array.from({ length: T }, (_, t) => `t${t}`), splits })
console.log(`${n} sequences x 1000 bp x ${T} targets (${dataset.indices('train').length} train, ${dataset.indices('valid').length} valid), batch ${batchSize}, ${arg('optimizer', 'adam')}, backend ${backend.detail}`)

for (const preset of arg('presets', 'deepsea,danq').split(',') as ('deepsea' | 'danq')[]) {
  const outDir = mkdtempSync(join(tmpdir(), `one-epoch-${preset}-`))
  const t0 = performance.now()
  let steps = 0
  const r = await train({ dataset, model: { preset }, outDir, epochs: 1, batchSize, optimizer: arg('optimizer', 'adam') as 'adam' | 'sgd' | 'rmsprop', seed: 1 }, {
    onProgress: (p) => {
      if (p.kind === 'start') console.log(`${preset}: ${p.params.toLocaleString('en-US')} parameters, ${p.batchesPerEpoch} batches`)
      if (p.kind === 'batch') steps = p.batch
    },
  })
  const h = r.history[0]
  const mb = (f: string) => (statSync(join(outDir, f)).size / 2 ** 20).toFixed(0)
  console.log(
    `${preset}: ${r.status} after ${steps} batches in ${((performance.now() - t0) / 1000).toFixed(1)} s; loss ${h.loss.toFixed(4)}, val_loss ${h.valLoss?.toFixed(4)}, ` +
      `val_roc_auc ${h.metrics.val_roc_auc?.toFixed(3)}; best/weights.bin ${mb('best/weights.bin')} MB, last/optimizer.bin ${mb('last/optimizer.bin')} MB; tensors left ${tf.memory().numTensors}`,
  )
}
