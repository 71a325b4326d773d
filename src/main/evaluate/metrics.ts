/**
 * Ranking metrics with scikit-learn's definitions, so numbers match what biologists get in
 * Python:
 * - ROC AUC: trapezoidal area under the ROC curve through every distinct score threshold
 *   (tied scores move both rates at once: a diagonal step).
 * - PR AUC is average precision: sum over thresholds of (R_k - R_{k-1}) * P_k, step-wise,
 *   no interpolation (`sklearn.metrics.average_precision_score`).
 * - A target with no positives or no negatives has no ROC AUC and no average precision:
 *   null, never 0.5. Macro averages run over the defined targets only; micro averages pool
 *   every (score, label) pair of every target (sklearn's `average='micro'`).
 *
 * Matrices are row-major `[n, targets]` (sample i, target t at `i * targets + t`).
 */
import type { EvaluationReport } from '../../shared/types.js'

/** Cumulative true and false positives at each distinct threshold, scores descending. */
export interface ThresholdCounts {
  /** Distinct scores, descending. */
  thresholds: Float64Array
  tps: Float64Array
  fps: Float64Array
}

/**
 * sklearn's `_binary_clf_curve`: sort by score descending and count positives and negatives
 * scoring >= each distinct threshold. Null if a score is NaN.
 */
export function thresholdCounts(scores: ArrayLike<number>, labels: ArrayLike<number>, stride = 1, offset = 0): ThresholdCounts | null {
  const n = Math.floor((scores.length - offset + stride - 1) / stride)
  const order = new Uint32Array(n)
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(scores[offset + i * stride])) return null
    order[i] = offset + i * stride
  }
  order.sort((a, b) => scores[b] - scores[a])
  const thresholds: number[] = []
  const tps: number[] = []
  const fps: number[] = []
  let tp = 0
  let fp = 0
  for (let k = 0; k < n; k++) {
    const i = order[k]
    if (labels[i] > 0.5) tp++
    else fp++
    if (k === n - 1 || scores[order[k + 1]] !== scores[i]) {
      thresholds.push(scores[i])
      tps.push(tp)
      fps.push(fp)
    }
  }
  return { thresholds: Float64Array.from(thresholds), tps: Float64Array.from(tps), fps: Float64Array.from(fps) }
}

function defined(c: ThresholdCounts | null): c is ThresholdCounts {
  if (!c || c.tps.length === 0) return false
  const last = c.tps.length - 1
  return c.tps[last] > 0 && c.fps[last] > 0
}

/** ROC AUC from threshold counts; null without both classes. */
export function rocAucFromCounts(c: ThresholdCounts | null): number | null {
  if (!defined(c)) return null
  const last = c.tps.length - 1
  const P = c.tps[last]
  const N = c.fps[last]
  let area = 0
  let prevTpr = 0
  let prevFpr = 0
  for (let k = 0; k <= last; k++) {
    const tpr = c.tps[k] / P
    const fpr = c.fps[k] / N
    area += ((fpr - prevFpr) * (tpr + prevTpr)) / 2
    prevTpr = tpr
    prevFpr = fpr
  }
  return area
}

/** Average precision from threshold counts; null without both classes. */
export function averagePrecisionFromCounts(c: ThresholdCounts | null): number | null {
  if (!defined(c)) return null
  const P = c.tps[c.tps.length - 1]
  let ap = 0
  let prevRecall = 0
  for (let k = 0; k < c.tps.length; k++) {
    const recall = c.tps[k] / P
    const precision = c.tps[k] / (c.tps[k] + c.fps[k])
    ap += (recall - prevRecall) * precision
    prevRecall = recall
  }
  return ap
}

export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  return rocAucFromCounts(thresholdCounts(scores, labels))
}

export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number | null {
  return averagePrecisionFromCounts(thresholdCounts(scores, labels))
}

/** ROC curve through every distinct threshold, from (0, 0): sklearn's `roc_curve(drop_intermediate=False)`. */
export interface RocCurve {
  fpr: number[]
  tpr: number[]
  /** The first threshold is `max score + 1`, as in sklearn, so the curve starts at (0, 0). */
  thresholds: number[]
}

/** Precision-recall points with recall ascending, starting at (recall 0, precision 1). */
export interface PrCurve {
  recall: number[]
  precision: number[]
  /** Threshold of each point after the first (descending). */
  thresholds: number[]
}

export function rocCurve(c: ThresholdCounts | null): RocCurve | null {
  if (!defined(c)) return null
  const last = c.tps.length - 1
  return {
    fpr: [0, ...Array.from(c.fps, (x) => x / c.fps[last])],
    tpr: [0, ...Array.from(c.tps, (x) => x / c.tps[last])],
    thresholds: [c.thresholds[0] + 1, ...c.thresholds],
  }
}

