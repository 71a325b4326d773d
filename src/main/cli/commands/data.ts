/**
 * `motiflens data inspect`: what is in these sequence files, before training on them.
 *
 *   motiflens data inspect FILE... [--alphabet A] [--json]     summarise FASTA files
 *   motiflens data inspect [data flags] [--json]               summarise a labelled dataset (with splits)
 */
import { basename } from 'node:path'
import type { DatasetSummary } from '../../../shared/types.js'
import { DATA_FLAGS_USAGE, hasDataSource, parseDataFlags } from '../../data/cli-flags.js'
import { defaultCacheDir, type LoadProgress } from '../../data/load.js'
import { inspectDataSpec, inspectFiles } from '../../data/summary.js'
import { UserError } from '../../errors.js'
import { boolFlag } from '../args.js'
import type { CliCommand, CliIO } from '../types.js'

const USAGE = `Usage:
  motiflens data inspect FILE... [--alphabet A] [--json]
  motiflens data inspect [data flags] [--json]

Summarise sequence files: counts, lengths, GC and N content, duplicates, labels and splits.
FASTA files may be plain, gzip or bgzip. --json prints the summary as JSON.

${DATA_FLAGS_USAGE}
`

function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  const units = ['KB', 'MB', 'GB', 'TB']
  let v = n / 1024
  let k = 0
  while (v >= 1024 && k < units.length - 1) {
    v /= 1024
    k++
  }
  return `${v.toFixed(v < 10 ? 1 : 0)} ${units[k]}`
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`
const int = (x: number) => x.toLocaleString('en-US')

/** The human-readable summary (the JSON form is the DatasetSummary itself). */
export function formatSummary(s: DatasetSummary): string {
  const lines: string[] = []
  const row = (k: string, v: string) => lines.push(`${k.padEnd(12)}${v}`)
  row('files', `${s.files.length}`)
  for (const f of s.files) lines.push(`  ${basename(f.path)}: ${int(f.sequences)} sequences, ${formatBytes(f.bytes)}`)
  row('sequences', int(s.sequences))
  row('alphabet', s.alphabet)
  row('length', `min ${int(s.length.min)}, median ${int(s.length.median)}, max ${int(s.length.max)}`)
  if (s.length.histogram.length > 1) {
    const most = Math.max(...s.length.histogram.map((h) => h.count))
    for (const h of s.length.histogram) {
      const range = h.to - h.from === 1 ? `${h.from}` : `${h.from}-${h.to - 1}`
      lines.push(`  ${range.padStart(13)} ${'#'.repeat(Math.round((30 * h.count) / most)).padEnd(30)} ${int(h.count)}`)
    }
  }
  row('GC', s.gc === null ? 'n/a' : pct(s.gc))
  row('N', pct(s.n_fraction))
  row('duplicates', `${int(s.duplicates)} sequence${s.duplicates === 1 ? '' : 's'} identical to an earlier one`)
  if (s.labels.length === 0) row('labels', 'none')
  else {
    row('labels', `${s.labels.length} target${s.labels.length === 1 ? '' : 's'}`)
    const width = Math.max(...s.labels.map((l) => l.name.length))
    for (const l of s.labels.slice(0, 50)) lines.push(`  ${l.name.padEnd(width)}  ${int(l.positives)} positive, ${int(l.negatives)} negative`)
    if (s.labels.length > 50) lines.push(`  ... ${s.labels.length - 50} more (see --json)`)
  }
  if (s.splits) row('splits', `train ${int(s.splits.train)}, valid ${int(s.splits.valid)}, test ${int(s.splits.test)}`)
  return lines.join('\n') + '\n'
}

/** A one-line progress bar on stderr, drawn only on a terminal. */
function progressPrinter(io: CliIO): ((p: LoadProgress) => void) | undefined {
  if (!io.isTTY) return undefined
  return (p) => {
    const frac = p.totalBytes > 0 ? Math.min(1, p.bytes / p.totalBytes) : 0
    io.stderr(`\rreading ${pct(frac).padStart(6)}  ${formatBytes(p.bytes)} of ${formatBytes(p.totalBytes)}, ${int(p.sequences)} sequences   `)
  }
}

export const dataCommand: CliCommand = {
  name: 'data',
  summary: 'inspect sequence files and labelled datasets (counts, lengths, GC, labels, splits)',
  usage: USAGE,
  async run(argv, io) {
    const [sub, ...rest] = argv
    if (sub !== 'inspect') {
      throw new UserError(`data: ${sub === undefined ? 'missing subcommand' : `unknown subcommand '${sub}'`}; use 'motiflens data inspect FILE...'`, { exitCode: 2 })
    }
    const { spec, cacheDir, args } = parseDataFlags(rest, 'data inspect', { extraFlags: { json: { type: 'boolean' } }, cwd: io.cwd })
    const onProgress = progressPrinter(io)
    let summary: DatasetSummary
    if (hasDataSource(args) || spec.genome !== undefined) {
      summary = await inspectDataSpec(spec, { cacheDir: cacheDir ?? defaultCacheDir(io.env), onProgress })
    } else {
      if (!spec.fasta) throw new UserError(`data inspect: give FASTA files to inspect, or data flags; see 'motiflens data --help'`, { exitCode: 2 })
      summary = await inspectFiles(spec.fasta, { alphabet: spec.alphabet, onProgress })
    }
    if (onProgress) io.stderr('\r\x1b[K')
    io.stdout(boolFlag(args, 'json') ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary))
    return 0
  },
}
