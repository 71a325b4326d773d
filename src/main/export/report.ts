/**
 * The methods report: one self-contained HTML file that says what was done to get a run's
 * results, for a lab notebook or a paper's methods section. Versions, data files and
 * counts, model and parameters, training settings and history, metrics, the motif analysis
 * with its figures inline (SVG), and the citations to give (JASPAR's CC BY 4.0 credit, the
 * chosen architecture's paper, the methods used).
 */
import { escapeXml, logoSheetSvg, pairedLogoSvg, reverseComplementRows } from '../../shared/logo/index.js'
import type { EvaluationReport, ModelPresetInfo, ProbabilityRows } from '../../shared/types.js'
import type { MotifAnalysis } from '../../shared/views.js'
import type { RunRecord } from '../train/run.js'

export interface ReportInput {
  runId: string
  runDir: string
  run: RunRecord
  /** When the report is written (ISO). */
  generated: string
  preset: Pick<ModelPresetInfo, 'title' | 'paper'> | null
  layers: { name: string; type: string; shape: string; params: number }[]
  /** Every input file the data spec names, with its size in bytes. */
  files: { role: string; path: string; bytes: number | null }[]
  /** Labelled positives per target over the whole data (null when not counted). */
  positives: { target: string; positives: number; total: number }[] | null
  evaluation: { split: string; sequences: number; report: EvaluationReport } | null
  motifs: { analysis: MotifAnalysis; bundledJaspar: boolean; influenceSequences: number | null; matchNote: string | null } | null
}

const e = (v: unknown): string => escapeXml(String(v))
const num = (v: number | null | undefined, digits = 3): string => (v === null || v === undefined || !Number.isFinite(v) ? '–' : Math.abs(v) < 1e-3 && v !== 0 ? v.toExponential(2) : v.toFixed(digits))

