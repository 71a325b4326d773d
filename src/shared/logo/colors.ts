/**
 * Standard logo colours. Nucleotides: A green, C blue, G orange, T/U red (the WebLogo /
 * seqLogo convention). Amino acids by chemistry, as WebLogo does: polar green, basic blue,
 * acidic red, hydrophobic near-black. Binary: 0 grey, 1 purple.
 */

export const NUCLEOTIDE_COLORS: Readonly<Record<string, string>> = {
  A: '#109648',
  C: '#255C99',
  G: '#F7B32B',
  T: '#D62839',
  U: '#D62839',
}

export const BINARY_COLORS: Readonly<Record<string, string>> = { '0': '#6B6B6B', '1': '#7B2D8E' }

const POLAR = '#109648'
const BASIC = '#255C99'
const ACIDIC = '#D62839'
const HYDROPHOBIC = '#222222'

export const PROTEIN_COLORS: Readonly<Record<string, string>> = Object.fromEntries([
  ...[...'GSTYCQN'].map((l) => [l, POLAR]),
  ...[...'KRH'].map((l) => [l, BASIC]),
  ...[...'DE'].map((l) => [l, ACIDIC]),
  ...[...'AVLIPWFM'].map((l) => [l, HYDROPHOBIC]),
])

const OTHER = '#888888'

/** The colour of each letter of an alphabet: nucleotide colours for ACGT/ACGU, and so on. */
export function defaultColors(letters: string): Record<string, string> {
  const upper = letters.toUpperCase()
  const scheme =
    upper === 'ACGT' || upper === 'ACGU' ? NUCLEOTIDE_COLORS : upper === '01' ? BINARY_COLORS : PROTEIN_COLORS
  const out: Record<string, string> = {}
  for (const l of letters) out[l] = scheme[l.toUpperCase()] ?? OTHER
  return out
}
