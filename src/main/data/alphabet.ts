/**
 * Alphabets: which letters a sequence may hold, the code each letter is stored as, and how
 * an alphabet is guessed from a sample of a file.
 *
 * Codes: letter k of `letters` is stored as k; N, IUPAC ambiguity codes (DNA/RNA) and
 * X/B/Z/J/U/O (protein) are stored as AMBIGUOUS_CODE, which also pads short sequences.
 * Lowercase (soft-masked) letters read as their uppercase letter.
 */
import type { AlphabetName } from '../../shared/types.js'
import { AMBIGUOUS_CODE } from './types.js'

export const ALPHABET_NAMES: readonly AlphabetName[] = ['dna', 'rna', 'binary', 'protein']

export const ALPHABET_LETTERS: Record<AlphabetName, string> = {
  dna: 'ACGT',
  rna: 'ACGU',
  binary: '01',
  protein: 'ACDEFGHIKLMNPQRSTVWY',
}

/** Letters read as AMBIGUOUS_CODE: N plus the IUPAC codes for nucleotides; X and friends for protein. */
const AMBIGUOUS_LETTERS: Record<AlphabetName, string> = {
  dna: 'NRYKMSWBDHV',
  rna: 'NRYKMSWBDHV',
  binary: '',
  // X unknown, B = D/N, Z = E/Q, J = I/L, U selenocysteine, O pyrrolysine: rare, so not channels.
  protein: 'XBZJUO',
}

/** How each alphabet is described in error messages. */
export const ALPHABET_DESCRIPTIONS: Record<AlphabetName, string> = {
  dna: 'a DNA letter (A, C, G, T, or N and IUPAC codes)',
  rna: 'an RNA letter (A, C, G, U, or N and IUPAC codes)',
  binary: "a binary letter ('0' or '1')",
  protein: 'an amino-acid letter (the 20 standard ones, or X B Z J U O)',
}

/**
 * Byte classes the FASTA parser sees besides codes. Codes are 0..letters-1 and
 * AMBIGUOUS_CODE (255); everything from FIRST_SPECIAL up to 254 is a control class.
 */
export const BYTE_GT = 250
export const BYTE_CR = 251
export const BYTE_LF = 252
export const BYTE_SKIP = 253
export const BYTE_INVALID = 254
export const FIRST_SPECIAL = 250

/** A 256-entry table from input byte to code or byte class, for one alphabet. */
export function byteTable(alphabet: AlphabetName): Uint8Array {
  const t = new Uint8Array(256).fill(BYTE_INVALID)
  const letters = ALPHABET_LETTERS[alphabet]
  for (let k = 0; k < letters.length; k++) {
    t[letters.charCodeAt(k)] = k
    t[letters.toLowerCase().charCodeAt(k)] = k
  }
  for (const ch of AMBIGUOUS_LETTERS[alphabet]) {
    t[ch.charCodeAt(0)] = AMBIGUOUS_CODE
    t[ch.toLowerCase().charCodeAt(0)] = AMBIGUOUS_CODE
  }
  t[0x3e] = BYTE_GT // '>'
  t[0x0d] = BYTE_CR
  t[0x0a] = BYTE_LF
  t[0x20] = BYTE_SKIP // spaces and tabs inside sequence lines are layout, not letters
  t[0x09] = BYTE_SKIP
  // A trailing '*' marks the stop codon in many protein FASTA files; it is not a residue.
  if (alphabet === 'protein') t[0x2a] = BYTE_SKIP
  return t
}

/**
 * Complement code of each code (DNA/RNA: A<->T/U, C<->G); AMBIGUOUS_CODE stays itself.
 * Codes are in letter order ACGT/ACGU, so the complement of k is 3 - k.
 */
export function complementCodes(alphabet: AlphabetName): Uint8Array | null {
  if (alphabet !== 'dna' && alphabet !== 'rna') return null
  const t = new Uint8Array(256).fill(AMBIGUOUS_CODE)
  for (let k = 0; k < 4; k++) t[k] = 3 - k
  return t
}

/** Letter for each code, AMBIGUOUS_CODE as 'N' (nucleotides), 'X' (protein) or '?' (binary). */
export function decodeCodes(codes: Uint8Array, alphabet: AlphabetName): string {
  const letters = ALPHABET_LETTERS[alphabet]
  const amb = alphabet === 'protein' ? 'X' : alphabet === 'binary' ? '?' : 'N'
  let s = ''
  for (let i = 0; i < codes.length; i++) s += codes[i] === AMBIGUOUS_CODE ? amb : letters[codes[i]]
  return s
}

/** Codes of a string of letters, for tests and generated data; throws on letters outside the alphabet. */
export function encodeLetters(seq: string, alphabet: AlphabetName): Uint8Array {
  const t = byteTable(alphabet)
  const out = new Uint8Array(seq.length)
  for (let i = 0; i < seq.length; i++) {
    const c = t[seq.charCodeAt(i) & 0xff]
    if (seq.charCodeAt(i) > 0xff || (c >= FIRST_SPECIAL && c !== AMBIGUOUS_CODE)) {
      throw new Error(`'${seq[i]}' is not ${ALPHABET_DESCRIPTIONS[alphabet]}`)
    }
    out[i] = c
  }
  return out
}

/**
 * Guess the alphabet from letter counts of a sample (uppercase ASCII byte -> count).
 * Rules, in order: only 0/1 -> binary; nucleotide letters (ACGTUN) making up at least 90% of
 * the sample -> rna when it has U but no T, else dna; otherwise protein. A letter no
 * alphabet knows is left for the parser to report with its position.
 */
export function guessAlphabet(counts: Float64Array): AlphabetName {
  let total = 0
  for (let b = 0; b < 256; b++) total += counts[b]
  if (total === 0) return 'dna'
  const c = (ch: string) => counts[ch.charCodeAt(0)]
  if (c('0') + c('1') === total) return 'binary'
  const nucleotide = c('A') + c('C') + c('G') + c('T') + c('U') + c('N')
  if (nucleotide >= 0.9 * total) return c('U') > 0 && c('T') === 0 ? 'rna' : 'dna'
  return 'protein'
}

/** Letter counts (uppercased) of the sequence lines of a FASTA prefix; header lines are skipped. */
export function countSampleLetters(bytes: Uint8Array, counts: Float64Array = new Float64Array(256)): Float64Array {
  let inHeader = false
  let lineStart = true
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]
    if (b === 0x0a || b === 0x0d) {
      inHeader = false
      lineStart = true
      continue
    }
    if (lineStart && (b === 0x3e || b === 0x40)) inHeader = true
    lineStart = false
    if (inHeader || b === 0x20 || b === 0x09) continue
    counts[b >= 0x61 && b <= 0x7a ? b - 0x20 : b]++
  }
  return counts
}

export function isAlphabetName(s: string): s is AlphabetName {
  return (ALPHABET_NAMES as readonly string[]).includes(s)
}
