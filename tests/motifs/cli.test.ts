import * as tf from '@tensorflow/tfjs-core'
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { motifsCommand } from '../../src/main/cli/commands/motifs.js'
import type { CliIO } from '../../src/main/cli/types.js'
import { initBackend } from '../../src/main/compute/backend.js'
import { loadMotifDatabase, type Motif } from '../../src/main/motifs/index.js'
import { RUN_FORMAT, RUN_VERSION } from '../../src/main/train/run.js'
import { modelFiles } from '../../src/main/train/model-io.js'
import { convModel, logOddsKernel, plant, randomSequence, rng, sampleSite } from './fixtures.js'
import { python } from './python.js'

const db = loadMotifDatabase()
const runx = db.motifs.find((m) => m.id === 'MA0002.3') as Motif
let dir: string

/** A run folder as `motiflens train` writes it, with a hand-set model: filter 0 is RUNX1's log-odds. */
beforeAll(async () => {
  await initBackend('cpu')
  dir = mkdtempSync(join(tmpdir(), 'motiflens-motifs-cli-'))
  const rand = rng(31)
  const L = 60
  const fasta: string[] = []
  const labels = ['id\tRUNX\tOTHER']
  for (let i = 0; i < 200; i++) {
    const pos = i % 2 === 0
    const s = randomSequence(rand, L)
    fasta.push(`>s${i}\n${pos ? plant(s, sampleSite(rand, runx.matrix.rows), 5 + (i % 40)) : s}`)
    labels.push(`s${i}\t${pos ? 1 : 0}\t${i % 3 === 0 ? 1 : 0}`)
  }
  writeFileSync(join(dir, 'data.fa'), fasta.join('\n') + '\n')
  writeFileSync(join(dir, 'labels.tsv'), labels.join('\n') + '\n')
  const k = logOddsKernel(runx.matrix.rows)
  const noise = Array.from({ length: 9 }, () => Array.from({ length: 4 }, () => rand() - 0.5))
  const model = convModel({ length: L, kernels: [k, noise], biases: [-0.5 * k.reduce((a, r) => a + Math.max(...r), 0), 0], targets: 2 })
  const w = [tf.tensor2d([[3, 0], [0, 0.1]]), tf.tensor1d([-1, -1])]
  model.getLayer('output').setWeights(w)
  tf.dispose(w)
  const runDir = join(dir, 'run')
  mkdirSync(join(runDir, 'best'), { recursive: true })
  for (const [name, data] of Object.entries(await modelFiles(model))) writeFileSync(join(runDir, 'best', name), data)
  const spec = { fasta: [join(dir, 'data.fa')], labels: join(dir, 'labels.tsv'), alphabet: 'dna' }
  writeFileSync(
    join(runDir, 'run.json'),
    JSON.stringify({
      format: RUN_FORMAT,
      version: RUN_VERSION,
      status: 'completed',
      dataset: { fingerprint: 'x', alphabet: 'dna', letters: 'ACGT', length: L, targets: ['RUNX', 'OTHER'], sizes: { train: 160, valid: 20, test: 20 }, spec },
    }),
  )
})

function io(): CliIO & { out: string; err: string } {
  const o = { out: '', err: '', isTTY: false, cwd: dir, env: {} } as CliIO & { out: string; err: string }
  o.stdout = (t) => (o.out += t)
  o.stderr = (t) => (o.err += t)
  return o
}

describe('motiflens motifs', () => {
  it('writes MEME (parsed by Biopython), logos, tables and finds RUNX1', async () => {
    const t = io()
    const code = await motifsCommand.run(
      ['run', '--subset', 'all', '--target', 'RUNX', '--meme', 'out/filters.meme', '--logos', 'out/logos', '--tsv', 'out/filters.tsv', '--positions', 'out/pos.tsv', '--influence', '50', '--min-sites', '5', '--cache', 'cache', '--backend', 'cpu'],
      t,
    )
    expect(t.err).toBe('')
    expect(code).toBe(0)
    expect(t.out).toContain('100 sequences (all, positives of RUNX), 2 filters of 9 bp, argmax sites')
    expect(t.out).toMatch(/\n0\t\d+\t[\d.]+\t\S+\t[\d.e-]+\tMA0002.3 Runx1\t/)
    const names = python(
      `import sys\nfrom Bio import motifs\nprint(" ".join(m.name for m in motifs.parse(open(${JSON.stringify(join(dir, 'out/filters.meme'))}), "minimal")))`,
    ).trim()
    expect(names.split(' ')).toContain('filter_0')
    const tsv = readFileSync(join(dir, 'out/filters.tsv'), 'utf8').split('\n')
    expect(tsv[1].split('\t')[12]).toBe('MA0002.3')
    expect(readdirSync(join(dir, 'out/logos'))).toContain('filter_0_match.svg')
    expect(readFileSync(join(dir, 'out/pos.tsv'), 'utf8').split('\n')[0]).toBe('sequence_id\tfilter\tposition\tactivation')
  })

  it('says what is missing', async () => {
    await expect(motifsCommand.run(['run'], io())).rejects.toThrow('motifs: give --meme OUT.meme, where the filter motifs are written')
    await expect(motifsCommand.run(['run', '--meme', 'x.meme', '--target', 'NOPE', '--cache', 'cache', '--backend', 'cpu'], io())).rejects.toThrow(
      "motifs: --target 'NOPE' is not one of the run's targets (RUNX, OTHER)",
    )
    await expect(motifsCommand.run(['run', '--meme', 'x.meme', '--method', 'best'], io())).rejects.toThrow("motifs: --method 'best' is not one of argmax, threshold")
    await expect(motifsCommand.run(['run', '--meme', 'x.meme', '--db', 'missing.meme'], io())).rejects.toThrow('missing.meme: cannot read the motif file (ENOENT); check the path')
  })
})
