/**
 * Filter influence: how much worse the model gets when one first-layer filter is silenced.
 * Each filter's activation channel is set to 0 (after its ReLU: the filter never fires) and
 * the rest of the network is run on a subsample; influence is
 *   lossDelta = loss(filter zeroed) - loss(model)      (> 0: the filter helps)
 *   aucDelta  = AUC(model) - AUC(filter zeroed)        (> 0: the filter helps)
 * with loss the mean binary cross-entropy over targets (sigmoid outputs), categorical
 * cross-entropy (softmax) or mean squared error (linear), and AUC the mean ROC AUC over the
 * targets that have both classes in the subsample.
 *
 * The activations are computed once per batch and only the layers after the first conv's
 * activation are re-run per filter, so this needs a sequential model (every preset is one).
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import type { Dataset } from '../data/types.js'
import { rocAuc } from '../evaluate/metrics.js'
import { lossOfArrays } from '../train/losses.js'
import { CancelledError, UserError } from '../errors.js'
import { firstConvLayer } from '../models/index.js'
import { convGeometry } from './extract.js'

export interface InfluenceOptions {
  batchSize?: number
  /** Only these filters (default all). */
  filters?: number[]
  /** Measure loss and AUC on this target (output column) only (default: all targets). */
  target?: number
  /** Predictions kept for AUC at most (floats); above it AUC is skipped (default 4e7). */
  maxStoredPredictions?: number
  signal?: AbortSignal
  onProgress?: (p: { done: number; total: number }) => void
}

export interface FilterInfluence {
  filter: number
  loss: number
  lossDelta: number
  auc: number | null
  aucDelta: number | null
}

export interface InfluenceResult {
  sequences: number
  lossKind: 'binary-crossentropy' | 'categorical-crossentropy' | 'mse'
  baseLoss: number
  baseAuc: number | null
  filters: FilterInfluence[]
  seconds: number
}

function meanAuc(pred: Float32Array, y: Float32Array, n: number, T: number): number | null {
  const aucs: number[] = []
  const s = new Float32Array(n)
  const l = new Float32Array(n)
  for (let t = 0; t < T; t++) {
    for (let i = 0; i < n; i++) {
      s[i] = pred[i * T + t]
      l[i] = y[i * T + t]
    }
    const a = rocAuc(s, l)
    if (a !== null) aucs.push(a)
  }
  return aucs.length ? aucs.reduce((a, b) => a + b, 0) / aucs.length : null
}

type LossKind = InfluenceResult['lossKind']

/** Summed (not averaged) loss over n rows: lossOfArrays' per-row mean times n. */
function lossSum(kind: LossKind, p: Float32Array, y: Float32Array, n: number, T: number): number {
  return lossOfArrays(kind, p.subarray(0, n * T), y.subarray(0, n * T), T) * n
}

export async function filterInfluence(model: tfl.LayersModel, dataset: Dataset, indices: ArrayLike<number>, opts: InfluenceOptions = {}): Promise<InfluenceResult> {
  const t0 = performance.now()
  const geo = convGeometry(model)
  const { activationLayer } = firstConvLayer(model)
  const at = model.layers.indexOf(activationLayer)
  if (model.getClassName() !== 'Sequential')
    throw new UserError(`filter influence needs a sequential model; '${model.name}' is a ${model.getClassName()}`)
  const rest = model.layers.slice(at + 1)
  const outAct = (model.layers[model.layers.length - 1].getConfig() as { activation?: string }).activation
  const lossKind: LossKind = outAct === 'softmax' ? 'categorical-crossentropy' : outAct === 'sigmoid' ? 'binary-crossentropy' : 'mse'
  const F = geo.filters
  const which = opts.filters ?? Array.from({ length: F }, (_, f) => f)
  const outputs = dataset.targets.length
  if (opts.target !== undefined && !(Number.isInteger(opts.target) && opts.target >= 0 && opts.target < outputs))
    throw new UserError(`filter influence: target ${opts.target} does not exist; the data has ${outputs} targets`)
  // One target: keep only its column of predictions and labels.
  const T = opts.target === undefined ? outputs : 1
  const column = (a: Float32Array, n: number): Float32Array =>
    opts.target === undefined ? a : Float32Array.from({ length: n }, (_, i) => a[i * outputs + (opts.target as number)])
  const idx = Uint32Array.from(indices as ArrayLike<number>)
  const N = idx.length
  if (N === 0) throw new UserError('filter influence: no sequences to use; check the split or the data files')
  const batchSize = Math.max(1, opts.batchSize ?? 32)
  const keep = F * N * T <= (opts.maxStoredPredictions ?? 4e7)
  const predsBase = new Float32Array(N * T)
  const preds = keep ? which.map(() => new Float32Array(N * T)) : []
  const losses = new Float64Array(which.length)
  let baseLoss = 0
  const yAll = new Float32Array(N * T)
  const runRest = (x: tf.Tensor): tf.Tensor => rest.reduce((t, layer) => layer.apply(t) as tf.Tensor, x)

  for (let b = 0; b < N; b += batchSize) {
    const bIdx = idx.subarray(b, Math.min(N, b + batchSize))
    const n = bIdx.length
    const batch = dataset.batch(bIdx)
    const by = column(batch.y, n)
    yAll.set(by, b * T)
    const act = tf.tidy(() => geo.activation.predict(tf.tensor3d(batch.x, [n, dataset.length, dataset.letters.length]), { batchSize: n }) as tf.Tensor3D)
    const base = tf.tidy(() => runRest(act))
    const bp = column((await base.data()) as Float32Array, n)
    base.dispose()
    predsBase.set(bp, b * T)
    baseLoss += lossSum(lossKind, bp, by, n, T)
    for (let w = 0; w < which.length; w++) {
      if (opts.signal?.aborted) {
        act.dispose()
        throw new CancelledError('filter influence cancelled')
      }
      const out = tf.tidy(() => {
        const mask = tf.reshape(tf.oneHot(tf.tensor1d([which[w]], 'int32'), F), [1, 1, F])
        return runRest(tf.mul(act, tf.sub(1, mask)))
      })
      const p = column((await out.data()) as Float32Array, n)
      out.dispose()
      losses[w] += lossSum(lossKind, p, by, n, T)
      if (keep) preds[w].set(p, b * T)
    }
    act.dispose()
    opts.onProgress?.({ done: b + n, total: N })
  }
  baseLoss /= N
  const baseAuc = meanAuc(predsBase, yAll, N, T)
  const filters = which.map((f, w) => {
    const loss = losses[w] / N
    const auc = keep ? meanAuc(preds[w], yAll, N, T) : null
    return { filter: f, loss, lossDelta: loss - baseLoss, auc, aucDelta: auc !== null && baseAuc !== null ? baseAuc - auc : null }
  })
  return { sequences: N, lossKind, baseLoss, baseAuc, filters, seconds: (performance.now() - t0) / 1000 }
}

// the ROC AUC this module reports is the evaluation's (checked against scikit-learn)
export { rocAuc }
