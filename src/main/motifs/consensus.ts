/**
 * One-line summaries of a motif: the IUPAC degenerate consensus and the thresholded
 * consensus from the lecture (a letter where its probability passes a threshold, else N).
 */
import { MatrixError, type ProbabilityMatrix } from './matrix.js'

/** IUPAC code of a set of nucleotides, keyed by the letters in ACGT order. */
const IUPAC: Record<string, string> = {
  A: 'A', C: 'C', G: 'G', T: 'T',
  AC: 'M', AG: 'R', AT: 'W', CG: 'S', CT: 'Y', GT: 'K',
  ACG: 'V', ACT: 'H', AGT: 'D', CGT: 'B',
  ACGT: 'N',
}

/**
 * IUPAC consensus by Cavener's rules (Cavener 1987; as Biopython's degenerate_consensus):
 * per position, with letters sorted by probability p1 >= p2 >= p3 >= p4,
 * - one letter if p1 > p2 + p3 + p4 (i.e. > 0.5) and p1 > 2 p2;
 * - else a two-letter code if p1 + p2 > 0.75;
 * - else a three-letter code if p4 = 0;
 * - else N.
 * DNA and RNA only (U is written for T in RNA).
 */
export function iupacConsensus(p: ProbabilityMatrix): string {
  const up = p.letters.toUpperCase()
  const rna = up === 'ACGU'
  if (up !== 'ACGT' && !rna) throw new MatrixError(`IUPAC consensus needs a DNA or RNA matrix (ACGT/ACGU), not '${p.letters}'`)
  return p.rows
    .map((row) => {
      const order = [0, 1, 2, 3].sort((a, b) => row[b] - row[a] || a - b)
      const v = order.map((k) => row[k])
      const pick = (n: number): string => IUPAC[order.slice(0, n).sort((a, b) => a - b).map((k) => 'ACGT'[k]).join('')]
      const code = v[0] > v[1] + v[2] + v[3] && v[0] > 2 * v[1] ? pick(1) : 4 * (v[0] + v[1]) > 3 ? pick(2) : v[3] === 0 ? pick(3) : 'N'
      return rna && code === 'T' ? 'U' : code
    })
    .join('')
}

/**
 * Thresholded consensus: at each position the most probable letter if its probability is
 * > `threshold` (default 0.5), otherwise N (X for protein, where N is asparagine).
 */
export function thresholdConsensus(p: ProbabilityMatrix, threshold = 0.5): string {
  const none = p.letters.length === 20 ? 'X' : 'N'
  return p.rows
    .map((row) => {
      let best = 0
      for (let k = 1; k < row.length; k++) if (row[k] > row[best]) best = k
      return row[best] > threshold ? p.letters[best] : none
    })
    .join('')
}

/** The most probable letter at each position. */
export function argmaxConsensus(p: ProbabilityMatrix): string {
  return thresholdConsensus(p, -1)
}
