/**
 * Intervals from BED / narrowPeak files and the fixed-width windows cut around them.
 *
 * Coordinates are BED's: 0-based, half-open [start, end). A window of width W sits around
 * each interval's centre floor((start+end)/2), or around its summit start+peak for a
 * narrowPeak line (10 columns) whose peak is not -1: [centre - floor(W/2), that + W).
 * A window is positive for a target when it overlaps any interval of that target.
 */
import { createReadStream } from 'node:fs'
import { createInterface } from 'node:readline'
import { pipeline } from 'node:stream'
import { createGunzip } from 'node:zlib'
import BED from '@gmod/bed'
import { UserError } from '../errors.js'
import { readFailure, statInput } from './fasta.js'

export interface Interval {
  chrom: string
  start: number
  end: number
  /** Window centre: the summit for narrowPeak, else the midpoint. */
  centre: number
  /** For messages: where the interval was read. */
  file: string
  line: number
}

const bedParser = new BED()
const narrowPeakParser = new BED({ type: 'bigNarrowPeak' })

/** Every interval of one BED file (plain or gzip); header, track and comment lines are skipped. */
export async function readBed(path: string): Promise<Interval[]> {
  const info = await statInput(path, 'BED file')
  const raw = createReadStream(path)
  const input = info.gzip ? pipeline(raw, createGunzip(), () => {}) : raw
  const lines = createInterface({ input, crlfDelay: Infinity })
  const out: Interval[] = []
  let lineNo = 0
  try {
    for await (const line of lines) {
      lineNo++
      if (line.trim() === '' || line.startsWith('#') || line.startsWith('track') || line.startsWith('browser')) continue
      const cols = line.split('\t')
      if (cols.length < 3) {
        throw new UserError(`${path}:${lineNo}: expected tab-separated 'chrom start end', found '${line.slice(0, 40)}'; check that the file is BED`)
      }
      const f = cols.length === 10 ? narrowPeakParser.parseLine(cols) : bedParser.parseLine(cols.slice(0, 3))
      const start = f.chromStart as number
      const end = f.chromEnd as number
      if (!/^\d+$/.test(cols[1]) || !/^\d+$/.test(cols[2])) {
        throw new UserError(`${path}:${lineNo}: start '${cols[1]}' and end '${cols[2]}' must be whole numbers; check that the file is BED`)
      }
      if (end <= start) throw new UserError(`${path}:${lineNo}: interval ${cols[0]}:${start}-${end} ends before it starts; BED intervals are 0-based half-open with start < end`)
      const peak = cols.length === 10 ? Number(f.peak) : -1
      const centre = peak >= 0 && Number.isFinite(peak) ? start + peak : Math.floor((start + end) / 2)
      out.push({ chrom: f.chrom as string, start, end, centre, file: path, line: lineNo })
    }
  } catch (e) {
    throw readFailure(path, e, 'BED file')
  } finally {
    lines.close()
    raw.destroy()
  }
  if (out.length === 0) throw new UserError(`${path}: has no intervals; give a BED file with 'chrom start end' lines`)
  return out
}

/** Fast "does [start, end) overlap any interval" per chromosome: starts sorted, prefix max of ends. */
export class OverlapIndex {
  private readonly byChrom = new Map<string, { starts: Float64Array; maxEnd: Float64Array }>()

  constructor(intervals: { chrom: string; start: number; end: number }[]) {
    const groups = new Map<string, { start: number; end: number }[]>()
    for (const iv of intervals) {
      const g = groups.get(iv.chrom)
      if (g) g.push(iv)
      else groups.set(iv.chrom, [iv])
    }
    for (const [chrom, list] of groups) {
      list.sort((a, b) => a.start - b.start)
      const starts = Float64Array.from(list, (iv) => iv.start)
      const maxEnd = new Float64Array(list.length)
      let m = -Infinity
      for (let k = 0; k < list.length; k++) maxEnd[k] = m = Math.max(m, list[k].end)
      this.byChrom.set(chrom, { starts, maxEnd })
    }
  }

  overlaps(chrom: string, start: number, end: number): boolean {
    const g = this.byChrom.get(chrom)
    if (!g) return false
    // Intervals starting before `end`: the first `lo` of them.
    let lo = 0
    let hi = g.starts.length
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (g.starts[mid] < end) lo = mid + 1
      else hi = mid
    }
    return lo > 0 && g.maxEnd[lo - 1] > start
  }
}

export interface Window {
  chrom: string
  start: number
  end: number
}

/**
 * One window per distinct centre across all targets' intervals, sorted by chromosome (in
 * genome order) then start. A chromosome missing from the genome is an error naming the line.
 */
export function windowsAround(intervals: Interval[], width: number, chromSizes: Map<string, number>, genomePath: string): Window[] {
  const order = new Map([...chromSizes.keys()].map((c, k) => [c, k]))
  const seen = new Set<string>()
  const out: Window[] = []
  for (const iv of intervals) {
    if (!order.has(iv.chrom)) {
      const known = [...chromSizes.keys()].slice(0, 5).join(', ')
      throw new UserError(`${iv.file}:${iv.line}: chromosome '${iv.chrom}' is not in ${genomePath} (it has ${known}${chromSizes.size > 5 ? ', ...' : ''}); check that both use the same genome build and naming`)
    }
    const start = iv.centre - Math.floor(width / 2)
    const key = `${iv.chrom}\t${start}`
    if (seen.has(key)) continue
    seen.add(key)
    out.push({ chrom: iv.chrom, start, end: start + width })
  }
  out.sort((a, b) => order.get(a.chrom)! - order.get(b.chrom)! || a.start - b.start)
  return out
}
