/**
 * The motif acceptance check end to end, through the command line's own code: write the
 * planted-multi demo (`motiflens demo`), train on it as its README says (`motiflens train
 * data.fa --labels labels.tsv --epochs 30`: the default motif CNN), export the filters
 * (`motiflens motifs RUN --meme OUT.meme --tsv OUT.tsv`), parse the MEME
 * file with Biopython (`Bio.motifs.parse(handle, 'minimal')`), read the filters back from
 * that file and run checkMotifRecovery strictly (the best JASPAR match must BE the planted
 * motif) against the demo's truth.meme and the bundled JASPAR.
 *
 * Used by scripts/planted-recovery-check.ts and tests/motifs/recovery-e2e.test.ts, both at the
 * demo's full size (4000 sequences, 30 epochs: seconds of training on two cores).
 * Not exported from motifs/index.ts: it drives the CLI, which the engine modules never import.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from '../cli/index.js'
import type { CliIO } from '../cli/types.js'
import { PLANTED_MULTI_EPOCHS } from '../data/demo.js'
import { loadMotifDatabase } from './database.js'
import { readMemeFile } from './meme.js'
import { checkMotifRecovery, type RecoveryFilter, type RecoveryReport } from './recovery.js'

export interface PlantedRecoveryOptions {
  /** Seed of the demo data and of training (`--seed` of both commands; default 1). */
  seed?: number
  /** Sequences in the demo (`demo --count`; default: the demo's own, 4000). */
  count?: number
  /** Training epochs (default PLANTED_MULTI_EPOCHS, as the demo's README trains). */
  epochs?: number
  /** More `motiflens train` flags, e.g. ['--lr', '0.003']; default none (the CLI's defaults). */
  trainArgs?: string[]
  /** More `motiflens motifs` flags, e.g. ['--influence', '0']. */
  motifsArgs?: string[]
  /** Working folder (default: a new one under the system temp folder). */
  dir?: string
  /** Python with Biopython (default /usr/bin/python3). */
  python?: string
  /** The commands' stderr (training progress) and each step's stdout, as they come. */
  onLog?: (text: string) => void
}

export interface PlantedRecoveryRun {
  dir: string
  memePath: string
  /** Wall-clock seconds of `motiflens train` (data loading included). */
  trainSeconds: number
  /** Motifs in the MEME file as Biopython parsed them, and as our reader did. */
  biopythonMotifs: number
  memeMotifs: number
  /** Rows of the --tsv table (one per filter), and those not skipped: what the MEME file should hold. */
  tableFilters: { total: number; exported: number }
  report: RecoveryReport
}

/** Run one `motiflens` command line in `cwd`; throws with its output when it fails. */
async function motiflens(argv: string[], cwd: string, log: (text: string) => void): Promise<string> {
  let out = ''
  let err = ''
  const io: CliIO = {
    stdout: (t) => ((out += t), log(t)),
    stderr: (t) => ((err += t), log(t)),
    isTTY: false,
    cwd,
    env: process.env,
  }
  const code = await runCli(argv, io)
  if (code !== 0) throw new Error(`motiflens ${argv.join(' ')} exited with ${code}:\n${err.trim() || out.trim()}`)
  return out
}

/** How many motifs Biopython's MEME 'minimal' parser reads from `path`. Throws when it cannot. */
export function biopythonMemeCount(path: string, python = '/usr/bin/python3'): number {
  const code = 'import sys\nfrom Bio import motifs\nwith open(sys.argv[1]) as h:\n    print(len(motifs.parse(h, "minimal")))'
  return Number(execFileSync(python, ['-c', code, path], { encoding: 'utf8' }).trim())
}

/** Filters in a `motifs --tsv` table: all rows, and those whose `skipped` column is empty. */
function countTableFilters(path: string): { total: number; exported: number } {
  const [header, ...rows] = readFileSync(path, 'utf8').trimEnd().split('\n').map((line) => line.split('\t'))
  const skipped = header.indexOf('skipped')
  if (skipped < 0) throw new Error(`${path}: no 'skipped' column`)
  return { total: rows.length, exported: rows.filter((r) => r[skipped] === '').length }
}

export async function runPlantedRecovery(opts: PlantedRecoveryOptions = {}): Promise<PlantedRecoveryRun> {
  const seed = String(opts.seed ?? 1)
  const log = opts.onLog ?? (() => {})
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'motiflens-planted-recovery-'))
  const data = join(dir, 'data')
  const run = join(dir, 'run')
  const memePath = join(dir, 'filters.meme')
  const tsvPath = join(dir, 'filters.tsv')
  const cache = ['--cache', join(dir, 'cache')]
  const epochs = ['--epochs', String(opts.epochs ?? PLANTED_MULTI_EPOCHS)]

  await motiflens(['demo', 'planted-multi', '--out', data, '--seed', seed, ...(opts.count === undefined ? [] : ['--count', String(opts.count)])], dir, log)
  const t0 = performance.now()
  await motiflens(['train', 'data.fa', '--labels', 'labels.tsv', '--out', run, '--seed', seed, ...epochs, ...cache, ...(opts.trainArgs ?? [])], data, log)
  const trainSeconds = (performance.now() - t0) / 1000
  await motiflens(['motifs', run, '--meme', memePath, '--tsv', tsvPath, ...cache, ...(opts.motifsArgs ?? [])], dir, log)

  const biopythonMotifs = biopythonMemeCount(memePath, opts.python)
  // The filters as the MEME file holds them (ids filter_<index>), not as the model does.
  const exported = readMemeFile(memePath).motifs
  const filters: RecoveryFilter[] = exported.map((m) => ({ filter: Number(m.id.replace(/^filter_/, '')), matrix: m.matrix }))
  const truth = readMemeFile(join(data, 'truth.meme')).motifs
  const report = checkMotifRecovery(filters, truth, loadMotifDatabase())
  return { dir, memePath, trainSeconds, biopythonMotifs, memeMotifs: exported.length, tableFilters: countTableFilters(tsvPath), report }
}
