/** Per-sequence interpretation: activation tracks, in-silico mutagenesis, gradient x input. */
export * from './attribution.js'
export { canCutModel, fastMutagenesisPaysOff, fastSaturationMutagenesis, saturationMutagenesisAuto, trunkGeometry } from './fast-ism.js'
export type { TrunkGeometry } from './fast-ism.js'
