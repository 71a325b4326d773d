/**
 * Motif interpretation: typed position matrices, motif file formats, the bundled JASPAR
 * database, filter -> PWM extraction, Tomtom-style comparison and per-sequence attribution.
 */
export * from './matrix.js'
export * from './consensus.js'
export * from './meme.js'
export * from './count-formats.js'
export * from './database.js'
export * from './extract.js'
export * from './run-logos.js'
export * from './influence.js'
export * from './compare.js'
export * from './recovery.js'
export * from './compare-many.js'
