/**
 * `motiflens motifs RUN_DIR [DATA.fa...] --meme OUT.meme [options]`: read a trained run's
 * first-layer filters as motifs. Per filter: sites, position frequency matrix, information,
 * the best match in a motif database (bundled JASPAR 2024 CORE vertebrates by default),
 * and how much the model needs it (influence). Writes MEME, logos, and TSV tables.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'
import type { SplitName } from '../../../shared/types.js'
import { initBackend } from '../../compute/backend.js'
import { DATA_FLAGS, DATA_FLAGS_USAGE, hasDataSource } from '../../data/cli-flags.js'
import type { Dataset } from '../../data/types.js'
import { UserError } from '../../errors.js'
import { filterTable, writeFilterLogos, writePositionsTable, type LogoFormat } from '../../export/index.js'
import { analyseFilters, bestMatches, evenlySpaced, filterMemeMotif } from '../../motifs/analyse.js'
import { loadMotifDatabase } from '../../motifs/database.js'
import type { ExtractMethod } from '../../motifs/extract.js'
import { writeMeme } from '../../motifs/meme.js'
import { loadRun } from '../../train/run.js'
import { numberFlag, parseArgs, stringFlag, type FlagSpec } from '../args.js'
import { loadRunData } from '../run-data.js'
import type { CliCommand, CliIO } from '../types.js'
import { backendFlag } from './train.js'

const FLAGS: Record<string, FlagSpec> = {
  meme: { type: 'string' },
  logos: { type: 'string' },
  format: { type: 'string' },
  method: { type: 'string' },
  db: { type: 'string' },
  tsv: { type: 'string' },
  positions: { type: 'string' },
  target: { type: 'string' },
  subset: { type: 'string' },
  'min-sites': { type: 'string' },
  influence: { type: 'string' },
  dpi: { type: 'string' },
  'y-axis': { type: 'string' },
  'batch-size': { type: 'string' },
  workers: { type: 'string' },
  checkpoint: { type: 'string' },
  backend: { type: 'string' },
}

const USAGE = `Usage: motiflens motifs RUN_DIR [DATA.fa...] --meme OUT.meme [options]

Turn the first-layer filters of a trained run into motifs: for each filter, the sites that
activate it, its position frequency matrix and information content, its best match in a
motif database (Tomtom-style: column Pearson correlation, p/E/q-values) and its influence
(loss and AUC change when the filter is silenced).

Without data: the test split of the data the run was trained on. With data (files or data
flags): all of those sequences, which must have the run's alphabet and length.

Outputs:
  --meme OUT.meme       the filters' PWMs in MEME minimal format (required)
  --logos DIR           a logo per filter, a sheet of all, and each filter over its match
  --format svg|png      logo format (default svg); PNG at --dpi (default 300)
  --tsv OUT.tsv         one row per filter: sites, bits, influence, best match
  --positions OUT.tsv   one row per sequence and filter that fired: argmax position, activation
Options:
  --method M            argmax (default: the best window per sequence) or threshold
                        (Basset: every window above half the filter's maximum)
  --db DB.meme          motif database (default: bundled JASPAR 2024 CORE vertebrates)
  --target NAME         read filters on the sequences positive for this target, and
                        measure influence on it alone
  --subset S            train, valid, test or all (default: test for the run's data, all otherwise)
  --min-sites N         filters with fewer sites are skipped (default 10)
  --influence N         sequences to measure influence on (default 500; 0 skips it)
  --y-axis bits|probability   logo scale (default bits)
  --batch-size N        sequences per batch (default 64)
  --workers N           scan threads (default: one per core, at most 4)
  --checkpoint C        best (default) or last
  --backend B           auto (default), tensorflow, wasm or cpu

${DATA_FLAGS_USAGE}

Motif database: JASPAR 2024 (CC BY 4.0). Cite Rauluseviciute et al., Nucleic Acids Res.
2024, https://doi.org/10.1093/nar/gkad1059 when you report matches.
`

function oneOf<T extends string>(value: string | undefined, flag: string, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback
  if (!(allowed as readonly string[]).includes(value)) throw new UserError(`motifs: --${flag} '${value}' is not one of ${allowed.join(', ')}`, { exitCode: 2 })
  return value as T
}

/** Sequence indices of a subset, only the positives of `target` when given. */
function selectIndices(dataset: Dataset, subset: SplitName | 'all', target: number | undefined): Uint32Array {
  const rows = dataset.indices(subset)
  if (target === undefined) return rows
  return rows.filter((i) => dataset.label(i, target) > 0.5)
}

