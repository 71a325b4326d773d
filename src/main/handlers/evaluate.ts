/**
 * The Evaluate view: ROC and PR curves per target, AUCs with macro and micro averages, and
 * confusion counts at a threshold, on the run's test split (the validation split when the
 * test split is empty, and the view says so).
 *
 * Predicting is the slow part, so it happens once per model: the scores `[n, targets]` go to
 * `<run>/evaluation-predictions.f32` and the AUCs and thinned curves to
 * `<run>/evaluation.json`, both keyed by the dataset fingerprint and the run record's
 * update time (a resumed run invalidates them). Reopening reads the JSON; a new threshold
 * only recounts the confusion from the scores (kept in memory for the open run).
 */
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { CurvePoints, EvaluationView } from '../../shared/views.js'
import type { EvaluationReport } from '../../shared/types.js'
import type { SplitName } from '../data/types.js'
import { UserError } from '../errors.js'
import {
  averagePrecisionFromCounts,
  confusionAt,
  labelsOf,
  multiclassConfusion,
  precisionRecallCurve,
  predict,
  rocAucFromCounts,
  rocCurve,
  thresholdCounts,
  type ThresholdCounts,
} from '../evaluate/index.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import { writeFileAtomic } from '../train/files.js'
import { readRunRecord } from '../train/index.js'
import type { HandlerDeps } from './index.js'
import type { OpenRun } from './runs.js'

export const EVALUATION_FILE = 'evaluation.json'
export const EVALUATION_PREDICTIONS_FILE = 'evaluation-predictions.f32'
const CACHE_VERSION = 1
/** Most points a curve keeps on the wire. */
export const CURVE_POINTS = 300

/** What evaluation.json holds. */
interface EvaluationCache {
  version: number
  key: string
  split: SplitName
  splitNote: string | null
  sequences: number
  report: EvaluationReport
  roc: (CurvePoints | null)[]
  pr: (CurvePoints | null)[]
  microCurves: EvaluationView['microCurves']
  classes: EvaluationView['classes']
  threshold: number
  confusion: EvaluationView['confusion']
}

/**
 * The run, opened through the store, reopened when its run.json changed since (it was still
 * training, or was resumed, when first opened), so the views never show a stale model.
 */
export async function openCurrent(runs: Pick<HandlerDeps['runs'], 'open' | 'forget'>, runId: string): Promise<OpenRun> {
  const open = await runs.open(runId)
  const onDisk = await readRunRecord(open.dir).catch(() => null)
  if (!onDisk || onDisk.updated === open.run.updated) return open
  runs.forget(runId)
  return runs.open(runId)
}

/** Identifies the model and data the cache was computed from. */
export function evaluationKey(open: Pick<OpenRun, 'run' | 'checkpoint'>): string {
  return `${open.run.dataset.fingerprint}|${open.run.updated}|${open.checkpoint}`
}

/**
 * The split evaluation runs on: test, else validation, else training (each fallback said in
 * `note`, since the model chose its best epoch on the validation split and fit the training split).
 */
export function evaluationSplit(dataset: OpenRun['dataset']): { split: SplitName; indices: Uint32Array; note: string | null } {
  const test = dataset.indices('test')
  if (test.length > 0) return { split: 'test', indices: test, note: null }
  const valid = dataset.indices('valid')
  if (valid.length > 0)
    return { split: 'valid', indices: valid, note: 'The test split is empty, so these numbers are on the validation split; they are optimistic because the best epoch was chosen on it.' }
  return { split: 'train', indices: dataset.indices('train'), note: 'The test and validation splits are empty, so these numbers are on the training data the model fit; they say little about new sequences.' }
}

const squaredDistanceToSegment = (px: number, py: number, ax: number, ay: number, bx: number, by: number): number => {
  const dx = bx - ax
  const dy = by - ay
  const len2 = dx * dx + dy * dy
  const t = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / len2)) : 0
  const ex = ax + t * dx - px
  const ey = ay + t * dy - py
  return ex * ex + ey * ey
}

/**
 * A curve with at most `maxPoints` points that keeps its shape: the endpoints always, then
 * greedily the point farthest from the thinned curve (Ramer-Douglas-Peucker, best split
 * first), so corners of a ROC staircase survive before points on straight runs. Points on a
 * straight line between their neighbours are dropped first; coordinates are rounded to
 * `digits` decimals (the curves live in the unit square: 1e-4 is far below a pixel).
 */
