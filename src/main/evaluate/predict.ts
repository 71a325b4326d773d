/**
 * Batched prediction over a Dataset. Output is row-major `[indices.length, targets]` in the
 * order of `indices`.
 */
import * as tf from '@tensorflow/tfjs-core'
import type * as tfl from '@tensorflow/tfjs-layers'
import { CancelledError } from '../errors.js'
import type { BatchOptions, Dataset } from '../data/types.js'

export interface PredictOptions extends BatchOptions {
  signal?: AbortSignal
  /** Average the predictions of each sequence and its reverse complement (DNA/RNA). */
  averageReverseComplement?: boolean
  /** Called after each batch with the number of sequences done. */
  onBatch?: (done: number, total: number) => void
}

/** Run the model on one-hot `[n, length, letters]` and return `[n, outputs]` as a Float32Array. */
export function predictArray(model: tfl.LayersModel, x: Float32Array, n: number, length: number, letters: number): Float32Array {
  return tf.tidy(() => {
    const out = model.predict(tf.tensor3d(x, [n, length, letters])) as tf.Tensor
    return out.dataSync() as Float32Array
  }).slice()
}

export async function predict(
  model: tfl.LayersModel,
  dataset: Dataset,
  indices: ArrayLike<number>,
  batchSize = 256,
  options: PredictOptions = {},
): Promise<Float32Array> {
  const outputs = (model.outputs[0].shape[1] as number) ?? dataset.targets.length
  const result = new Float32Array(indices.length * outputs)
  const { signal, averageReverseComplement, onBatch, ...batchOptions } = options
  for (let start = 0; start < indices.length; start += batchSize) {
    if (signal?.aborted) throw new CancelledError('prediction cancelled')
    const chunk = Array.from({ length: Math.min(batchSize, indices.length - start) }, (_, k) => indices[start + k])
    const batch = dataset.batch(chunk, batchOptions)
    const y = predictArray(model, batch.x, batch.n, dataset.length, dataset.letters.length)
    if (averageReverseComplement) {
      const rc = dataset.batch(chunk, { ...batchOptions, reverseComplement: true })
      const yr = predictArray(model, rc.x, rc.n, dataset.length, dataset.letters.length)
      for (let i = 0; i < y.length; i++) y[i] = (y[i] + yr[i]) / 2
    }
    result.set(y, start * outputs)
    onBatch?.(start + chunk.length, indices.length)
    // Let the event loop breathe (progress events, cancellation) between batches.
    await new Promise((r) => setImmediate(r))
  }
  return result
}

/** Labels of these sequences as row-major `[indices.length, targets]` 0/1 floats. */
export function labelsOf(dataset: Dataset, indices: ArrayLike<number>): Float32Array {
  const T = dataset.targets.length
  const out = new Float32Array(indices.length * T)
  for (let k = 0; k < indices.length; k++) for (let t = 0; t < T; t++) out[k * T + t] = dataset.label(indices[k], t)
  return out
}
