/** Model presets, building, summaries and first-layer access for interpretation. */
export { buildModel, firstConvActivationModel, firstConvLayer, formatSummary, modelSummary } from './build.js'
export type { BuildOptions, FirstConv } from './build.js'
export { BidirectionalLSTM } from './bilstm.js'
export { FIRST_CONV_NAME, OUTPUT_NAME, PRESET_NAMES, countParameters, isPresetName, layerPlan, listPresets, planShapes, resolveParams } from './presets.js'
export type { LayerPlan, ModelInput } from './presets.js'