export function thinCurve(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = CURVE_POINTS, digits = 4): CurvePoints {
  const n = x.length
  if (n <= 2) return { x: Array.from(x), y: Array.from(y) }
  // 1. drop repeated and collinear points (a staircase keeps its corners only)
  const keep: number[] = [0]
  for (let i = 1; i < n - 1; i++) {
    const a = keep[keep.length - 1]
    const cross = (x[i] - x[a]) * (y[i + 1] - y[a]) - (y[i] - y[a]) * (x[i + 1] - x[a])
    const dup = x[i] === x[a] && y[i] === y[a]
    if (!dup && Math.abs(cross) > 1e-12) keep.push(i)
  }
  keep.push(n - 1)
  // 2. very long curves: one point per 1/8192 of the square first (sub-pixel; bounds step 3's cost)
  let idx = keep
  if (idx.length > 20_000) {
    const step = 1 / 8192
    const coarse = [idx[0]]
    for (let k = 1; k < idx.length - 1; k++) {
      const a = coarse[coarse.length - 1]
      if (Math.abs(x[idx[k]] - x[a]) >= step || Math.abs(y[idx[k]] - y[a]) >= step) coarse.push(idx[k])
    }
    coarse.push(idx[idx.length - 1])
    idx = coarse
  }
  // 3. greedy Ramer-Douglas-Peucker down to maxPoints
  let result: number[]
  if (idx.length <= maxPoints) result = idx
  else {
    interface Segment {
      from: number
      to: number
      worst: number
      d2: number
    }
    const segment = (from: number, to: number): Segment => {
      let worst = -1
      let d2 = 0
      const [ax, ay, bx, by] = [x[idx[from]], y[idx[from]], x[idx[to]], y[idx[to]]]
      for (let k = from + 1; k < to; k++) {
        const d = squaredDistanceToSegment(x[idx[k]], y[idx[k]], ax, ay, bx, by)
        if (d > d2) {
          d2 = d
          worst = k
        }
      }
      return { from, to, worst, d2 }
    }
    const segments = [segment(0, idx.length - 1)]
    const chosen = new Set<number>([0, idx.length - 1])
    while (chosen.size < maxPoints) {
      let best = -1
      for (let s = 0; s < segments.length; s++) if (segments[s].worst >= 0 && (best < 0 || segments[s].d2 > segments[best].d2)) best = s
      if (best < 0) break
      const s = segments[best]
      chosen.add(s.worst)
      segments.splice(best, 1, segment(s.from, s.worst), segment(s.worst, s.to))
    }
    result = [...chosen].sort((a, b) => a - b).map((k) => idx[k])
  }
  const f = 10 ** digits
  const r = (v: number): number => Math.round(v * f) / f
  return { x: result.map((i) => r(x[i])), y: result.map((i) => r(y[i])) }
}

function curvesOf(counts: ThresholdCounts | null): { roc: CurvePoints | null; pr: CurvePoints | null } {
  const roc = rocCurve(counts)
  const pr = precisionRecallCurve(counts)
  return { roc: roc ? thinCurve(roc.fpr, roc.tpr) : null, pr: pr ? thinCurve(pr.recall, pr.precision) : null }
}

/** Confusion counts per target at `threshold` (predicted positive when score >= threshold). */
export function confusionPerTarget(scores: Float32Array, labels: ArrayLike<number>, targets: number, threshold: number): EvaluationView['confusion'] {
  return Array.from({ length: targets }, (_, t) => {
    const c = confusionAt(scores, labels, threshold, targets, t)
    const n = c.tp + c.fp + c.tn + c.fn
    return { ...c, accuracy: n > 0 ? (c.tp + c.tn) / n : null }
  })
}

interface Scores {
  runId: string
  key: string
  scores: Float32Array
  labels: Uint8Array
}

/**
 * Evaluates runs for the view and keeps the last run's scores, so moving the threshold
 * recounts without predicting again. Other engineers' exports can call `evaluate` too.
 */
export class RunEvaluator {
  private scores: Scores | null = null

  constructor(private readonly runs: Pick<HandlerDeps['runs'], 'open' | 'forget'>) {}

  private computing: { key: string; done: Promise<{ cache: EvaluationCache; seconds: number }> } | null = null

  async evaluate(runId: string, threshold: number): Promise<EvaluationView> {
    const open = await openCurrent(this.runs, runId)
    const key = evaluationKey(open)
    const T = open.dataset.targets.length
    let cached = await readCache(open.dir, key)
    let seconds = 0
    if (!cached) {
      // one computation per model, however many requests (threshold changes) arrive meanwhile
      if (this.computing?.key !== key) {
        const done = this.compute(open, key, threshold)
        this.computing = { key, done }
        done.catch(() => undefined).finally(() => {
          if (this.computing?.done === done) this.computing = null
        })
      }
      ;({ cache: cached, seconds } = await this.computing.done)
    }
    const confusion = cached.threshold === threshold ? cached.confusion : confusionPerTarget(...(await this.scoresOf(open, key)), T, threshold)
    return view(runId, cached, threshold, confusion, seconds)
  }

