/**
 * The training loop: our own (not model.fit) so every batch can report progress, be
 * cancelled, and be checkpointed for a resume after a crash.
 *
 * Reproducibility: everything random is a pure function of (seed, epoch, batch): the weight
 * initialisation (seed), the epoch's shuffle (seed, epoch), the reverse-complement coin
 * flips and dropout masks (seed, epoch, batch). A checkpoint therefore only needs the
 * weights, the optimizer state and the position (epoch, batch) for a resumed run to repeat
 * exactly what an uninterrupted one would have done.
 */
import { existsSync, readdirSync } from 'node:fs'
import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import * as tfl from '@tensorflow/tfjs-layers'
import type { DataSpec, ModelSpec, TrainProgress } from '../../shared/types.js'
import type { Batch, Dataset } from '../data/types.js'
import { UserError } from '../errors.js'
import { evaluatePredictions } from '../evaluate/metrics.js'
import { labelsOf, predict } from '../evaluate/predict.js'
import { buildModel } from '../models/build.js'
import { countParameters } from '../models/presets.js'
import { mixSeed, mulberry32, shuffleInPlace } from '../models/random.js'
import { appVersion } from '../version.js'
import { recoverDir, writeDirAtomic } from './files.js'
import { type ClassWeights, type LossName, autoLoss, balancedClassWeights, lossFunction, lossOfArrays, outputActivationFor } from './losses.js'
import { loadModelDir, modelFiles, optimizerFiles, restoreOptimizer } from './model-io.js'
import { type OptimizerName, learningRateAt, makeOptimizer, setLearningRate } from './optimizer.js'
import { type EpochRecord, RUN_FORMAT, RUN_VERSION, type RunRecord, type RunStatus, type TrainingConfig, readRunRecord, writeRunRecord } from './run.js'
import { type TrainStep, type TrainStepFactory, createLocalStep } from './step.js'

export interface TrainOptions {
  dataset: Dataset
  model: ModelSpec
  /** The run folder; must be empty or absent unless `resume` or `overwrite`. */
  outDir: string
  optimizer?: OptimizerName
  /** Default: 0.001 for adam and rmsprop, 0.01 for sgd. */
  learningRate?: number
  momentum?: number
  nesterov?: boolean
  batchSize?: number
  epochs?: number
  loss?: LossName | 'auto'
  /** 'balanced' for rare labels; or explicit positive-class weights per target / class. */
  classWeights?: 'none' | 'balanced' | number[]
  patience?: number | null
  lrDecay?: { every: number; factor: number } | null
  seed?: number
  reverseComplement?: boolean
  /** Continue from last/ (weights, optimizer, position, history); `epochs` may be raised. */
  resume?: boolean
  /** Delete an existing run in outDir first. */
  overwrite?: boolean
  /** Write last/ at least this often within an epoch (seconds; default 300). */
  checkpointEverySec?: number
  /** Also write last/ every this many batches (0 = off). */
  checkpointEveryBatches?: number
  /** The data flags, stored so `evaluate` can reload the data. */
  dataSpec?: DataSpec
  /** For run.json; default: tf.getBackend(). */
  backend?: { name: string; detail: string | null }
  /** How a batch's gradient step is computed; default in-process (step.ts). */
  stepFactory?: TrainStepFactory
}

export interface TrainHooks {
  signal?: AbortSignal
  onProgress?: (p: TrainProgress) => void
}

export interface TrainResult {
  runDir: string
  status: Exclude<RunStatus, 'running'>
  /** Why training stopped early, in one line (null when it ran all epochs). */
  message: string | null
  /** Epochs fully done. */
  epochs: number
  best: RunRecord['best']
  history: EpochRecord[]
}

/** Where training stands; saved in last/state.json. */
interface LoopState {
  /** 0-based epoch in progress. */
  epoch: number
  /** Next batch of that epoch. */
  batch: number
  /** Loss sum and samples seen so far in this epoch. */
  lossSum: number
  seen: number
  bestValue: number | null
  epochsWithoutImprovement: number
}

const SHUFFLE = 1
const AUGMENT = 2
const DROPOUT = 3

function defaultLearningRate(o: OptimizerName): number {
  return o === 'sgd' ? 0.01 : 0.001
}

function runFiles(dir: string): string[] {
  return ['run.json', 'best', 'last', 'best.tmp', 'last.tmp', 'best.old', 'last.old'].filter((f) => existsSync(join(dir, f)))
}

