/**
 * `motiflens train`: train a model on labelled sequences into a run folder.
 *
 *   motiflens train (data flags) --model motif-cnn --out RUN_DIR [training options]
 *   motiflens train --out RUN_DIR --resume        (data and settings come from RUN_DIR/run.json)
 */
import { resolve } from 'node:path'
import type { ModelParams, ModelSpec } from '../../../shared/types.js'
import { initBackend, type BackendPreference } from '../../compute/backend.js'
import { createParallelStepFactory } from '../../compute/step-factory.js'
import { absoluteDataSpec, DATA_FLAGS_USAGE, dataSpecFromArgs, hasDataSource, parseDataFlags } from '../../data/cli-flags.js'
import { loadDataset } from '../../data/load.js'
import { UserError } from '../../errors.js'
import { PRESET_NAMES, isPresetName } from '../../models/presets.js'
import { type LossName } from '../../train/losses.js'
import { progressPrinter } from '../../train/progress-text.js'
import { readRunRecord } from '../../train/run.js'
import { isNonEmptyDir, train, type TrainOptions } from '../../train/train.js'
import { boolFlag, numberFlag, stringFlag, type FlagSpec, type ParsedArgs } from '../args.js'
import type { CliCommand, CliIO } from '../types.js'

export const TRAIN_FLAGS: Record<string, FlagSpec> = {
  model: { type: 'string' },
  filters: { type: 'string' },
  widths: { type: 'string' },
  pools: { type: 'string' },
  lstm: { type: 'string' },
  dense: { type: 'string' },
  dropout: { type: 'string' },
  epochs: { type: 'string' },
  'batch-size': { type: 'string' },
  optimizer: { type: 'string' },
  lr: { type: 'string' },
  momentum: { type: 'string' },
  nesterov: { type: 'boolean' },
  patience: { type: 'string' },
  'lr-decay': { type: 'string' },
  loss: { type: 'string' },
  'class-weights': { type: 'string' },
  'rc-augment': { type: 'boolean' },
  out: { type: 'string', alias: 'o' },
  resume: { type: 'boolean' },
  force: { type: 'boolean' },
  backend: { type: 'string' },
  'checkpoint-every': { type: 'string' },
}

const USAGE = `Usage:
  motiflens train (data flags) --out RUN_DIR [--model NAME] [options]
  motiflens train --out RUN_DIR --resume [--epochs N]

Train a model and save it, with its history and metrics, in RUN_DIR (best/ and last/
checkpoints, run.json). Ctrl-C stops at the next batch and keeps a checkpoint to --resume.

Model:
  --model NAME          ${PRESET_NAMES.join(', ')} (default motif-cnn)
  --filters 32,64       conv filters per layer      --widths 15,7   conv widths (bp)
  --pools 4,0           max-pool after each conv    --lstm N        bidirectional LSTM units
  --dense 64            hidden Dense units          --dropout X     dropout rate
Training:
  --epochs N            passes over the training set (default 10)
  --batch-size N        sequences per gradient step (default 64)
  --optimizer O         adam (default), sgd or rmsprop
  --lr X                learning rate (default 0.001; sgd 0.01)
  --momentum X          sgd momentum (default 0)    --nesterov      Nesterov momentum
  --lr-decay F:E        multiply the learning rate by F every E epochs (e.g. 0.5:10)
  --patience N          stop after N epochs without a lower validation loss
  --loss L              auto (default), bce (multi-label), cce (one class per sequence), mse
  --class-weights W     none (default), balanced (rare labels weigh more), or w1,w2,... per target
  --rc-augment          train on random reverse complements too (DNA/RNA)
  --seed N              one seed for the split, the weights, shuffles and dropout (default 0)
  --out RUN_DIR         the run folder (must be empty unless --resume or --force)
  --resume              continue the run in RUN_DIR from its last checkpoint
  --force               replace the run in RUN_DIR
  --backend B           auto (default), tensorflow, wasm or cpu
  --checkpoint-every S  write the last/ checkpoint at least every S seconds within an epoch (default 300)

${DATA_FLAGS_USAGE}
`

function intList(p: ParsedArgs, name: string): number[] | undefined {
  const raw = stringFlag(p, name)
  if (raw === undefined) return undefined
  const xs = raw.split(',').map((s) => Number(s.trim()))
  if (xs.some((x) => !Number.isInteger(x) || x < 0)) throw new UserError(`train: --${name} '${raw}' is not a comma-separated list of whole numbers, e.g. --${name} 32,64`, { exitCode: 2 })
  return xs
}