const fmt = (v: number, digits = 2): string => (Math.abs(v) < 1e-2 && v !== 0 ? v.toExponential(1) : v.toFixed(digits))

export const motifsCommand: CliCommand = {
  name: 'motifs',
  summary: "read a trained run's first-layer filters as motifs (MEME, logos, JASPAR matches)",
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { ...DATA_FLAGS, ...FLAGS }, 'motifs')
    const [runArg, ...fasta] = args.positionals
    if (!runArg) throw new UserError('motifs: give the run folder, e.g. motiflens motifs runs/ctcf --meme filters.meme', { exitCode: 2 })
    const memeArg = stringFlag(args, 'meme')
    if (!memeArg) throw new UserError('motifs: give --meme OUT.meme, where the filter motifs are written', { exitCode: 2 })
    const out = (p: string | undefined) => (p === undefined ? undefined : resolve(io.cwd, p))
    const method = oneOf<ExtractMethod>(stringFlag(args, 'method'), 'method', ['argmax', 'threshold'], 'argmax')
    const format = oneOf<LogoFormat>(stringFlag(args, 'format'), 'format', ['svg', 'png'], 'svg')
    const yAxis = oneOf(stringFlag(args, 'y-axis'), 'y-axis', ['bits', 'probability'] as const, 'bits')
    const subsetFlag = stringFlag(args, 'subset')
    if (subsetFlag !== undefined && !['train', 'valid', 'test', 'all'].includes(subsetFlag)) throw new UserError(`motifs: --subset '${subsetFlag}' is not one of train, valid, test, all`, { exitCode: 2 })
    const checkpoint = oneOf(stringFlag(args, 'checkpoint'), 'checkpoint', ['best', 'last'] as const, 'best')
    const minSites = numberFlag(args, 'min-sites', 'motifs', { integer: true, min: 1 }) ?? 10
    const influenceN = numberFlag(args, 'influence', 'motifs', { integer: true, min: 0 }) ?? 500
    const dpi = numberFlag(args, 'dpi', 'motifs', { min: 72, max: 2400 }) ?? 300
    const batchSize = numberFlag(args, 'batch-size', 'motifs', { integer: true, min: 1 }) ?? 64
    const workers = numberFlag(args, 'workers', 'motifs', { integer: true, min: 0, max: 64 })
    const dbPath = out(stringFlag(args, 'db'))
    const database = loadMotifDatabase(dbPath) // early: a bad --db fails before any work

    const backend = await initBackend(backendFlag(args, 'motifs'))
    const dir = resolve(io.cwd, runArg)
    const { run, model } = await loadRun(dir, checkpoint)
    try {
      const ownData = !hasDataSource(args) && fasta.length === 0
      const dataset = await loadRunData(run, dir, args, fasta, 'motifs', io.cwd)
      const targetName = stringFlag(args, 'target')
      let target: number | undefined
      if (targetName !== undefined) {
        target = run.dataset.targets.indexOf(targetName)
        if (target < 0) throw new UserError(`motifs: --target '${targetName}' is not one of the run's targets (${run.dataset.targets.join(', ')})`, { exitCode: 2 })
        if (dataset.targets.length !== run.dataset.targets.length) throw new UserError(`motifs: --target needs data labelled with the run's ${run.dataset.targets.length} targets`, { exitCode: 2 })
      }
      const subset = (subsetFlag ?? (ownData ? 'test' : 'all')) as SplitName | 'all'
      const indices = selectIndices(dataset, subset, target)
      if (indices.length === 0) throw new UserError(`motifs: no sequences in the ${subset} split${targetName ? ` positive for ${targetName}` : ''}; choose another with --subset`)

      const progress = (label: string) => (p: { done: number; total: number }) => {
        if (io.isTTY) io.stderr(`\r${label} ${p.done}/${p.total}${p.done === p.total ? '\n' : ''}`)
      }
      const phaseLabel = { scan: 'scanning', threshold: 'thresholding', influence: 'influence' } as const
      const analysis = await analyseFilters(model, dataset, indices, {
        method,
        minSites,
        batchSize,
        workers,
        database,
        top: 1,
        influenceIndices: influenceN > 0 ? evenlySpaced(indices, influenceN) : null,
        target,
        onProgress: (p) => progress(phaseLabel[p.phase])(p),
      })
      const ex = analysis.extraction
      const usable = ex.filters.filter((f) => !f.skipped)
      if (analysis.matchNote) io.stderr(`motifs: ${analysis.matchNote}; skipping matches\n`)
      const matches = bestMatches(analysis)
      const compareSeconds = analysis.seconds.compare
      const influence = analysis.influence ?? undefined

      const memePath = out(memeArg) as string
      mkdirSync(dirname(memePath), { recursive: true })
      writeFileSync(memePath, writeMeme(usable.map(filterMemeMotif), ex.letters, { background: ex.background }))
      const written = [memePath]
      const logosDir = out(stringFlag(args, 'logos'))
      if (logosDir) written.push(...writeFilterLogos(logosDir, ex, { format, yAxis, dpi, matches, database: database.motifs }))
      const tsvPath = out(stringFlag(args, 'tsv'))
      if (tsvPath) {
        writeFileSync(tsvPath, filterTable(ex, { influence, matches }))
        written.push(tsvPath)
      }
      const positionsPath = out(stringFlag(args, 'positions'))
      if (positionsPath) {
        writePositionsTable(positionsPath, ex)
        written.push(positionsPath)
      }

      const influenceOf = new Map(influence?.filters.map((f) => [f.filter, f]) ?? [])
      const lines = [
        `${indices.length} sequences (${subset}${targetName ? `, positives of ${targetName}` : ''}), ${ex.filters.length} filters of ${ex.width} bp, ${method} sites; ${ex.scanner}, backend ${backend.detail}`,
        `scan ${fmt(ex.seconds.scan + ex.seconds.threshold, 1)} s, matching ${fmt(compareSeconds, 1)} s${influence ? `, influence ${fmt(influence.seconds, 1)} s on ${influence.sequences} sequences` : ''}`,
        `${usable.length} filters with >= ${minSites} sites; ${ex.filters.length - usable.length} skipped`,
        '',
        ['filter', 'sites', 'bits', 'consensus', 'd_loss', 'best match', 'q'].join('\t'),
        ...usable
          .map((f) => ({ f, m: matches.get(f.filter), inf: influenceOf.get(f.filter) }))
          .sort((a, b) => (a.m?.pValue ?? 1) - (b.m?.pValue ?? 1))
          .map(({ f, m, inf }) =>
            [f.filter, f.sites, fmt(f.ic.total, 1), f.consensus, inf ? fmt(inf.lossDelta, 4) : '-', m ? `${m.id} ${m.name}` : '-', m ? fmt(m.qValue) : '-'].join('\t'),
          ),
        '',
        `wrote ${written.length} file(s): ${written.length > 4 ? `${written.slice(0, 3).join(', ')}, ...` : written.join(', ')}`,
      ]
      io.stdout(lines.join('\n') + '\n')
      return 0
    } finally {
      model.dispose()
    }
  },
}