function resolveConfig(o: TrainOptions, trainRows: Uint32Array): TrainingConfig {
  const ds = o.dataset
  const loss = !o.loss || o.loss === 'auto' ? autoLoss(ds, trainRows) : o.loss
  const optimizer = o.optimizer ?? 'adam'
  const T = ds.targets.length
  let classWeights: ClassWeights | null = null
  let classWeightsMode: TrainingConfig['classWeightsMode'] = 'none'
  if (o.classWeights === 'balanced') {
    classWeights = balancedClassWeights(loss, ds, trainRows)
    classWeightsMode = 'balanced'
  } else if (Array.isArray(o.classWeights)) {
    if (o.classWeights.length !== T) throw new UserError(`train: ${o.classWeights.length} class weights for ${T} targets; give one weight per target`)
    classWeights = { pos: [...o.classWeights], neg: o.classWeights.map(() => 1) }
    classWeightsMode = 'given'
  }
  const positive = (v: number | undefined, name: string, integer: boolean) => {
    if (v !== undefined && !(v > 0 && Number.isFinite(v) && (!integer || Number.isInteger(v)))) throw new UserError(`train: ${name} must be a positive ${integer ? 'integer' : 'number'}, got ${v}`)
  }
  positive(o.batchSize, 'batch size', true)
  positive(o.epochs, 'epochs', true)
  positive(o.learningRate, 'learning rate', false)
  if (o.reverseComplement && ds.alphabet !== 'dna' && ds.alphabet !== 'rna') {
    throw new UserError(`train: reverse-complement augmentation needs DNA or RNA; this dataset is ${ds.alphabet}`)
  }
  return {
    model: o.model,
    loss,
    outputActivation: outputActivationFor(loss),
    optimizer,
    learningRate: o.learningRate ?? defaultLearningRate(optimizer),
    momentum: o.momentum ?? 0,
    nesterov: o.nesterov ?? false,
    batchSize: o.batchSize ?? 64,
    epochs: o.epochs ?? 10,
    patience: o.patience ?? null,
    lrDecay: o.lrDecay ?? null,
    classWeights,
    classWeightsMode,
    reverseComplement: o.reverseComplement ?? false,
    seed: o.seed ?? Math.floor(Math.random() * 2 ** 31),
  }
}

/** The batch for these rows; with augmentation, a seeded half of them reverse-complemented. */
function makeBatch(ds: Dataset, rows: Uint32Array, augment: boolean, seed: number): Batch {
  if (!augment) return ds.batch(rows)
  const rand = mulberry32(seed)
  const keep: number[] = []
  const flip: number[] = []
  for (const r of rows) (rand() < 0.5 ? flip : keep).push(r)
  const a = ds.batch(keep)
  const b = ds.batch(flip, { reverseComplement: true })
  const x = new Float32Array(a.x.length + b.x.length)
  x.set(a.x)
  x.set(b.x, a.x.length)
  const y = new Float32Array(a.y.length + b.y.length)
  y.set(a.y)
  y.set(b.y, a.y.length)
  return { x, y, n: a.n + b.n }
}

