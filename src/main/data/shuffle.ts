/**
 * Dinucleotide-preserving shuffle (Altschul & Erickson 1985, as in uShuffle / fasta-shuffle-letters).
 *
 * A sequence is a walk through the graph whose vertices are letters and whose edges are its
 * consecutive letter pairs. Any other Eulerian walk with the same first letter uses every
 * pair exactly as often, so it has the same dinucleotide (and letter) counts. To draw one
 * uniformly: choose each vertex's last exit edge so that the last exits form a random tree
 * towards the final letter (Wilson's loop-erased random walks), shuffle every vertex's other
 * exits, and walk. Used for negatives when only positives are given: they keep the
 * positives' composition but lose their motifs.
 */
import type { Rng } from './rng.js'

/**
 * A dinucleotide-shuffled copy of `codes` (any byte codes, including AMBIGUOUS_CODE, which
 * is shuffled like a fifth letter). The first and last letters stay in place.
 */
export function dinucleotideShuffle(codes: Uint8Array, rng: Rng): Uint8Array {
  const n = codes.length
  if (n <= 2) return codes.slice()
  // Compact the byte codes to vertices 0..k-1.
  const vertexOf = new Int16Array(256).fill(-1)
  const symbols: number[] = []
  for (let i = 0; i < n; i++) {
    if (vertexOf[codes[i]] < 0) {
      vertexOf[codes[i]] = symbols.length
      symbols.push(codes[i])
    }
  }
  const k = symbols.length
  // Out-edge lists: targets of each vertex in sequence order.
  const outCount = new Int32Array(k)
  for (let i = 0; i < n - 1; i++) outCount[vertexOf[codes[i]]]++
  const start = new Int32Array(k + 1)
  for (let v = 0; v < k; v++) start[v + 1] = start[v] + outCount[v]
  const edges = new Int32Array(n - 1)
  const fill = start.slice(0, k)
  for (let i = 0; i < n - 1; i++) edges[fill[vertexOf[codes[i]]]++] = vertexOf[codes[i + 1]]

  // Wilson's algorithm: a uniformly random arborescence of last exits rooted at the final letter.
  const root = vertexOf[codes[n - 1]]
  const inTree = new Uint8Array(k)
  const lastEdge = new Int32Array(k).fill(-1)
  inTree[root] = 1
  for (let u = 0; u < k; u++) {
    let v = u
    while (!inTree[v]) {
      lastEdge[v] = start[v] + rng.int(outCount[v])
      v = edges[lastEdge[v]]
    }
    v = u
    while (!inTree[v]) {
      inTree[v] = 1
      v = edges[lastEdge[v]]
    }
  }

  // Per vertex: move the last exit to the end of its list, shuffle the rest.
  for (let v = 0; v < k; v++) {
    const s = start[v]
    const e = start[v + 1]
    if (e - s === 0) continue
    if (lastEdge[v] >= 0) {
      const t = edges[lastEdge[v]]
      edges[lastEdge[v]] = edges[e - 1]
      edges[e - 1] = t
    }
    const m = lastEdge[v] >= 0 ? e - 1 : e
    for (let i = m - 1; i > s; i--) {
      const j = s + rng.int(i - s + 1)
      const t = edges[i]
      edges[i] = edges[j]
      edges[j] = t
    }
  }

  // Walk.
  const out = new Uint8Array(n)
  const used = start.slice(0, k)
  let v = vertexOf[codes[0]]
  out[0] = codes[0]
  for (let i = 1; i < n; i++) {
    v = edges[used[v]++]
    out[i] = symbols[v]
  }
  return out
}
