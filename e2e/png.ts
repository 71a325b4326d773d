import { inflateSync } from 'node:zlib'

/**
 * Decode a PNG far enough to know it is whole: the signature, every chunk, the IHDR size,
 * the pHYs resolution, and the inflated IDAT stream holding exactly one filter byte plus
 * width x channels bytes per row.
 */
export function decodePng(buf: Buffer): { width: number; height: number; dpi: number | null; pixels: number } {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  if (!buf.subarray(0, 8).equals(signature)) throw new Error('not a PNG signature')
  let offset = 8
  let width = 0
  let height = 0
  let channels = 0
  let dpi: number | null = null
  const idat: Buffer[] = []
  while (offset < buf.length) {
    const length = buf.readUInt32BE(offset)
    const type = buf.toString('latin1', offset + 4, offset + 8)
    const data = buf.subarray(offset + 8, offset + 8 + length)
    if (type === 'IHDR') {
      width = data.readUInt32BE(0)
      height = data.readUInt32BE(4)
      if (data[8] !== 8) throw new Error(`bit depth ${data[8]} not handled`)
      channels = ({ 0: 1, 2: 3, 4: 2, 6: 4 } as Record<number, number>)[data[9]] ?? 0
      if (!channels || data[12] !== 0) throw new Error('palette or interlaced PNG not handled')
    } else if (type === 'pHYs' && data[8] === 1) dpi = Math.round(data.readUInt32BE(0) * 0.0254)
    else if (type === 'IDAT') idat.push(data)
    else if (type === 'IEND') break
    offset += 12 + length
  }
  const raw = inflateSync(Buffer.concat(idat))
  if (raw.length !== height * (1 + width * channels)) throw new Error(`IDAT holds ${raw.length} bytes, expected ${height * (1 + width * channels)}`)
  return { width, height, dpi, pixels: width * height }
}