export async function train(options: TrainOptions, hooks: TrainHooks = {}): Promise<TrainResult> {
  const ds = options.dataset
  const dir = options.outDir
  const emit = (p: TrainProgress) => hooks.onProgress?.(p)
  const trainRows = ds.indices('train')
  const validRows = ds.indices('valid')
  if (trainRows.length === 0) throw new UserError('train: the dataset has no training sequences; check the split (--split) and the input files')
  if (ds.targets.length === 0) throw new UserError('train: the dataset has no targets (labels) to learn')

  // --- the run record and the model: fresh, or from the last checkpoint ---
  let run: RunRecord
  let model: tfl.LayersModel
  let state: LoopState
  const optimizerDir = join(dir, 'last')
  let restoreOptimizerState = false
  if (options.resume) {
    run = await readRunRecord(dir)
    if (run.dataset.fingerprint !== ds.fingerprint) {
      throw new UserError(`${join(dir, 'run.json')}: the run was trained on different data (fingerprint ${run.dataset.fingerprint}, now ${ds.fingerprint}); resume with the same data options, or start a new run`)
    }
    if (options.epochs !== undefined) run.config.epochs = options.epochs
    await recoverDir(join(dir, 'last'))
    await recoverDir(join(dir, 'best'))
    if (!existsSync(join(dir, 'last', 'state.json'))) throw new UserError(`${dir}: no checkpoint to resume from (last/ is missing); start again with --force`)
    const saved = JSON.parse(await readFile(join(dir, 'last', 'state.json'), 'utf8')) as { state: LoopState; history: EpochRecord[] }
    state = saved.state
    run.history = saved.history
    // state.json is written before run.json: the history there is the one to trust.
    const lastBest = run.history.filter((h) => h.best).at(-1)
    run.best = lastBest ? { epoch: lastBest.epoch, valLoss: lastBest.valLoss, loss: lastBest.loss, metrics: lastBest.metrics } : null
    model = await loadModelDir(join(dir, 'last'))
    restoreOptimizerState = true
  } else {
    const existing = existsSync(dir) ? runFiles(dir) : []
    if (existing.length > 0) {
      if (!options.overwrite) throw new UserError(`${dir}: already holds a training run (${existing.join(', ')}); use --resume to continue it or --force to replace it`)
      for (const f of existing) await rm(join(dir, f), { recursive: true, force: true })
    }
    const config = resolveConfig(options, trainRows)
    const input = { length: ds.length, letters: ds.letters.length, targets: ds.targets.length, outputActivation: config.outputActivation }
    model = buildModel(config.model, { ...input, seed: config.seed })
    const now = new Date().toISOString()
    run = {
      format: RUN_FORMAT,
      version: RUN_VERSION,
      created: now,
      updated: now,
      status: 'running',
      message: null,
      dataset: {
        fingerprint: ds.fingerprint,
        alphabet: ds.alphabet,
        letters: ds.letters,
        length: ds.length,
        targets: [...ds.targets],
        sizes: { train: trainRows.length, valid: validRows.length, test: ds.indices('test').length },
        spec: options.dataSpec ?? null,
      },
      config,
      parameters: countParameters(config.model, input),
      history: [],
      best: null,
      backend: options.backend ?? { name: tf.getBackend(), detail: null },
      versions: { motiflens: appVersion(), 'tfjs-core': tf.version_core, 'tfjs-layers': tfl.version_layers, node: process.versions.node },
    }
    state = { epoch: 0, batch: 0, lossSum: 0, seen: 0, bestValue: null, epochsWithoutImprovement: 0 }
    await writeRunRecord(dir, run)
  }
  const config = run.config
  run.status = 'running'
  run.message = null
  run.backend = options.backend ?? { name: tf.getBackend(), detail: null }
  await writeRunRecord(dir, run)

  const optimizer = makeOptimizer(config)
  if (restoreOptimizerState) await restoreOptimizer(optimizer, optimizerDir)
  const T = ds.targets.length
  const ctx = { model, optimizer, loss: lossFunction(config.loss, config.classWeights), lossSpec: { name: config.loss, classWeights: config.classWeights }, length: ds.length, letters: ds.letters.length, targets: T }
  const step: TrainStep = await (options.stepFactory ?? createLocalStep)(ctx)
  const batches = Math.ceil(trainRows.length / config.batchSize)
  const checkpointEverySec = options.checkpointEverySec ?? 300
  const checkpointEveryBatches = options.checkpointEveryBatches ?? 0

  const saveLast = async (s: LoopState) => {
    const files = { ...(await modelFiles(model)), ...(await optimizerFiles(optimizer)), 'state.json': JSON.stringify({ state: s, history: run.history }) }
    await writeDirAtomic(join(dir, 'last'), files)
  }
  const saveBest = async () => writeDirAtomic(join(dir, 'best'), await modelFiles(model))
  const finish = async (status: Exclude<RunStatus, 'running'>, message: string | null): Promise<TrainResult> => {
    run.status = status
    run.message = message
    run.updated = new Date().toISOString()
    await writeRunRecord(dir, run)
    step.dispose()
    optimizer.dispose()
    model.dispose()
    return { runDir: dir, status, message, epochs: run.history.length, best: run.best, history: run.history }
  }

  emit({ kind: 'start', backend: run.backend.name, epochs: config.epochs, batchesPerEpoch: batches, trainSize: trainRows.length, validSize: validRows.length, params: run.parameters, runDir: dir })
  const runStart = performance.now()
  const batchesAtStart = state.epoch * batches + state.batch
  let lastCheckpoint = performance.now()
  let lastBatchEvent = 0

  try {
    for (; state.epoch < config.epochs; state.epoch++, state.batch = 0, state.lossSum = 0, state.seen = 0) {
      const epoch = state.epoch
      const lr = learningRateAt(config.learningRate, epoch, config.lrDecay)
      setLearningRate(optimizer, lr)
      const order = shuffleInPlace(Uint32Array.from(trainRows), mulberry32(mixSeed(config.seed, SHUFFLE, epoch)))
      const epochStart = performance.now()
      const seenAtStart = state.seen

      for (; state.batch < batches; state.batch++) {
        if (hooks.signal?.aborted) {
          await saveLast(state)
          if (!existsSync(join(dir, 'best', 'model.json'))) await saveBest()
          const message = `cancelled at epoch ${epoch + 1}, batch ${state.batch + 1} of ${batches}; resume with --resume`
          emit({ kind: 'log', level: 'warn', message })
          return await finish('cancelled', message)
        }
        const rows = order.subarray(state.batch * config.batchSize, Math.min(trainRows.length, (state.batch + 1) * config.batchSize))
        const batch = makeBatch(ds, rows, config.reverseComplement, mixSeed(config.seed, AUGMENT, epoch, state.batch))
        const loss = await step.step(batch, mixSeed(config.seed, DROPOUT, epoch, state.batch))
        if (!Number.isFinite(loss)) {
          const kept = run.best ? `the best model (epoch ${run.best.epoch}) is kept in ${join(dir, 'best')}` : 'no epoch had finished, so no model is kept'
          const message = `training stopped at epoch ${epoch + 1}, batch ${state.batch + 1}: the loss became ${loss}; lower the learning rate (--lr) or use --optimizer adam; ${kept}`
          emit({ kind: 'log', level: 'error', message })
          return await finish('diverged', message)
        }
        state.lossSum += loss * batch.n
        state.seen += batch.n

        const now = performance.now()
        const done = state.batch + 1
        if (now - lastBatchEvent > 200 || done === batches) {
          lastBatchEvent = now
          const secs = (now - epochStart) / 1000
          const samplesPerSec = secs > 0 ? (state.seen - seenAtStart) / secs : 0
          const batchesDone = epoch * batches + done - batchesAtStart
          const perBatch = (now - runStart) / 1000 / Math.max(1, batchesDone)
          emit({ kind: 'batch', epoch: epoch + 1, batch: done, batches, loss: state.lossSum / state.seen, samplesPerSec, etaSec: perBatch * (config.epochs * batches - epoch * batches - done) })
        }
        if (done < batches && ((checkpointEveryBatches > 0 && done % checkpointEveryBatches === 0) || now - lastCheckpoint > checkpointEverySec * 1000)) {
          await saveLast({ ...state, batch: done })
          lastCheckpoint = performance.now()
        }
        // Give the event loop a turn: progress events, cancellation, IPC.
        await new Promise((r) => setImmediate(r))
      }

      // --- end of epoch: validation, best and last checkpoints ---
      const trainLoss = state.lossSum / state.seen
      let valLoss: number | null = null
      const metrics: Record<string, number | null> = {}
      if (validRows.length > 0) {
        const preds = await predict(model, ds, validRows, Math.max(config.batchSize, 64))
        const labels = labelsOf(ds, validRows)
        valLoss = lossOfArrays(config.loss, preds, labels, T)
        const ev = evaluatePredictions(preds, labels, ds.targets)
        metrics.val_roc_auc = ev.macro.roc_auc
        metrics.val_pr_auc = ev.macro.pr_auc
        metrics.val_accuracy = ev.accuracy
      }
      const value = valLoss ?? trainLoss
      const improved = Number.isFinite(value) && (state.bestValue === null || value < state.bestValue)
      if (improved) {
        state.bestValue = value
        state.epochsWithoutImprovement = 0
        await saveBest()
      } else state.epochsWithoutImprovement++
      const record: EpochRecord = { epoch: epoch + 1, loss: trainLoss, valLoss, metrics, lr, seconds: (performance.now() - epochStart) / 1000, best: improved }
      run.history.push(record)
      if (improved) run.best = { epoch: epoch + 1, valLoss, loss: trainLoss, metrics }
      run.updated = new Date().toISOString()
      await saveLast({ ...state, epoch: epoch + 1, batch: 0, lossSum: 0, seen: 0 })
      await writeRunRecord(dir, run)
      lastCheckpoint = performance.now()
      emit({ kind: 'epoch', epoch: epoch + 1, loss: trainLoss, valLoss, metrics, lr, best: improved, seconds: record.seconds })
      if (config.patience !== null && state.epochsWithoutImprovement >= config.patience && epoch + 1 < config.epochs) {
        const message = `early stopping after epoch ${epoch + 1}: no lower ${valLoss === null ? 'training' : 'validation'} loss for ${config.patience} epochs; best epoch ${run.best?.epoch}`
        emit({ kind: 'log', level: 'info', message })
        return await finish('early-stopped', message)
      }
    }
    return await finish('completed', null)
  } catch (e) {
    for (const dispose of [() => step.dispose(), () => optimizer.dispose(), () => model.dispose()]) {
      try {
        dispose()
      } catch {
        // a crashed WebAssembly backend cannot free anything more
      }
    }
    // tfjs' WebAssembly heap stops at 4 GB; past it the backend aborts with this error.
    if (e instanceof Error && tf.getBackend() === 'wasm' && /memory access out of bounds|Aborted\(/.test(e.message)) {
      throw new UserError(
        `train: the WebAssembly backend ran out of memory (4 GB limit) at epoch ${state.epoch + 1}, batch ${state.batch + 1} (${run.parameters.toLocaleString('en-US')} parameters); ` +
          `use --backend tensorflow or cpu for this model, --optimizer sgd (no moment buffers), or a smaller model${run.best ? `; the best checkpoint (epoch ${run.best.epoch}) is kept` : ''}`,
        { cause: e },
      )
    }
    throw e
  }
}

/** True when a folder exists and holds anything. */
export function isNonEmptyDir(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).length > 0
}
