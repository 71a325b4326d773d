/**
 * The Export view's `export:save`: logos (SVG, or PNG at a dpi), MEME, TSV tables, any chart,
 * the methods report and a copy of the run folder. Every file goes where the shell says
 * (`saveTarget`: the save dialog in Electron, a fresh name under <root>/motiflens-exports/ in
 * browser mode); a cancelled dialog writes nothing and returns an empty list. Motif exports
 * use the analysis the user last chose in the Motifs view (argmax + JASPAR if none yet).
 */
import { existsSync } from 'node:fs'
import { cp, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { ExportRequest } from '../../shared/contract.js'
import { logoSheetSvg, logoSvg, pairedLogoSvg } from '../../shared/logo/index.js'
import type { DataSpec, EvaluationReport } from '../../shared/types.js'
import type { ExportResult, FilterView } from '../../shared/views.js'
import { UserError } from '../errors.js'
import { svgSize, svgToPng } from '../export/png.js'
import { methodsReport, trimmedRows, unorientedMatch, type ReportInput } from '../export/report.js'
import { writePositionsTable } from '../export/tables.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import { filterMemeMotif } from '../motifs/analyse.js'
import { writeMeme } from '../motifs/meme.js'
import { listPresets } from '../models/index.js'
import type { SaveKind } from './shell.js'
import type { HandlerDeps } from './index.js'
import { RunEvaluator } from './evaluate.js'
import { BUNDLED_DATABASE_NAME, motifStore, readPositions, type CachedMotifs } from './motifs.js'

const POSITION_WIDTH = 16

/** Filters the user named, checked; or every filter with a motif (not skipped). */
function chooseFilters(cached: CachedMotifs, chosen: number[] | undefined): FilterView[] {
  const all = cached.analysis.filters
  if (!chosen) return all.filter((f) => !f.skipped)
  return chosen.map((i) => {
    const f = all[i]
    if (!f) throw new UserError(`the run has ${all.length} filters (0 to ${all.length - 1}); filter ${i} does not exist`)
    return f
  })
}

function logoFile(f: FilterView, withMatch: boolean): string {
  const m = f.matches[0]
  if (withMatch && m) {
    return pairedLogoSvg(trimmedRows(f), unorientedMatch(m), m.offset, m.strand, {
      yAxis: 'bits',
      filterTitle: `filter ${f.index}: ${f.sites} sites`,
      matchTitle: `${m.id} ${m.name} q=${m.qValue.toExponential(1)}`,
    })
  }
  return logoSvg(f.matrix, { yAxis: 'bits', width: 46 + Math.max(4, f.matrix.rows.length) * POSITION_WIDTH, height: 120, title: `filter ${f.index}: ${f.sites} sites, ${f.ic.toFixed(1)} bits` })
}

/**
 * Charts come from the renderer, which is not trusted: an SVG that pulls in images or
 * other documents (resvg would read local files named by href) or carries script is refused.
 */
export function checkChartSvg(svg: string): void {
  if (!/^\s*<svg[\s>]/.test(svg)) throw new UserError('chart export: the chart is not an SVG document; export it with the button under the chart')
  if (/<(script|image|foreignObject|iframe|use)\b/i.test(svg) || /\bhref\s*=\s*["'](?!#)/i.test(svg) || /url\(\s*["']?(?!#)/i.test(svg))
    throw new UserError('chart export: the chart refers to outside files or scripts, which are not exported; export a chart drawn by MotifLens')
}

/** Per-target AUCs through the Evaluate view's evaluator (its cache in the run folder when present). */
async function runEvaluation(evaluator: RunEvaluator, runId: string): Promise<{ split: string; sequences: number; report: EvaluationReport }> {
  const v = await evaluator.evaluate(runId, 0.5)
  return { split: v.split, sequences: v.sequences, report: v.report }
}

export function evaluationTsv(ev: { split: string; report: EvaluationReport }): string {
  const n = (v: number | null) => (v === null ? '' : v.toFixed(6))
  const lines = ['target\tsplit\troc_auc\tpr_auc\tpositives\tnegatives']
  for (const t of ev.report.targets) lines.push([t.name.replace(/[\t\r\n]+/g, ' '), ev.split, n(t.roc_auc), n(t.pr_auc), t.positives, t.negatives].join('\t'))
  lines.push(['(macro)', ev.split, n(ev.report.macro.roc_auc), n(ev.report.macro.pr_auc), '', ''].join('\t'))
  lines.push(['(micro)', ev.split, n(ev.report.micro.roc_auc), n(ev.report.micro.pr_auc), '', ''].join('\t'))
  return lines.join('\n') + '\n'
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name)
    if (entry.isDirectory()) total += await folderBytes(p)
    else if (entry.isFile()) total += (await stat(p)).size
  }
  return total
}

function specFiles(spec: DataSpec | null): { role: string; path: string }[] {
  if (!spec) return []
  return [
    ...(spec.positives ?? []).map((path) => ({ role: 'positives', path })),
    ...(spec.negatives ?? []).map((path) => ({ role: 'negatives', path })),
    ...(spec.classes ?? []).flatMap((c) => c.files.map((path) => ({ role: `class ${c.name}`, path }))),
    ...(spec.fasta ?? []).map((path) => ({ role: 'sequences', path })),
    ...(spec.labels ? [{ role: 'labels', path: spec.labels }] : []),
    ...(spec.bed ?? []).flatMap((b) => b.files.map((path) => ({ role: `BED ${b.target}`, path }))),
    ...(spec.genome ? [{ role: 'genome', path: spec.genome }] : []),
  ]
}

async function reportInput(deps: HandlerDeps, evaluator: RunEvaluator, runId: string): Promise<ReportInput> {
  const open = await deps.runs.open(runId)
  const { run, model, dataset } = open
  const files = await Promise.all(specFiles(run.dataset.spec).map(async (f) => ({ ...f, bytes: (await stat(f.path).catch(() => null))?.size ?? null })))
  let positives: ReportInput['positives'] = null
  const all = dataset.indices('all')
  if (dataset.targets.length <= 50 && all.length * dataset.targets.length <= 5e6) {
    positives = dataset.targets.map((target, t) => {
      let n = 0
      for (const i of all) if (dataset.label(i, t) > 0.5) n++
      return { target, positives: n, total: all.length }
    })
  }
  const preset = listPresets().find((p) => p.name === run.config.model.preset) ?? null
  const layers = model.layers.map((l) => ({ name: l.name, type: l.getClassName(), shape: JSON.stringify(l.outputShape).replace(/null/g, 'batch'), params: l.countParams() }))
  const evaluation = await runEvaluation(evaluator, runId)
  const cached = await motifStore(deps).current(runId)
  return {
    runId,
    runDir: open.dir,
    run,
    generated: new Date().toISOString(),
    preset,
    layers,
    files,
    positives,
    evaluation,
    motifs: { analysis: cached.analysis, bundledJaspar: cached.analysis.database === BUNDLED_DATABASE_NAME, influenceSequences: cached.influence?.sequences ?? null, matchNote: cached.matchNote },
  }
}

export function exportHandlers(deps: HandlerDeps): Pick<HandlerMap, 'export:save'> {
  const { shell, runs } = deps
  const motifs = motifStore(deps)
  const evaluator = new RunEvaluator(runs)

  /** Ask where, then write; an empty list when the user cancelled. */
  async function save(defaultName: string, kind: SaveKind, what: string, data: string | Uint8Array): Promise<ExportResult> {
    const path = await shell.saveTarget(defaultName, kind)
    if (path === null) return { written: [] }
    await writeFile(path, data)
    return { written: [{ path, bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.byteLength, what }] }
  }

  async function saveSvg(svg: string, name: string, what: string, format: 'svg' | 'png', dpi: number, widthInches?: number): Promise<ExportResult> {
    if (format === 'svg') return save(`${name}.svg`, 'svg', what, svg)
    const png = svgToPng(svg, { dpi, widthInches })
    const inches = widthInches ?? svgSize(svg).width / 96
    return save(`${name}.png`, 'png', `${what} (PNG, ${dpi} dpi, ${inches.toFixed(2)} in wide)`, png)
  }

  async function exportOne(request: ExportRequest): Promise<ExportResult> {
    switch (request.what) {
      case 'logo': {
        const cached = await motifs.current(request.runId)
        const [f] = chooseFilters(cached, [request.filter])
        const withMatch = request.withMatch && f.matches.length > 0
        const name = `${request.runId}_filter_${f.index}${withMatch ? '_match' : ''}`
        return saveSvg(logoFile(f, withMatch), name, withMatch ? `logo of filter ${f.index} over ${f.matches[0].name}` : `logo of filter ${f.index}`, request.format, request.dpi, request.widthInches)
      }
      case 'logo-sheet': {
        const cached = await motifs.current(request.runId)
        const chosen = chooseFilters(cached, request.filters)
        if (chosen.length === 0) throw new UserError(`run ${request.runId}: no filter has enough sites for a logo; train longer or choose filters`)
        const svg = logoSheetSvg(
          chosen.map((f) => ({ matrix: f.matrix, title: `filter ${f.index}` })),
          { yAxis: 'bits', columns: 4, title: `${chosen.length} filters (${cached.analysis.method} sites)` },
        )
        return saveSvg(svg, `${request.runId}_filters_sheet`, `logo sheet of ${chosen.length} filters`, request.format, request.dpi)
      }
      case 'meme': {
        const cached = await motifs.current(request.runId)
        const chosen = chooseFilters(cached, request.filters)
        if (chosen.length === 0) throw new UserError(`run ${request.runId}: no filter has enough sites for a motif; train longer or choose filters`)
        const text = writeMeme(
          chosen.map((f) => filterMemeMotif({ filter: f.index, sites: f.sites, matrix: { kind: 'probability', ...f.matrix }, trimmed: f.trimmed })),
          cached.letters,
          { background: cached.analysis.background },
        )
        return save(`${request.runId}_filters.meme`, 'meme', `${chosen.length} filter motifs (MEME)`, text)
      }
      case 'filters-tsv': {
        const cached = await motifs.current(request.runId)
        return save(`${request.runId}_filters.tsv`, 'tsv', `table of ${cached.analysis.filters.length} filters`, cached.filtersTsv)
      }
      case 'positions-tsv': {
        const cached = await motifs.current(request.runId)
        const open = await runs.open(request.runId)
        const pos = await readPositions(open.dir, cached.key)
        const path = await shell.saveTarget(`${request.runId}_positions.tsv`, 'tsv')
        if (path === null) return { written: [] }
        const rows = writePositionsTable(path, {
          ids: Array.from(pos.indices, (i) => open.dataset.id(i)),
          filters: cached.analysis.filters,
          maxActivations: pos.max,
          argmaxPositions: pos.argmax,
        })
        return { written: [{ path, bytes: (await stat(path)).size, what: `${rows.toLocaleString('en-US')} argmax positions` }] }
      }
      case 'evaluation-tsv': {
        const ev = await runEvaluation(evaluator, request.runId)
        return save(`${request.runId}_evaluation.tsv`, 'tsv', `AUCs of ${ev.report.targets.length} target(s) on ${ev.split}`, evaluationTsv(ev))
      }
      case 'chart': {
        checkChartSvg(request.svg)
        return saveSvg(request.svg, request.name, `chart ${request.name}`, request.format, request.dpi)
      }
      case 'report': {
        const html = methodsReport(await reportInput(deps, evaluator, request.runId))
        return save(`${request.runId}_methods.html`, 'html', 'methods report (HTML)', html)
      }
      case 'run-folder': {
        const dir = await runs.locate(request.runId)
        const target = await shell.saveTarget(`run-${request.runId}`, 'folder')
        if (target === null) return { written: [] }
        if (existsSync(target)) throw new UserError(`${target}: already exists; choose a new folder name`)
        await cp(dir, target, { recursive: true, errorOnExist: true })
        return { written: [{ path: target, bytes: await folderBytes(target), what: 'copy of the run folder' }] }
      }
    }
  }

  return {
    async 'export:save'({ request }) {
      return exportOne(request)
    },
  }
}
