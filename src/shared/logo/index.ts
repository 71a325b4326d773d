/** Sequence logos: pure geometry and SVG, shared by the renderer and the exporters. */
export * from './colors.js'
export * from './glyphs.js'
export * from './layout.js'
export * from './svg.js'
