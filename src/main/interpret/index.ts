/** Per-sequence interpretation: activation tracks, in-silico mutagenesis, gradient x input. */
export * from './attribution.js'
