/** Metrics (sklearn definitions) and batched prediction. */
export * from './metrics.js'
export { labelsOf, predict, predictArray } from './predict.js'
export type { PredictOptions } from './predict.js'
