/**
 * `motiflens evaluate RUN_DIR [data flags] [--json]`: ROC AUC and PR AUC (average precision)
 * per target, macro and micro, of a run's best model. Without data flags it evaluates the
 * test split of the run's own data; with them, every sequence of the given data (an
 * independent set), cropped or padded to the model's input length.
 */
import { resolve } from 'node:path'
import type { SplitName } from '../../../shared/types.js'
import { initBackend } from '../../compute/backend.js'
import { DATA_FLAGS, DATA_FLAGS_USAGE, hasDataSource } from '../../data/cli-flags.js'
import { UserError } from '../../errors.js'
import { evaluatePredictions, toReport, type Evaluation } from '../../evaluate/metrics.js'
import { labelsOf, predict } from '../../evaluate/predict.js'
import { loadRun } from '../../train/run.js'
import { boolFlag, numberFlag, parseArgs, stringFlag, type FlagSpec } from '../args.js'
import { loadRunData } from '../run-data.js'
import type { CliCommand, CliIO } from '../types.js'
import { backendFlag } from './train.js'

const FLAGS: Record<string, FlagSpec> = {
  json: { type: 'boolean' },
  subset: { type: 'string' },
  threshold: { type: 'string' },
  'batch-size': { type: 'string' },
  checkpoint: { type: 'string' },
  backend: { type: 'string' },
}

const USAGE = `Usage: motiflens evaluate RUN_DIR [data flags] [--json] [options]

ROC AUC and PR AUC (average precision, scikit-learn's definitions) per target, with macro
(over targets that have both classes) and micro averages, of the run's best model. A target
whose sequences are all positive or all negative has no AUC: null (JSON) or '-' (text).

Without data flags: the test split of the data the run was trained on.
With data flags: all of those sequences (fitted to the model's input length).

Options:
  --json              print {"targets": [...], "macro": {...}, "micro": {...}}
  --subset S          train, valid, test or all (default: test for the run's data, all otherwise)
  --threshold X       score threshold for the accuracy line (default 0.5)
  --checkpoint C      best (default) or last
  --batch-size N      sequences per prediction batch (default 256)
  --backend B         auto (default), tensorflow, wasm or cpu

${DATA_FLAGS_USAGE}
`

const f = (x: number | null) => (x === null ? '-' : x.toFixed(4))

function formatEvaluation(e: Evaluation, subset: string, n: number): string {
  const width = Math.max(6, ...e.targets.map((t) => t.name.length))
  const lines = [
    `${n} sequences (${subset})`,
    `${'target'.padEnd(width)}  ${'ROC AUC'.padStart(8)}  ${'PR AUC'.padStart(8)}  ${'pos'.padStart(7)}  ${'neg'.padStart(7)}`,
    ...e.targets.map((t) => `${t.name.padEnd(width)}  ${f(t.roc_auc).padStart(8)}  ${f(t.pr_auc).padStart(8)}  ${String(t.positives).padStart(7)}  ${String(t.negatives).padStart(7)}`),
  ]
  if (e.targets.length > 1) {
    lines.push(`${'macro'.padEnd(width)}  ${f(e.macro.roc_auc).padStart(8)}  ${f(e.macro.pr_auc).padStart(8)}`)
    lines.push(`${'micro'.padEnd(width)}  ${f(e.micro.roc_auc).padStart(8)}  ${f(e.micro.pr_auc).padStart(8)}`)
  }
  lines.push(`accuracy at ${e.threshold}: ${e.accuracy === null ? '-' : (100 * e.accuracy).toFixed(1) + '%'}`)
  return lines.join('\n') + '\n'
}

export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: "ROC AUC and PR AUC of a trained run's model, per target",
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const args = parseArgs(argv, { ...DATA_FLAGS, ...FLAGS }, 'evaluate')
    const [runArg, ...fasta] = args.positionals
    if (!runArg) throw new UserError('evaluate: give the run folder, e.g. motiflens evaluate runs/ctcf', { exitCode: 2 })
    const dir = resolve(io.cwd, runArg)
    const subsetFlag = stringFlag(args, 'subset')
    if (subsetFlag !== undefined && !['train', 'valid', 'test', 'all'].includes(subsetFlag)) throw new UserError(`evaluate: --subset '${subsetFlag}' is not one of train, valid, test, all`, { exitCode: 2 })
    const checkpoint = stringFlag(args, 'checkpoint') ?? 'best'
    if (checkpoint !== 'best' && checkpoint !== 'last') throw new UserError(`evaluate: --checkpoint '${checkpoint}' is not best or last`, { exitCode: 2 })
    const threshold = numberFlag(args, 'threshold', 'evaluate', { min: 0, max: 1 }) ?? 0.5
    const batchSize = numberFlag(args, 'batch-size', 'evaluate', { integer: true, min: 1 }) ?? 256

    await initBackend(backendFlag(args, 'evaluate'))
    const loaded = await loadRun(dir, checkpoint)
    const { run, model } = loaded
    try {
      const ownData = !hasDataSource(args) && fasta.length === 0
      const dataset = await loadRunData(run, dir, args, fasta, 'evaluate', io.cwd)
      if (dataset.targets.length !== run.dataset.targets.length) {
        throw new UserError(`evaluate: the data has ${dataset.targets.length} targets (${dataset.targets.join(', ')}) but the model predicts ${run.dataset.targets.length} (${run.dataset.targets.join(', ')})`)
      }
      const subset = (subsetFlag ?? (ownData ? 'test' : 'all')) as SplitName | 'all'
      const rows = dataset.indices(subset)
      if (rows.length === 0) throw new UserError(`evaluate: the ${subset} split is empty; choose another with --subset`)
      const preds = await predict(model, dataset, rows, batchSize)
      const evaluation = evaluatePredictions(preds, labelsOf(dataset, rows), run.dataset.targets, { threshold })
      if (boolFlag(args, 'json')) io.stdout(`${JSON.stringify(toReport(evaluation), null, 2)}\n`)
      else io.stdout(formatEvaluation(evaluation, subset, rows.length))
      return 0
    } finally {
      model.dispose()
    }
  },
}
