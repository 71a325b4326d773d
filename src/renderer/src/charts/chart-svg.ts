import type { BaseType } from 'd3'

/**
 * The element a chart draws into. Typed through d3's BaseType rather than the DOM's
 * SVGSVGElement so the charts' pure geometry can be unit-tested under the Node tsconfig.
 */
export type ChartSvg = Exclude<BaseType, null>
