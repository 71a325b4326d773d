/**
 * GC-matched genome background: for each positive, a random genome window of the same
 * length whose GC fraction falls in the same 2% bin (the closest of up to 200 draws when no
 * draw hits the bin). Windows with more than 10% N, or overlapping a positive region, are
 * redrawn. Chromosomes are drawn in proportion to their length. Seeded.
 */
import { UserError } from '../errors.js'
import type { OverlapIndex } from './bed.js'
import type { Genome } from './genome.js'
import type { Rng } from './rng.js'
import { AMBIGUOUS_CODE } from './types.js'

/** GC fraction of A/C/G/T codes (ambiguous letters ignored); null when there are none. */
export function gcFraction(codes: Uint8Array): number | null {
  let gc = 0
  let acgt = 0
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i]
    if (c === AMBIGUOUS_CODE) continue
    acgt++
    if (c === 1 || c === 2) gc++
  }
  return acgt === 0 ? null : gc / acgt
}

function nFraction(codes: Uint8Array): number {
  let n = 0
  for (let i = 0; i < codes.length; i++) if (codes[i] === AMBIGUOUS_CODE) n++
  return n / codes.length
}

const BIN = 0.02
const MAX_DRAWS = 200

export interface BackgroundWindow {
  chrom: string
  start: number
  end: number
  codes: Uint8Array
}

/** One GC-matched window for each entry of `targets` ({length, gc}). */
export async function gcMatchedWindows(
  genome: Genome,
  targets: { length: number; gc: number | null }[],
  rng: Rng,
  exclude: OverlapIndex | null,
  signal?: AbortSignal,
): Promise<BackgroundWindow[]> {
  const chroms = [...genome.sizes.keys()]
  const sizes = chroms.map((c) => genome.sizes.get(c)!)
  const out: BackgroundWindow[] = []
  for (const target of targets) {
    if (signal?.aborted) break
    const usable = sizes.map((s) => Math.max(0, s - target.length))
    const total = usable.reduce((a, b) => a + b, 0)
    if (total === 0) throw new UserError(`${genome.path}: no chromosome is longer than ${target.length} bp; a GC-matched background needs longer genome sequences`)
    const wantBin = target.gc === null ? -1 : Math.min(Math.floor(target.gc / BIN), Math.floor(1 / BIN) - 1)
    let best: BackgroundWindow | null = null
    let bestDistance = Infinity
    for (let draw = 0; draw < MAX_DRAWS; draw++) {
      const k = rng.weighted(usable, total)
      const start = rng.int(usable[k] + 1)
      const end = start + target.length
      if (exclude?.overlaps(chroms[k], start, end)) continue
      const codes = await genome.fetch(chroms[k], start, end)
      if (nFraction(codes) > 0.1) continue
      const gc = gcFraction(codes) ?? 0
      const distance = target.gc === null ? 0 : Math.abs(gc - target.gc)
      if (distance < bestDistance) {
        best = { chrom: chroms[k], start, end, codes }
        bestDistance = distance
      }
      if (wantBin < 0 || Math.min(Math.floor(gc / BIN), Math.floor(1 / BIN) - 1) === wantBin) break
    }
    if (best === null) throw new UserError(`${genome.path}: found no window of ${target.length} bp with under 10% N in ${MAX_DRAWS} draws; check the genome file`)
    out.push(best)
  }
  return out
}
