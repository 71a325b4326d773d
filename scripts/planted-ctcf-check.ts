/**
 * Done-when check (b): plant CTCF (JASPAR MA0139.2) sites in random 200 bp sequences,
 * 2000 positives + 2000 negatives, train the default motif CNN through the real data layer
 * (FASTA files -> loadDataset), then compare its ROC AUC on a fresh, independently drawn set
 * with the AUC of the true PWM scan (best log-odds over positions and both strands) on the
 * same set. Pass: within 0.05.
 *
 *   npx tsx scripts/planted-ctcf-check.ts [--epochs 30] [--seed 7] [--backend auto]
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { initBackend, type BackendPreference } from '../src/main/compute/backend.js'
import { demoMotif } from '../src/main/data/demo-motifs.js'
import { loadDataset } from '../src/main/data/load.js'
import { rocAuc } from '../src/main/evaluate/metrics.js'
import { labelsOf, predict } from '../src/main/evaluate/predict.js'
import { mulberry32 } from '../src/main/models/random.js'
import { loadRun } from '../src/main/train/run.js'
import { train } from '../src/main/train/train.js'

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`)
  return i > 0 ? process.argv[i + 1] : fallback
}
const epochs = Number(arg('epochs', '30'))
const seed = Number(arg('seed', '7'))
const LENGTH = 200
const backend = await initBackend(arg('backend', 'auto') as BackendPreference)

const counts = demoMotif('CTCF').counts
// Probabilities with a pseudocount of 0.8 spread over the 4 letters (MEME's default style).
const probs = counts.map((row) => {
  const total = row.reduce((a, b) => a + b, 0) + 0.8
  return row.map((c) => (c + 0.2) / total)
})
const W = probs.length
const logOdds = probs.map((row) => row.map((p) => Math.log2(p / 0.25)))
const COMPLEMENT: Record<string, string> = { A: 'T', C: 'G', G: 'C', T: 'A' }
const revcomp = (s: string) => [...s].reverse().map((c) => COMPLEMENT[c]).join('')

function makeSet(n: number, rand: () => number): { pos: string[]; neg: string[] } {
  const randomSeq = () => Array.from({ length: LENGTH }, () => 'ACGT'[Math.floor(rand() * 4)]).join('')
  const site = () =>
    probs
      .map((row) => {
        let u = rand()
        for (let k = 0; k < 4; k++) if ((u -= row[k]) < 0) return 'ACGT'[k]
        return 'T'
      })
      .join('')
  const pos = Array.from({ length: n }, () => {
    const s = randomSeq()
    const at = Math.floor(rand() * (LENGTH - W + 1))
    const m = rand() < 0.5 ? site() : revcomp(site())
    return s.slice(0, at) + m + s.slice(at + W)
  })
  return { pos, neg: Array.from({ length: n }, randomSeq) }
}

/** Best PWM log-odds over every position and both strands. */
function pwmScan(s: string): number {
  let best = -Infinity
  for (const seq of [s, revcomp(s)]) {
    for (let i = 0; i + W <= seq.length; i++) {
      let score = 0
      for (let j = 0; j < W; j++) score += logOdds[j]['ACGT'.indexOf(seq[i + j])]
      if (score > best) best = score
    }
  }
  return best
}

const dir = mkdtempSync(join(tmpdir(), 'planted-ctcf-'))
const writeFasta = (file: string, seqs: string[], prefix: string) => writeFileSync(join(dir, file), seqs.map((s, i) => `>${prefix}${i}\n${s}\n`).join(''))
const trainSet = makeSet(2000, mulberry32(seed))
const fresh = makeSet(2000, mulberry32(seed + 1000))
writeFasta('pos.fa', trainSet.pos, 'p')
writeFasta('neg.fa', trainSet.neg, 'n')
writeFasta('fresh-pos.fa', fresh.pos, 'fp')
writeFasta('fresh-neg.fa', fresh.neg, 'fn')

const cacheDir = join(dir, 'cache')
const dataset = await loadDataset({ positives: [join(dir, 'pos.fa')], negatives: [join(dir, 'neg.fa')], seed }, { cacheDir })
const t0 = performance.now()
const outDir = join(dir, 'run')
const result = await train({ dataset, model: { preset: 'motif-cnn' }, outDir, epochs, batchSize: 64, optimizer: 'adam', learningRate: 0.003, patience: 4, seed }, {})
const seconds = (performance.now() - t0) / 1000

const freshSet = await loadDataset({ positives: [join(dir, 'fresh-pos.fa')], negatives: [join(dir, 'fresh-neg.fa')], length: LENGTH }, { cacheDir })
const rows = freshSet.indices('all')
const { model } = await loadRun(outDir)
const modelAuc = rocAuc(await predict(model, freshSet, rows, 256), labelsOf(freshSet, rows))!
model.dispose()
const scanScores = [...fresh.pos.map(pwmScan), ...fresh.neg.map(pwmScan)]
const scanLabels = [...fresh.pos.map(() => 1), ...fresh.neg.map(() => 0)]
const scanAuc = rocAuc(scanScores, scanLabels)!

console.log(`backend ${backend.detail}; trained motif-cnn ${result.history.length} epochs (${result.status}, best epoch ${result.best?.epoch}) in ${seconds.toFixed(0)} s`)
console.log(`fresh set (2000 + 2000): model ROC AUC ${modelAuc.toFixed(4)}, true PWM scan ROC AUC ${scanAuc.toFixed(4)}, gap ${(scanAuc - modelAuc).toFixed(4)} (need <= 0.05, train < 300 s)`)
console.log(`run folder: ${outDir}`)
process.exitCode = Math.abs(scanAuc - modelAuc) <= 0.05 && seconds < 300 ? 0 : 1