function table(head: string[], rows: (string | number)[][], raw = false): string {
  const cell = (c: string | number) => (raw ? String(c) : e(c))
  return `<table><thead><tr>${head.map((h) => `<th>${e(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${cell(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`
}

/** Training and validation loss per epoch as a small standalone SVG line chart. */
export function lossChartSvg(history: { epoch: number; loss: number; valLoss: number | null }[], width = 480, height = 220): string {
  const m = { top: 30, right: 14, bottom: 34, left: 52 }
  const values = history.flatMap((h) => [h.loss, ...(h.valLoss === null ? [] : [h.valLoss])]).filter(Number.isFinite)
  const lo = Math.min(0, ...values)
  const hi = Math.max(1e-9, ...values)
  const maxEpoch = Math.max(1, ...history.map((h) => h.epoch))
  const x = (ep: number) => m.left + ((ep - (history.length > 1 ? 1 : 0)) / Math.max(1, maxEpoch - (history.length > 1 ? 1 : 0))) * (width - m.left - m.right)
  const y = (v: number) => height - m.bottom - ((v - lo) / (hi - lo)) * (height - m.top - m.bottom)
  const path = (pts: [number, number][]) => pts.map(([a, b], i) => `${i ? 'L' : 'M'}${a.toFixed(1)} ${b.toFixed(1)}`).join('')
  const train = path(history.map((h) => [x(h.epoch), y(h.loss)]))
  const valid = path(history.filter((h) => h.valLoss !== null).map((h) => [x(h.epoch), y(h.valLoss as number)]))
  const ticks = [lo, (lo + hi) / 2, hi]
  const font = 'font-family="DejaVu Sans, Arial, sans-serif"'
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<path d="M${m.left} ${m.top}V${height - m.bottom}H${width - m.right}" fill="none" stroke="#333"/>`,
    ...ticks.map((t) => `<text x="${m.left - 6}" y="${(y(t) + 3).toFixed(1)}" text-anchor="end" font-size="10" ${font}>${num(t, 3)}</text>`),
    ...history.map((h) => `<text x="${x(h.epoch).toFixed(1)}" y="${height - m.bottom + 14}" text-anchor="middle" font-size="10" ${font}>${h.epoch}</text>`),
    `<text x="${(width + m.left) / 2}" y="${height - 4}" text-anchor="middle" font-size="11" ${font}>epoch</text>`,
    `<path d="${train}" fill="none" stroke="#2563c9" stroke-width="2"/>`,
    valid ? `<path d="${valid}" fill="none" stroke="#e07a1f" stroke-width="2" stroke-dasharray="5 3"/>` : '',
    `<text x="${m.left}" y="14" font-size="11" fill="#2563c9" ${font}>── training loss</text>`,
    valid ? `<text x="${m.left + 130}" y="14" font-size="11" fill="#e07a1f" ${font}>- - validation loss</text>` : '',
    '</svg>',
  ].join('\n')
}

/** The database motif as stored (matches hold it oriented on their strand). */
export function unorientedMatch(m: { strand: '+' | '-'; matrix: ProbabilityRows }): ProbabilityRows {
  return m.strand === '-' ? reverseComplementRows(m.matrix) : m.matrix
}

/** The filter's informative columns (the matrix matches were computed on). */
export function trimmedRows(f: { matrix: ProbabilityRows; trimmed: { start: number; end: number } }): ProbabilityRows {
  return f.trimmed.end > f.trimmed.start ? { letters: f.matrix.letters, rows: f.matrix.rows.slice(f.trimmed.start, f.trimmed.end) } : f.matrix
}

const JASPAR_CREDIT =
  'Known motifs: JASPAR 2024 CORE vertebrates (non-redundant), licensed under Creative Commons Attribution 4.0 International (CC BY 4.0, https://creativecommons.org/licenses/by/4.0/). ' +
  'Rauluseviciute I et al. JASPAR 2024: 20th anniversary of the open-access database of transcription factor binding profiles. Nucleic Acids Res. 2024;52(D1):D174-D182. https://doi.org/10.1093/nar/gkad1059. ' +
  'Changes made: converted from TRANSFAC counts to MEME letter probabilities.'

export function methodsReport(r: ReportInput): string {
  const run = r.run
  const c = run.config
  const best = run.best
  const sections: string[] = []

  sections.push(`<h2>Software</h2>${table(['component', 'version'], [...Object.entries(run.versions), ['compute backend', run.backend.detail ?? run.backend.name]])}`)

  const ds = run.dataset
  sections.push(
    `<h2>Data</h2><p>${e(ds.alphabet)} sequences (letters ${e(ds.letters)}) of length ${ds.length}, ${ds.targets.length} target(s): ${e(ds.targets.slice(0, 20).join(', '))}${ds.targets.length > 20 ? ', …' : ''}. ` +
      `Split: ${ds.sizes.train} training, ${ds.sizes.valid} validation, ${ds.sizes.test} test sequences${ds.spec?.split ? ` (${e(ds.spec.split)})` : ''}. Data fingerprint ${e(ds.fingerprint)}.</p>` +
      (r.files.length ? table(['role', 'file', 'bytes'], r.files.map((f) => [f.role, f.path, f.bytes ?? '–'])) : '<p>The input files are not recorded in this run.</p>') +
      (r.positives ? table(['target', 'positives', 'sequences'], r.positives.map((p) => [p.target, p.positives, p.total])) : ''),
  )

  const params = c.model.params ? Object.entries(c.model.params).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join('; ') : 'preset defaults'
  sections.push(
    `<h2>Model</h2><p>Architecture: ${e(r.preset?.title ?? c.model.preset)} (preset <code>${e(c.model.preset)}</code>; ${e(params)}), ${run.parameters.toLocaleString('en-US')} trainable parameters, output activation ${e(c.outputActivation)}.</p>` +
      (r.layers.length ? table(['layer', 'type', 'output shape', 'parameters'], r.layers.map((l) => [l.name, l.type, l.shape, l.params])) : ''),
  )

  sections.push(
    `<h2>Training</h2>${table(
      ['setting', 'value'],
      [
        ['loss', c.loss],
        ['optimizer', `${c.optimizer}${c.optimizer === 'sgd' ? ` (momentum ${c.momentum}${c.nesterov ? ', Nesterov' : ''})` : ''}`],
        ['learning rate', `${c.learningRate}${c.lrDecay ? ` (x${c.lrDecay.factor} every ${c.lrDecay.every} epochs)` : ''}`],
        ['batch size', c.batchSize],
        ['epochs', `${run.history.length} of ${c.epochs}`],
        ['early stopping', c.patience === null ? 'off' : `after ${c.patience} epochs without a lower validation loss`],
        ['class weights', c.classWeightsMode],
        ['reverse-complement augmentation', c.reverseComplement ? 'yes' : 'no'],
        ['random seed', c.seed],
        ['status', `${run.status}${run.message ? `: ${run.message}` : ''}`],
        ['best epoch (lowest validation loss)', best ? `${best.epoch} (validation loss ${num(best.valLoss, 4)})` : '–'],
      ],
    )}` +
      `<figure>${lossChartSvg(run.history)}<figcaption>Figure 1. Training (solid) and validation (dashed) loss per epoch.</figcaption></figure>` +
      table(
        ['epoch', 'loss', 'validation loss', ...Object.keys(run.history[0]?.metrics ?? {}), 'seconds'],
        run.history.map((h) => [h.epoch, num(h.loss, 4), num(h.valLoss, 4), ...Object.values(h.metrics).map((v) => num(v, 4)), num(h.seconds, 1)]),
      ),
  )

  const metricRows: (string | number)[][] = best ? Object.entries(best.metrics).map(([k, v]) => [`${k} (validation, best epoch)`, num(v, 4)]) : []
  let evalHtml = ''
  if (r.evaluation) {
    const ev = r.evaluation.report
    metricRows.push([`macro ROC AUC (${r.evaluation.split})`, num(ev.macro.roc_auc, 4)], [`macro PR AUC (${r.evaluation.split})`, num(ev.macro.pr_auc, 4)], [`micro ROC AUC (${r.evaluation.split})`, num(ev.micro.roc_auc, 4)])
    evalHtml = `<p>Evaluated on ${r.evaluation.sequences} ${e(r.evaluation.split)} sequences with the best checkpoint.</p>${table(
      ['target', 'ROC AUC', 'PR AUC', 'positives', 'negatives'],
      ev.targets.slice(0, 200).map((t) => [t.name, num(t.roc_auc, 4), num(t.pr_auc, 4), t.positives, t.negatives]),
    )}${ev.targets.length > 200 ? `<p>${ev.targets.length - 200} more targets in the evaluation TSV export.</p>` : ''}`
  }
  sections.push(`<h2>Metrics</h2>${metricRows.length ? table(['metric', 'value'], metricRows) : '<p>No metrics were recorded.</p>'}${evalHtml}`)

  if (r.motifs) {
    const a = r.motifs.analysis
    const usable = a.filters.filter((f) => !f.skipped)
    const ranked = [...usable].sort((x, y) => (y.influence ?? -Infinity) - (x.influence ?? -Infinity))
    const matched = usable.filter((f) => f.matches[0] && f.matches[0].qValue <= 0.05).sort((x, y) => x.matches[0].qValue - y.matches[0].qValue)
    const method =
      a.method === 'argmax'
        ? "each filter's site is, per sequence, the window of its highest activation when that activation is above 0"
        : "a filter's sites are all windows whose activation exceeds half of its maximum over the set (Kelley et al. 2016)"
    const sheet = logoSheetSvg(
      usable.map((f) => ({ matrix: f.matrix, title: `filter ${f.index}` })),
      { yAxis: 'bits', columns: 4, title: `${usable.length} first-layer filters (${a.method} sites)` },
    )
    const pairs = matched.slice(0, 6).map((f) => {
      const m = f.matches[0]
      return `<figure>${pairedLogoSvg(trimmedRows(f), unorientedMatch(m), m.offset, m.strand, { yAxis: 'bits', filterTitle: `filter ${f.index}`, matchTitle: `${m.id} ${m.name} q=${m.qValue.toExponential(1)}` })}</figure>`
    })
    sections.push(
      `<h2>Motifs</h2><p>The first-layer convolution filters were read as position weight matrices on ${a.sequences} sequences (those labelled positive for any target, evenly thinned to at most 10,000): ${method}. ` +
        `Site counts were turned into letter probabilities with a pseudocount of 1 spread by the background letter frequencies of these sequences (${a.background.map((b) => b.toFixed(3)).join(', ')}). Filters with fewer than 10 sites were skipped (${a.filters.length - usable.length} of ${a.filters.length}). ` +
        `Information content is against a uniform background; ends below 0.3 bits were trimmed before comparison. ` +
        `Each filter was compared with ${e(a.database)} by a Tomtom-style method (Gupta et al. 2007): column Pearson correlation summed over the overlap, p-values from the database column null, Sidak-corrected over alignments, Benjamini-Hochberg q-values. ` +
        (r.motifs.influenceSequences ? `Influence is the increase of the loss when the filter's activation is set to zero, measured on ${r.motifs.influenceSequences} sequences (the test split when it has at least 100, else all sequences; evenly thinned to at most 2,000).` : 'Influence was not computed.') +
        (r.motifs.matchNote ? ` Note: ${e(r.motifs.matchNote)}.` : '') +
        '</p>' +
        table(
          ['filter', 'sites', 'bits', 'consensus', 'influence (loss change)', 'best match', 'q-value'],
          ranked.map((f) => [f.index, f.sites, num(f.ic, 2), f.consensus, num(f.influence, 4), f.matches[0] ? `${f.matches[0].id} ${f.matches[0].name}` : '–', f.matches[0] ? num(f.matches[0].qValue, 3) : '–']),
        ) +
        `<figure>${sheet}<figcaption>Figure 2. Sequence logos of the first-layer filters (bits).</figcaption></figure>` +
        (pairs.length ? `${pairs.join('')}<p class="caption">Figure 3. Filters over their best known-motif match (q ≤ 0.05), aligned as matched.</p>` : '<p>No filter matched a known motif with q ≤ 0.05.</p>'),
    )
  }

  const cites: string[] = []
  if (r.preset?.paper) cites.push(`Architecture: ${e(r.preset.paper)}.`)
  if (r.motifs?.bundledJaspar) cites.push(e(JASPAR_CREDIT))
  else if (r.motifs) cites.push(`Known motifs: ${e(r.motifs.analysis.database)} (cite its source and follow its licence).`)
  if (r.motifs) {
    cites.push('Motif comparison: Gupta S, Stamatoyannopoulos JA, Bailey TL, Noble WS. Quantifying similarity between motifs. Genome Biol. 2007;8:R24.')
    cites.push('MEME motif format: Bailey TL, Johnson J, Grant CE, Noble WS. The MEME Suite. Nucleic Acids Res. 2015;43:W39-W49.')
    if (r.motifs.analysis.method === 'threshold') cites.push('Filter sites by threshold: Kelley DR, Snoek J, Rinn JL. Basset. Genome Res. 2016;26:990-999.')
  }
  cites.push('TensorFlow.js: Smilkov D et al. TensorFlow.js: Machine Learning for the Web and Beyond. Proceedings of MLSys 2019.')
  sections.push(`<h2>Citations</h2><ol>${cites.map((x) => `<li>${x}</li>`).join('')}</ol>`)

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>MotifLens methods report: run ${e(r.runId)}</title>
<style>
body { font-family: system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; max-width: 980px; margin: 2em auto; padding: 0 1em; color: #1d2330; line-height: 1.45; }
table { border-collapse: collapse; margin: 0.6em 0; font-size: 13px; }
th, td { border: 1px solid #d8dce3; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f5f6f8; }
figure { margin: 1em 0; } figure svg { max-width: 100%; height: auto; }
figcaption, .caption { font-size: 13px; color: #5d6677; }
code { background: #f5f6f8; padding: 0 3px; }
</style></head><body>
<h1>Methods report: run ${e(r.runId)}</h1>
<p>Written by MotifLens ${e(run.versions.motiflens ?? '')} on ${e(r.generated)}. Run folder: <code>${e(r.runDir)}</code>; trained ${e(run.created)}.</p>
${sections.join('\n')}
</body></html>
`
}