  private async compute(open: OpenRun, key: string, threshold: number): Promise<{ cache: EvaluationCache; seconds: number }> {
    const t0 = performance.now()
    const { split, indices, note } = evaluationSplit(open.dataset)
    if (indices.length === 0) throw new UserError(`run ${open.runId}: its dataset has no sequences to evaluate; check the data files`)
    const scores = await predict(open.model, open.dataset, indices, 256)
    const labels = Uint8Array.from(labelsOf(open.dataset, indices))
    const seconds = (performance.now() - t0) / 1000
    this.scores = { runId: open.runId, key, scores, labels }
    const targets = open.dataset.targets
    const T = targets.length
    // one sort per target gives its AUCs and both curves (evaluatePredictions would sort again)
    const confusion = confusionPerTarget(scores, labels, T, threshold)
    const roc: (CurvePoints | null)[] = []
    const pr: (CurvePoints | null)[] = []
    const rows: EvaluationReport['targets'] = []
    for (let t = 0; t < T; t++) {
      const counts = thresholdCounts(scores, labels, T, t)
      const c = curvesOf(counts)
      roc.push(c.roc)
      pr.push(c.pr)
      const k = confusion[t]
      rows.push({ name: targets[t], roc_auc: rocAucFromCounts(counts), pr_auc: averagePrecisionFromCounts(counts), positives: k.tp + k.fn, negatives: k.fp + k.tn })
    }
    const pooled = thresholdCounts(scores, labels)
    const mean = (xs: (number | null)[]): number | null => {
      const ok = xs.filter((x): x is number => x !== null)
      return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null
    }
    const report: EvaluationReport = {
      targets: rows,
      macro: { roc_auc: mean(rows.map((r) => r.roc_auc)), pr_auc: mean(rows.map((r) => r.pr_auc)) },
      micro: { roc_auc: rocAucFromCounts(pooled), pr_auc: averagePrecisionFromCounts(pooled) },
    }
    const cache: EvaluationCache = {
      version: CACHE_VERSION,
      key,
      split,
      splitNote: note,
      sequences: indices.length,
      report,
      roc,
      pr,
      microCurves: curvesOf(pooled),
      classes: open.run.config.outputActivation === 'softmax' && T > 1 ? multiclassConfusion(scores, labels, T) : null,
      threshold,
      confusion,
    }
    await writeFileAtomic(join(open.dir, EVALUATION_PREDICTIONS_FILE), new Uint8Array(scores.buffer, scores.byteOffset, scores.byteLength))
    await writeFileAtomic(join(open.dir, EVALUATION_FILE), JSON.stringify(cache))
    return { cache, seconds }
  }

  /** Scores and labels of the evaluated split: from memory, else the run folder's cache. */
  private async scoresOf(open: OpenRun, key: string): Promise<[Float32Array, Uint8Array]> {
    if (this.scores?.runId === open.runId && this.scores.key === key) return [this.scores.scores, this.scores.labels]
    const { indices } = evaluationSplit(open.dataset)
    const labels = Uint8Array.from(labelsOf(open.dataset, indices))
    let scores: Float32Array | null = null
    const file = join(open.dir, EVALUATION_PREDICTIONS_FILE)
    if (existsSync(file)) {
      const bytes = await readFile(file)
      if (bytes.byteLength === labels.length * 4) scores = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength))
    }
    scores ??= await predict(open.model, open.dataset, indices, 256)
    this.scores = { runId: open.runId, key, scores, labels }
    return [scores, labels]
  }
}

async function readCache(dir: string, key: string): Promise<EvaluationCache | null> {
  try {
    const c = JSON.parse(await readFile(join(dir, EVALUATION_FILE), 'utf8')) as EvaluationCache
    return c.version === CACHE_VERSION && c.key === key ? c : null
  } catch {
    return null // absent or unreadable: computed again
  }
}

function view(runId: string, c: EvaluationCache, threshold: number, confusion: EvaluationView['confusion'], seconds: number): EvaluationView {
  return {
    runId,
    split: c.split,
    splitNote: c.splitNote,
    sequences: c.sequences,
    report: c.report,
    roc: c.roc,
    pr: c.pr,
    microCurves: c.microCurves,
    classes: c.classes,
    threshold,
    confusion,
    seconds,
  }
}

export function evaluateHandlers({ runs }: HandlerDeps): Pick<HandlerMap, 'run:evaluate'> {
  const evaluator = new RunEvaluator(runs)
  return {
    async 'run:evaluate'({ runId, threshold }) {
      return evaluator.evaluate(runId, threshold)
    },
  }
}
