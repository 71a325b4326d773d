import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { crc32, setPngDpi, svgSize, svgToPng } from '../../src/main/export/index.js'
import { logoSvg } from '../../src/shared/logo/index.js'
import { python } from '../motifs/python.js'

const logo = logoSvg(
  { letters: 'ACGT', rows: [[0.9, 0.05, 0.03, 0.02], [0, 1, 0, 0], [0.1, 0.1, 0.7, 0.1]] },
  { yAxis: 'bits', width: 192, height: 120, title: 'filter 1' },
)

describe('svgToPng', () => {
  it('renders at inches x dpi with the density in pHYs (read back by Pillow)', () => {
    const png = svgToPng(logo, { dpi: 300 })
    const dir = mkdtempSync(join(tmpdir(), 'motiflens-png-'))
    const file = join(dir, 'logo.png')
    writeFileSync(file, png)
    const info = JSON.parse(
      python(`
import json
from PIL import Image
im = Image.open(${JSON.stringify(file)}).convert('RGB')
px = im.load()
colored = sum(1 for x in range(im.width) for y in range(im.height) if px[x, y] != (255, 255, 255))
green = sum(1 for x in range(im.width) for y in range(im.height) if px[x, y] == (16, 150, 72))
print(json.dumps({"size": im.size, "dpi": Image.open(${JSON.stringify(file)}).info.get("dpi"), "colored": colored, "green": green}))
`),
    ) as { size: [number, number]; dpi: [number, number]; colored: number; green: number }
    // 192 px SVG = 2 in at 96 px/in -> 600 x 375 px at 300 dpi
    expect(info.size).toEqual([600, 375])
    expect(info.dpi[0]).toBeCloseTo(300, 1)
    expect(info.dpi[1]).toBeCloseTo(300, 1)
    expect(info.colored).toBeGreaterThan(10000) // letters drawn, not a blank page
    expect(info.green).toBeGreaterThan(1000) // the A is in the nucleotide green
  })

  it('takes a width in inches', () => {
    const png = svgToPng(logo, { dpi: 600, widthInches: 3.5 })
    const view = new DataView(png.buffer, png.byteOffset)
    expect(view.getUint32(16)).toBe(2100) // IHDR width
  })

  it('rejects silly densities', () => {
    expect(() => svgToPng(logo, { dpi: 0 })).toThrow('PNG export: dpi 0 is out of range; use 72 to 1200 (300 for print)')
  })
})

describe('PNG helpers', () => {
  it('computes the PNG CRC-32', () => {
    expect(crc32(new TextEncoder().encode('IEND'))).toBe(0xae426082)
  })

  it('replaces an existing pHYs chunk instead of adding a second', () => {
    const once = setPngDpi(svgToPng(logo, { dpi: 72 }), 300)
    const text = Buffer.from(once).toString('latin1')
    expect(text.split('pHYs').length - 1).toBe(1)
  })

  it('reads the SVG size', () => {
    expect(svgSize(logo)).toEqual({ width: 192, height: 120 })
    expect(svgSize('<svg viewBox="0 0 50 20"></svg>')).toEqual({ width: 50, height: 20 })
  })
})