function modelSpecFromArgs(p: ParsedArgs): ModelSpec {
  const name = stringFlag(p, 'model') ?? 'motif-cnn'
  if (!isPresetName(name)) throw new UserError(`train: --model '${name}' is not one of ${PRESET_NAMES.join(', ')}`, { exitCode: 2 })
  const params: ModelParams = {}
  const filters = intList(p, 'filters')
  if (filters) params.filters = filters
  const widths = intList(p, 'widths')
  if (widths) params.widths = widths
  const pools = intList(p, 'pools')
  if (pools) params.pools = pools
  const dense = intList(p, 'dense')
  if (dense) params.dense = dense
  const lstm = numberFlag(p, 'lstm', 'train', { integer: true, min: 0 })
  if (lstm !== undefined) params.lstmUnits = lstm
  const dropout = numberFlag(p, 'dropout', 'train', { min: 0, max: 0.99 })
  if (dropout !== undefined) params.dropout = dropout
  return Object.keys(params).length ? { preset: name, params } : { preset: name }
}

const LOSSES: Record<string, LossName | 'auto'> = {
  auto: 'auto',
  bce: 'binary-crossentropy',
  'binary-crossentropy': 'binary-crossentropy',
  cce: 'categorical-crossentropy',
  'categorical-crossentropy': 'categorical-crossentropy',
  mse: 'mse',
}

export function backendFlag(p: ParsedArgs, command: string): BackendPreference {
  const b = stringFlag(p, 'backend') ?? 'auto'
  if (!['auto', 'tensorflow', 'wasm', 'cpu'].includes(b)) throw new UserError(`${command}: --backend '${b}' is not one of auto, tensorflow, wasm, cpu`, { exitCode: 2 })
  return b as BackendPreference
}

/** Training options from the flags (everything but the dataset and the folder). */
function trainSettings(p: ParsedArgs): Omit<TrainOptions, 'dataset' | 'outDir' | 'model'> {
  const o: Omit<TrainOptions, 'dataset' | 'outDir' | 'model'> = {}
  o.epochs = numberFlag(p, 'epochs', 'train', { integer: true, min: 1 })
  o.batchSize = numberFlag(p, 'batch-size', 'train', { integer: true, min: 1, max: 65536 })
  const opt = stringFlag(p, 'optimizer')
  if (opt !== undefined && !['sgd', 'adam', 'rmsprop'].includes(opt)) throw new UserError(`train: --optimizer '${opt}' is not one of sgd, adam, rmsprop`, { exitCode: 2 })
  o.optimizer = opt as TrainOptions['optimizer']
  o.learningRate = numberFlag(p, 'lr', 'train', { min: 1e-12, max: 100 })
  o.momentum = numberFlag(p, 'momentum', 'train', { min: 0, max: 0.9999 })
  if (boolFlag(p, 'nesterov')) o.nesterov = true
  if ((o.momentum !== undefined || o.nesterov) && (o.optimizer ?? 'adam') !== 'sgd') throw new UserError('train: --momentum and --nesterov are for --optimizer sgd', { exitCode: 2 })
  o.patience = numberFlag(p, 'patience', 'train', { integer: true, min: 1 })
  const decay = stringFlag(p, 'lr-decay')
  if (decay !== undefined) {
    const m = /^([0-9.eE-]+):([0-9]+)$/.exec(decay)
    const factor = m ? Number(m[1]) : Number.NaN
    const every = m ? Number(m[2]) : 0
    if (!(factor > 0 && factor <= 1 && every >= 1)) throw new UserError(`train: --lr-decay '${decay}' is not FACTOR:EPOCHS with 0 < FACTOR <= 1, e.g. --lr-decay 0.5:10`, { exitCode: 2 })
    o.lrDecay = { factor, every }
  }
  const loss = stringFlag(p, 'loss')
  if (loss !== undefined) {
    if (!(loss in LOSSES)) throw new UserError(`train: --loss '${loss}' is not one of auto, bce, cce, mse`, { exitCode: 2 })
    o.loss = LOSSES[loss]
  }
  const cw = stringFlag(p, 'class-weights')
  if (cw !== undefined) {
    if (cw === 'none' || cw === 'balanced') o.classWeights = cw
    else {
      const ws = cw.split(',').map(Number)
      if (ws.some((w) => !(w > 0))) throw new UserError(`train: --class-weights '${cw}' is not none, balanced, or positive numbers like 1,5,20`, { exitCode: 2 })
      o.classWeights = ws
    }
  }
  if (boolFlag(p, 'rc-augment')) o.reverseComplement = true
  o.seed = numberFlag(p, 'seed', 'train', { integer: true, min: 0 })
  o.checkpointEverySec = numberFlag(p, 'checkpoint-every', 'train', { min: 1 })
  for (const k of Object.keys(o) as (keyof typeof o)[]) if (o[k] === undefined) delete o[k]
  return o
}