export function precisionRecallCurve(c: ThresholdCounts | null): PrCurve | null {
  if (!defined(c)) return null
  const P = c.tps[c.tps.length - 1]
  return {
    recall: [0, ...Array.from(c.tps, (x) => x / P)],
    precision: [1, ...Array.from(c.tps, (tp, k) => tp / (tp + c.fps[k]))],
    thresholds: Array.from(c.thresholds),
  }
}

/** Counts at a threshold: predicted positive when score >= threshold. */
export interface Confusion {
  tp: number
  fp: number
  tn: number
  fn: number
}

export function confusionAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number, stride = 1, offset = 0): Confusion {
  const c: Confusion = { tp: 0, fp: 0, tn: 0, fn: 0 }
  for (let i = offset; i < scores.length; i += stride) {
    const predicted = scores[i] >= threshold
    const actual = labels[i] > 0.5
    if (predicted && actual) c.tp++
    else if (predicted) c.fp++
    else if (actual) c.fn++
    else c.tn++
  }
  return c
}

/**
 * Multi-class (one label per row, softmax outputs): `matrix[true][predicted]` counts and
 * accuracy of the arg-max. Rows without exactly one positive label are skipped.
 */
export function multiclassConfusion(scores: ArrayLike<number>, labels: ArrayLike<number>, classes: number): { matrix: number[][]; accuracy: number | null } {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0))
  let right = 0
  let total = 0
  for (let i = 0; i * classes < scores.length; i++) {
    let truth = -1
    let positives = 0
    let best = 0
    for (let t = 0; t < classes; t++) {
      if (labels[i * classes + t] > 0.5) {
        truth = t
        positives++
      }
      if (scores[i * classes + t] > scores[i * classes + best]) best = t
    }
    if (positives !== 1) continue
    matrix[truth][best]++
    total++
    if (truth === best) right++
  }
  return { matrix, accuracy: total > 0 ? right / total : null }
}

export interface TargetEvaluation {
  name: string
  roc_auc: number | null
  pr_auc: number | null
  positives: number
  negatives: number
  confusion: Confusion
  accuracy: number
  roc?: RocCurve | null
  pr?: PrCurve | null
}

export interface Evaluation extends EvaluationReport {
  targets: TargetEvaluation[]
  threshold: number
  /** Fraction of all (sample, target) labels predicted right at the threshold. */
  accuracy: number | null
}

function mean(xs: (number | null)[]): number | null {
  const ok = xs.filter((x): x is number => x !== null)
  return ok.length ? ok.reduce((a, b) => a + b, 0) / ok.length : null
}

/**
 * Every metric of a prediction matrix against its labels (both `[n, targets]`).
 * `curves` adds ROC and PR curves per target (large for big sets).
 */
export function evaluatePredictions(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  targets: readonly string[],
  options: { threshold?: number; curves?: boolean } = {},
): Evaluation {
  const T = targets.length
  if (scores.length !== labels.length || (T > 0 && scores.length % T !== 0)) {
    throw new Error(`evaluatePredictions: ${scores.length} scores, ${labels.length} labels, ${T} targets do not agree`)
  }
  const threshold = options.threshold ?? 0.5
  let right = 0
  const rows = targets.map((name, t): TargetEvaluation => {
    const counts = thresholdCounts(scores, labels, T, t)
    const confusion = confusionAt(scores, labels, threshold, T, t)
    const positives = confusion.tp + confusion.fn
    const negatives = confusion.fp + confusion.tn
    right += confusion.tp + confusion.tn
    const row: TargetEvaluation = {
      name,
      roc_auc: rocAucFromCounts(counts),
      pr_auc: averagePrecisionFromCounts(counts),
      positives,
      negatives,
      confusion,
      accuracy: positives + negatives > 0 ? (confusion.tp + confusion.tn) / (positives + negatives) : 0,
    }
    if (options.curves) {
      row.roc = rocCurve(counts)
      row.pr = precisionRecallCurve(counts)
    }
    return row
  })
  const pooled = thresholdCounts(scores, labels)
  return {
    targets: rows,
    macro: { roc_auc: mean(rows.map((r) => r.roc_auc)), pr_auc: mean(rows.map((r) => r.pr_auc)) },
    micro: { roc_auc: rocAucFromCounts(pooled), pr_auc: averagePrecisionFromCounts(pooled) },
    threshold,
    accuracy: scores.length > 0 ? right / scores.length : null,
  }
}

/** The JSON `motiflens evaluate --json` prints: names, AUCs and counts only. */
export function toReport(e: Evaluation): EvaluationReport {
  return {
    targets: e.targets.map((t) => ({ name: t.name, roc_auc: t.roc_auc, pr_auc: t.pr_auc, positives: t.positives, negatives: t.negatives })),
    macro: { ...e.macro },
    micro: { ...e.micro },
  }
}
