import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { decodeCodes, guessAlphabet, countSampleLetters } from '../../src/main/data/alphabet.js'
import { FastaParser, describeFsError, readFastaRecords, type FastaRecord } from '../../src/main/data/fasta.js'
import type { AlphabetName } from '../../src/shared/types.js'
import { errorOf, fastaText, randomDna, tempDir, writeFixture } from './helpers.js'

const dir = tempDir()

function parseChunks(chunks: (string | Uint8Array)[], alphabet: AlphabetName = 'dna'): { id: string; description: string; seq: string; line: number }[] {
  const out: { id: string; description: string; seq: string; line: number }[] = []
  const p = new FastaParser({ alphabet, file: 'x.fa' }, (r: FastaRecord) =>
    out.push({ id: r.id, description: r.description, seq: decodeCodes(r.codes, alphabet), line: r.line }),
  )
  for (const c of chunks) p.push(typeof c === 'string' ? Buffer.from(c, 'utf8') : c)
  p.end()
  return out
}

async function readSeqs(path: string, alphabet: AlphabetName | 'auto' = 'auto') {
  const { alphabet: a, records } = await readFastaRecords(path, alphabet)
  return { alphabet: a, records: records.map((r) => ({ id: r.id, seq: decodeCodes(r.codes, a) })) }
}

describe('FASTA layout', () => {
  const seqs: [string, string][] = [
    ['s1', randomDna(150, 1)],
    ['s2', randomDna(7, 2)],
    ['s3', randomDna(61, 3)],
  ]

  it.each([1, 7, 60, 80, 1000])('reads line width %i', async (width) => {
    const path = writeFixture(dir, `w${width}.fa`, fastaText(seqs, width))
    const { records } = await readSeqs(path)
    expect(records).toEqual(seqs.map(([id, seq]) => ({ id, seq })))
  })

  it.each([
    ['LF', '\n'],
    ['CRLF', '\r\n'],
    ['CR', '\r'],
  ])('reads %s line ends and counts lines', (_name, eol) => {
    const text = fastaText(seqs, 60, eol)
    const recs = parseChunks([text])
    expect(recs.map((r) => [r.id, r.seq])).toEqual(seqs)
    expect(recs.map((r) => r.line)).toEqual([1, 5, 7])
  })

  it('gives the same records whatever the chunk boundaries (byte by byte, CRLF split across chunks)', () => {
    const text = '\ufeff' + fastaText(seqs, 13, '\r\n')
    const bytes = Buffer.from(text, 'utf8')
    const whole = parseChunks([bytes])
    const single = parseChunks([...bytes].map((b) => Uint8Array.of(b)))
    expect(single).toEqual(whole)
    expect(whole.map((r) => r.seq)).toEqual(seqs.map((s) => s[1]))
  })

  it('skips a UTF-8 BOM, reads descriptions, lowercase, blank lines, spaces and N/IUPAC', () => {
    const recs = parseChunks(['\ufeff\n>chr1:10-20 some  description here\nacgtN\n\nRYk m\n>b\tx\nAC\n'])
    expect(recs).toEqual([
      { id: 'chr1:10-20', description: 'some  description here', seq: 'ACGTNNNNN', line: 2 },
      { id: 'b', description: 'x', seq: 'AC', line: 6 },
    ])
  })

  it('reads a file without a final line end', () => {
    expect(parseChunks(['>a\nACG\n>b\nTT']).map((r) => r.seq)).toEqual(['ACG', 'TT'])
  })
})

describe('compressed input', () => {
  const seqs: [string, string][] = Array.from({ length: 50 }, (_, i) => [`r${i}`, randomDna(100 + i, i)] as [string, string])

  it('reads gzip', async () => {
    const path = writeFixture(dir, 'a.fa.gz', fastaText(seqs), true)
    expect((await readSeqs(path)).records).toEqual(seqs.map(([id, seq]) => ({ id, seq })))
  })

  it('reads bgzip-style multi-member gzip, whatever the file is called', async () => {
    const text = Buffer.from(fastaText(seqs))
    const members = [gzipSync(text.subarray(0, 1000)), gzipSync(text.subarray(1000, 3001)), gzipSync(text.subarray(3001))]
    const path = writeFixture(dir, 'multi.fasta', Buffer.concat(members))
    expect((await readSeqs(path)).records).toEqual(seqs.map(([id, seq]) => ({ id, seq })))
  })
})

describe('alphabets', () => {
  it.each([
    ['>a\nACGTNACGT\n', 'dna'],
    ['>a\nACGUUGCA\n', 'rna'],
    ['>a\n0110100111\n', 'binary'],
    ['>a\nMKVLAAGIVGLLLAEQWRSTT\n', 'protein'],
    ['>a\nacgtRYacgtacgtacgtacgt\n', 'dna'],
  ])('detects %j as %s', async (text, alphabet) => {
    expect(guessAlphabet(countSampleLetters(Buffer.from(text)))).toBe(alphabet)
    const path = writeFixture(dir, `alpha-${alphabet}-${text.length}.fa`, text)
    expect((await readSeqs(path)).alphabet).toBe(alphabet)
  })

  it('honours an override: binary text read as... protein letters are kept as protein codes', async () => {
    const path = writeFixture(dir, 'prot.fa', '>p\nACDX*\n')
    const { alphabet, records } = await readSeqs(path, 'protein')
    expect(alphabet).toBe('protein')
    expect(records[0].seq).toBe('ACDX')
  })
})