export const trainCommand: CliCommand = {
  name: 'train',
  summary: 'train a model on labelled sequences (motif CNN, DeepSEA, DanQ, Basset, ...)',
  usage: USAGE,
  async run(argv: string[], io: CliIO): Promise<number> {
    const { args } = parseDataFlags(argv, 'train', { extraFlags: TRAIN_FLAGS, cwd: io.cwd })
    const out = stringFlag(args, 'out')
    if (!out) throw new UserError('train: --out RUN_DIR is required: the folder for the model, checkpoints and run.json', { exitCode: 2 })
    const outDir = resolve(io.cwd, out)
    const resume = boolFlag(args, 'resume')
    const force = boolFlag(args, 'force')
    if (resume && force) throw new UserError('train: give --resume or --force, not both', { exitCode: 2 })
    if (!resume && !force && isNonEmptyDir(outDir)) {
      throw new UserError(`train: ${outDir} is not empty; use --resume to continue the run in it, --force to replace it, or another --out`, { exitCode: 2 })
    }

    const parsed = dataSpecFromArgs(args, 'train', { cwd: io.cwd })
    let spec = parsed.spec
    const cacheDir = parsed.cacheDir
    const settings = trainSettings(args)
    let model = modelSpecFromArgs(args)
    if (resume) {
      const run = await readRunRecord(outDir)
      if (!hasDataSource(args) && args.positionals.length === 0) {
        if (!run.dataset.spec) throw new UserError(`train: ${outDir}/run.json does not record its data; give the same data flags again with --resume`, { exitCode: 2 })
        spec = run.dataset.spec
      }
      model = run.config.model
    } else {
      if (spec.seed === undefined && settings.seed !== undefined) spec.seed = settings.seed
      settings.seed ??= spec.seed ?? 0
    }

    const backend = await initBackend(backendFlag(args, 'train'))
    if (backend.fallbackReason) io.stderr(`note: ${backend.fallbackReason}\n`)
    const dataset = await loadDataset(spec, { cacheDir })

    const controller = new AbortController()
    const onSigint = () => {
      io.stderr('\nstopping after this batch (Ctrl-C again to quit at once)...\n')
      controller.abort()
      process.once('SIGINT', () => process.exit(130))
    }
    process.once('SIGINT', onSigint)
    try {
      const result = await train(
        {
          ...settings,
          dataset,
          model,
          outDir,
          resume,
          overwrite: force,
          dataSpec: absoluteDataSpec(spec, io.cwd),
          backend: { name: backend.name, detail: backend.detail },
          // both cores through worker threads where the backend is WebAssembly
          stepFactory: createParallelStepFactory({ onBackend: (d) => io.stderr(`compute: ${d}\n`) }),
        },
        { signal: controller.signal, onProgress: progressPrinter(io.stderr, io.isTTY) },
      )
      const best = result.best
      const auc = best?.metrics.val_roc_auc
      io.stdout(
        `${result.status}: ${result.epochs} epoch${result.epochs === 1 ? '' : 's'}` +
          (best ? `; best epoch ${best.epoch} (${best.valLoss === null ? `loss ${best.loss.toFixed(4)}` : `val_loss ${best.valLoss.toFixed(4)}`}${typeof auc === 'number' ? `, val_roc_auc ${auc.toFixed(4)}` : ''})` : '') +
          `; run saved in ${outDir}\n`,
      )
      if (result.status === 'diverged') {
        io.stderr(`motiflens: ${result.message}\n`)
        return 1
      }
      return result.status === 'cancelled' ? 130 : 0
    } finally {
      process.removeListener('SIGINT', onSigint)
    }
  },
}
