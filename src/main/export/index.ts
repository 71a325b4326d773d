/** Exports: logos as SVG/PNG (print dpi), TSV tables of filters and per-sequence positions. */
export * from './logos.js'
export * from './png.js'
export * from './tables.js'