describe('bad input: one line each', () => {
  const cases: [string, string | Uint8Array, AlphabetName | 'auto', string][] = [
    ['empty.fa', '', 'auto', "empty.fa: file is empty; give a FASTA file with at least one '>' record"],
    ['blank.fa', '\n\n  \n', 'auto', "blank.fa: file is empty; give a FASTA file with at least one '>' record"],
    ['nohead.fa', 'ACGTACGT\nACGT\n', 'auto', "nohead.fa:1: expected a header line starting with '>' but found 'ACGTACGT'; FASTA records start with a '>id' line followed by sequence lines"],
    ['nohead2.fa', '\n\nid1 ACGT\n', 'auto', "nohead2.fa:3: expected a header line starting with '>' but found 'id1 ACGT'; FASTA records start with a '>id' line followed by sequence lines"],
    ['noseq.fa', '>a\nACGT\n>b\n>c\nAC\n', 'auto', "noseq.fa:3: sequence 'b' has no letters; remove the empty record or add its sequence"],
    ['noseq-end.fa', '>a\nACGT\n>last', 'auto', "noseq-end.fa:3: sequence 'last' has no letters; remove the empty record or add its sequence"],
    ['noid.fa', '>a\nACGT\n>\nAC\n', 'auto', "noid.fa:3: header '>' has no sequence id; write one right after '>', e.g. '>seq1'"],
    ['reads.fq', '@r1\nACGT\n+\nIIII\n', 'auto', "reads.fq:1: looks like FASTQ (the record starts with '@'), not FASTA; convert it first, e.g. 'seqtk seq -a reads.fq > reads.fa'"],
    ['garbage.fa', Uint8Array.from([0x00, 0x13, 0x88, 0xff, 0x01, 0x02, 0x41, 0x00]), 'auto', 'garbage.fa: is not a text file (it holds binary data); give a FASTA file, plain or gzip-compressed'],
    ['x.fa.bz2', Uint8Array.from([0x42, 0x5a, 0x68, 0x39, 0x31, 0x41, 0x59]), 'auto', 'x.fa.bz2: is bzip2-compressed; decompress it (bunzip2) or recompress it with gzip'],
    ['badchar.fa', '>a\nACGT\n>b two\nACGTAC\nAC#T\n', 'auto', "badchar.fa:5: sequence 'b' has '#' at position 9, which is not a DNA letter (A, C, G, T, or N and IUPAC codes) (the alphabet was detected as dna); remove or replace that character, or pass the right --alphabet"],
    ['prot-as-dna.fa', '>p1\nMKVLAAGIVG\n', 'dna', "prot-as-dna.fa:2: sequence 'p1' has 'L' at position 4, which is not a DNA letter (A, C, G, T, or N and IUPAC codes); it looks like protein: pass --alphabet protein"],
    ['rna-as-dna.fa', '>r\nACGU\n', 'dna', "rna-as-dna.fa:2: sequence 'r' has 'U' at position 4, which is not a DNA letter (A, C, G, T, or N and IUPAC codes); it looks like RNA: pass --alphabet rna"],
    ['dna-as-binary.fa', '>r\n0101\n0A\n', 'binary', "dna-as-binary.fa:3: sequence 'r' has 'A' at position 6, which is not a binary letter ('0' or '1'); it looks like DNA: pass --alphabet dna"],
    ['midgt.fa', '>a\nAC>GT\n', 'dna', "midgt.fa:2: sequence 'a' has '>' at position 3, which is not a DNA letter (A, C, G, T, or N and IUPAC codes); remove or replace that character, or pass the right --alphabet"],
    ['nul.fa', '>a\nACGT\nAC\u0000GT\n', 'dna', "nul.fa:3: sequence 'a' has byte 0x00 at position 7, which is not a DNA letter (A, C, G, T, or N and IUPAC codes); the file holds binary data here; check that it is a complete FASTA file"],
  ]
  it.each(cases)('%s', async (name, content, alphabet, message) => {
    const path = writeFixture(dir, name, content)
    const msg = await errorOf(readFastaRecords(path, alphabet))
    expect(msg).toBe(`${join(dir, message.split(':')[0])}${message.slice(message.indexOf(':'))}`)
  })

  it('truncated gzip', async () => {
    const full = gzipSync(Buffer.from(fastaText([['a', randomDna(5000, 9)]])))
    const path = writeFixture(dir, 'trunc.fa.gz', full.subarray(0, full.length - 300))
    expect(await errorOf(readFastaRecords(path))).toBe(`${path}: gzip data ends early (the file is truncated); download or copy it again`)
  })

  it('a directory', async () => {
    const d = join(dir, 'sub')
    mkdirSync(d)
    expect(await errorOf(readFastaRecords(d))).toBe(`${d}: is a directory, not a FASTA file; give the file(s) inside it`)
  })

  it('a missing file', async () => {
    const p = join(dir, 'nope.fa')
    expect(await errorOf(readFastaRecords(p))).toBe(`${p}: no such FASTA file; check the path`)
  })

  it('an unreadable file (permission error mapped to one line)', () => {
    const e = Object.assign(new Error("EACCES: permission denied, open '/x.fa'"), { code: 'EACCES' })
    expect(describeFsError('/x.fa', e).message).toBe("/x.fa: cannot be read (permission denied); check the file's permissions")
  })

  it('garbage after valid records in a gzip member is not silently accepted', async () => {
    const path = join(dir, 'tail.fa.gz')
    writeFileSync(path, Buffer.concat([gzipSync(Buffer.from('>a\nACGT\n')), Buffer.from('junk')]))
    const msg = await errorOf(readFastaRecords(path))
    expect(msg.startsWith(`${path}: `)).toBe(true)
  })
})
