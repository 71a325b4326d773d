/**
 * Turn an on-screen chart into a stand-alone SVG document for export. On screen the charts
 * take their text colour from the page (`currentColor`, the theme's CSS variables); a saved
 * file has no page around it, so the copy gets print colours (dark ink on white) and its own
 * pixel size, and the engine rasterises exactly this text for PNG.
 */
const SVG_NS = 'http://www.w3.org/2000/svg'

/** The exported document: `svg` is the outerHTML sent as `export:save` {what: 'chart'}. */
export function standaloneSvg(el: SVGSVGElement): string {
  const copy = el.cloneNode(true) as SVGSVGElement
  copy.setAttribute('xmlns', SVG_NS)
  const box = el.viewBox?.baseVal
  const rect = el.getBoundingClientRect()
  // viewBox-only charts scale to their container on screen; the file needs a fixed size
  const width = box && box.width > 0 ? box.width : Math.round(rect.width) || 400
  const height = box && box.height > 0 ? box.height : Math.round(rect.height) || 200
  copy.setAttribute('width', String(width))
  copy.setAttribute('height', String(height))
  if (!copy.getAttribute('viewBox')) copy.setAttribute('viewBox', `0 0 ${width} ${height}`)
  copy.removeAttribute('class')
  copy.setAttribute('style', 'color:#1d2330;font-family:Helvetica,Arial,sans-serif')
  const bg = el.ownerDocument.createElementNS(SVG_NS, 'rect')
  bg.setAttribute('x', String(box && box.width > 0 ? box.x : 0))
  bg.setAttribute('y', String(box && box.height > 0 ? box.y : 0))
  bg.setAttribute('width', String(width))
  bg.setAttribute('height', String(height))
  bg.setAttribute('fill', '#ffffff')
  copy.insertBefore(bg, copy.firstChild)
  return copy.outerHTML
}
