/**
 * Streaming FASTA reader. Files are read in 1 MiB chunks (gzip and bgzip through
 * node:zlib, which reads every member of a multi-member stream) and parsed byte by byte
 * through a 256-entry table straight into letter codes, so a several-GB file never sits in
 * memory and no per-line strings are made.
 *
 * Accepted layout: any line width, LF / CRLF / CR line ends, an optional UTF-8 BOM, headers
 * `>id description`, lowercase letters (read as uppercase), spaces and tabs inside sequence
 * lines (ignored). Everything else that is wrong becomes one UserError line naming the file,
 * the line, the sequence id and what to do.
 */
import { createReadStream } from 'node:fs'
import { open, stat } from 'node:fs/promises'
import { pipeline } from 'node:stream'
import { createGunzip } from 'node:zlib'
import type { AlphabetName } from '../../shared/types.js'
import { CancelledError, UserError } from '../errors.js'
import {
  ALPHABET_DESCRIPTIONS,
  BYTE_CR,
  BYTE_GT,
  BYTE_LF,
  BYTE_SKIP,
  FIRST_SPECIAL,
  byteTable,
  countSampleLetters,
  guessAlphabet,
} from './alphabet.js'
import { AMBIGUOUS_CODE } from './types.js'

const CHUNK = 1 << 20

export interface InputFileInfo {
  path: string
  size: number
  mtimeMs: number
  gzip: boolean
}

/** Turn a failed fs call on a user's file into one line that says what to do. */
export function describeFsError(path: string, e: unknown, what = 'file'): UserError {
  const code = (e as NodeJS.ErrnoException | undefined)?.code
  if (code === 'ENOENT') return new UserError(`${path}: no such ${what}; check the path`)
  if (code === 'EISDIR') return new UserError(`${path}: is a directory, not a ${what}; give the file(s) inside it`)
  if (code === 'EACCES' || code === 'EPERM') return new UserError(`${path}: cannot be read (permission denied); check the file's permissions`)
  const msg = e instanceof Error ? e.message : String(e)
  return new UserError(`${path}: cannot be read (${msg})`, { cause: e })
}

/**
 * The user's message for an error met while reading a file: gzip damage (truncated, or not
 * gzip at all) said as such, anything else as describeFsError says it. Errors that are
 * already the user's pass through.
 */
export function readFailure(path: string, e: unknown, what = 'file'): Error {
  if (e instanceof UserError || e instanceof CancelledError) return e
  const err = e as NodeJS.ErrnoException
  if (typeof err?.code === 'string' && err.code.startsWith('Z_')) {
    if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) {
      return new UserError(`${path}: gzip data ends early (the file is truncated); download or copy it again`)
    }
    return new UserError(`${path}: is not valid gzip data (${err.message}); check the file or decompress it yourself`)
  }
  return describeFsError(path, e, what)
}

/** Stat an input file and sniff gzip by its magic bytes (not by its name). */
export async function statInput(path: string, what = 'FASTA file'): Promise<InputFileInfo> {
  let st
  try {
    st = await stat(path)
  } catch (e) {
    throw describeFsError(path, e, what)
  }
  if (st.isDirectory()) throw new UserError(`${path}: is a directory, not a ${what}; give the file(s) inside it`)
  if (!st.isFile()) throw new UserError(`${path}: is not a regular file; give a ${what}`)
  if (st.size === 0) throw new UserError(`${path}: file is empty; give a FASTA file with at least one '>' record`)
  const head = await readHead(path, 2)
  return { path, size: st.size, mtimeMs: st.mtimeMs, gzip: head[0] === 0x1f && head[1] === 0x8b }
}

async function readHead(path: string, n: number): Promise<Uint8Array> {
  let fh
  try {
    fh = await open(path, 'r')
  } catch (e) {
    throw describeFsError(path, e)
  }
  try {
    const buf = new Uint8Array(n)
    const { bytesRead } = await fh.read(buf, 0, n, 0)
    return buf.subarray(0, bytesRead)
  } finally {
    await fh.close()
  }
}

/**
 * The decompressed bytes of a file, chunk by chunk. `onRawBytes` gets the number of bytes
 * read from disk so far (compressed bytes for gzip), for progress bars. Reading stops early
 * when the consumer breaks out of the loop.
 */
export async function* readDecompressedChunks(
  info: InputFileInfo,
  options: { signal?: AbortSignal; onRawBytes?: (bytes: number) => void } = {},
): AsyncGenerator<Uint8Array> {
  const raw = createReadStream(info.path, { highWaterMark: CHUNK })
  const source = info.gzip ? pipeline(raw, createGunzip({ chunkSize: CHUNK }), () => {}) : raw
  try {
    for await (const chunk of source as AsyncIterable<Buffer>) {
      if (options.signal?.aborted) throw new CancelledError()
      options.onRawBytes?.(raw.bytesRead)
      yield chunk
    }
  } catch (e) {
    throw readFailure(info.path, e)
  } finally {
    raw.destroy()
    if (source !== raw) (source as NodeJS.ReadableStream & { destroy(): void }).destroy()
  }
}

/** Up to `maxBytes` decompressed bytes from the start of a file (for alphabet detection). */
export async function readPrefix(info: InputFileInfo, maxBytes = CHUNK): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let total = 0
  try {
    for await (const chunk of readDecompressedChunks(info)) {
      parts.push(chunk)
      total += chunk.length
      if (total >= maxBytes) break
    }
  } catch (e) {
    // A damaged file is reported with its exact problem by the full parse; a prefix is enough here.
    if (!(e instanceof UserError)) throw e
  }
  return Buffer.concat(parts).subarray(0, maxBytes)
}

/** Guess the alphabet of FASTA files from the letters in the first MiB of each. */
export async function detectAlphabet(files: InputFileInfo[]): Promise<AlphabetName> {
  const counts = new Float64Array(256)
  for (const f of files) countSampleLetters(await readPrefix(f), counts)
  return guessAlphabet(counts)
}

/** One parsed record; `codes` is a view into the parser's buffer, valid only during the callback. */
export interface FastaRecord {
  id: string
  description: string
  codes: Uint8Array
  /** 1-based line of the header in the file. */
  line: number
}

export interface FastaParserOptions {
  alphabet: AlphabetName
  /** The file name used in messages. */
  file: string
  /** Whether the alphabet was guessed (messages then say how to override it). */
  alphabetGuessed?: boolean
}

const UTF8_BOM = [0xef, 0xbb, 0xbf]
const START = 0
const HEADER = 1
const SEQ = 2

/**
 * A push parser: feed it chunks with `push`, then call `end`. Synchronous so that one hot
 * loop turns bytes into codes; the async file reading lives in `parseFastaFile`.
 */
export class FastaParser {
  private readonly table: Uint8Array
  private state = START
  private seq = new Uint8Array(CHUNK)
  private len = 0
  private header = new Uint8Array(256)
  private headerLen = 0
  private headerLine = 0
  private id = ''
  private description = ''
  /** Line of the byte being read (1-based). */
  private line = 1
  /** The byte before the current chunk, so line ends and line starts work across chunks. */
  private prev = 0x0a
  /** Bytes pushed before the current chunk (to find a BOM split across chunks). */
  private offset = 0
  records = 0

  constructor(
    private readonly options: FastaParserOptions,
    private readonly onRecord: (rec: FastaRecord) => void,
  ) {
    this.table = byteTable(options.alphabet)
  }

  push(buf: Uint8Array): void {
    let i = 0
    const n = buf.length
    while (i < n) {
      if (this.state === SEQ) i = this.scanSequence(buf, i)
      else if (this.state === HEADER) i = this.scanHeader(buf, i)
      else i = this.scanStart(buf, i)
    }
    if (n > 0) this.prev = buf[n - 1]
    this.offset += n
  }

  end(): void {
    if (this.state === START) {
      throw new UserError(`${this.options.file}: file is empty; give a FASTA file with at least one '>' record`)
    }
    if (this.state === HEADER) this.finishHeader()
    this.finishRecord()
  }

  /** Before the first header: skip blank lines, then insist on '>' (and recognise what else it is). */
  private scanStart(buf: Uint8Array, i: number): number {
    for (; i < buf.length; i++) {
      const b = buf[i]
      const at = this.offset + i
      if (at < 3 && b === UTF8_BOM[at]) continue
      if (b === 0x0a) {
        if ((i > 0 ? buf[i - 1] : this.prev) !== 0x0d) this.line++
        continue
      }
      if (b === 0x0d) {
        this.line++
        continue
      }
      if (b === 0x20 || b === 0x09) continue
      if (b === 0x3e) {
        this.state = HEADER
        this.headerLine = this.line
        this.headerLen = 0
        return i + 1
      }
      throw this.notFastaError(buf, i)
    }
    return i
  }

  private notFastaError(buf: Uint8Array, i: number): UserError {
    const f = this.options.file
    const sample = buf.subarray(i, Math.min(buf.length, i + 4096))
    const problem = binaryProblem(sample)
    if (problem !== null) return new UserError(`${f}: ${problem}`)
    if (buf[i] === 0x40) {
      return new UserError(
        `${f}:${this.line}: looks like FASTQ (the record starts with '@'), not FASTA; convert it first, e.g. 'seqtk seq -a reads.fq > reads.fa'`,
      )
    }
    const text = Buffer.from(sample.subarray(0, 200)).toString('latin1').split(/[\r\n]/)[0].slice(0, 20)
    return new UserError(
      `${f}:${this.line}: expected a header line starting with '>' but found '${text}'; FASTA records start with a '>id' line followed by sequence lines`,
    )
  }

  private scanHeader(buf: Uint8Array, i: number): number {
    const start = i
    const n = buf.length
    while (i < n && buf[i] !== 0x0a && buf[i] !== 0x0d) i++
    const add = i - start
    if (this.headerLen + add > this.header.length) {
      const bigger = new Uint8Array(Math.max(this.header.length * 2, this.headerLen + add))
      bigger.set(this.header.subarray(0, this.headerLen))
      this.header = bigger
    }
    this.header.set(buf.subarray(start, i), this.headerLen)
    this.headerLen += add
    if (i < n) {
      // The line end itself is counted by the sequence scanner.
      this.finishHeader()
      this.state = SEQ
    }
    return i
  }

  private finishHeader(): void {
    const text = Buffer.from(this.header.buffer, this.header.byteOffset, this.headerLen).toString('utf8').trim()
    const m = /^(\S+)\s*(.*)$/s.exec(text)
    if (!m) {
      throw new UserError(`${this.options.file}:${this.headerLine}: header '>' has no sequence id; write one right after '>', e.g. '>seq1'`)
    }
    this.id = m[1]
    this.description = m[2]
    this.len = 0
  }

  /** The hot loop: letters go straight into `seq` as codes; line ends are counted; '>' at a line start begins the next record. */
  private scanSequence(buf: Uint8Array, i: number): number {
    const table = this.table
    const n = buf.length
    if (this.seq.length < this.len + (n - i)) {
      const bigger = new Uint8Array(Math.max(this.seq.length * 2, this.len + (n - i)))
      bigger.set(this.seq.subarray(0, this.len))
      this.seq = bigger
    }
    const seq = this.seq
    let len = this.len
    while (i < n) {
      const c = table[buf[i]]
      if (c < FIRST_SPECIAL || c === AMBIGUOUS_CODE) {
        seq[len++] = c
        i++
        continue
      }
      if (c === BYTE_LF) {
        if ((i > 0 ? buf[i - 1] : this.prev) !== 0x0d) this.line++
        i++
        continue
      }
      if (c === BYTE_CR) {
        this.line++
        i++
        continue
      }
      if (c === BYTE_SKIP) {
        i++
        continue
      }
      if (c === BYTE_GT) {
        const p = i > 0 ? buf[i - 1] : this.prev
        if (p === 0x0a || p === 0x0d) {
          this.len = len
          this.finishRecord()
          this.state = HEADER
          this.headerLine = this.line
          this.headerLen = 0
          return i + 1
        }
      }
      this.len = len
      throw this.invalidLetter(buf[i], len + 1)
    }
    this.len = len
    return i
  }

  private finishRecord(): void {
    if (this.len === 0) {
      throw new UserError(
        `${this.options.file}:${this.headerLine}: sequence '${this.id}' has no letters; remove the empty record or add its sequence`,
      )
    }
    this.records++
    this.onRecord({ id: this.id, description: this.description, codes: this.seq.subarray(0, this.len), line: this.headerLine })
  }

  private invalidLetter(byte: number, position: number): UserError {
    const { alphabet, file } = this.options
    const shown = byte >= 0x21 && byte <= 0x7e ? `'${String.fromCharCode(byte)}'` : `byte 0x${byte.toString(16).padStart(2, '0')}`
    const upper = String.fromCharCode(byte >= 0x61 && byte <= 0x7a ? byte - 0x20 : byte)
    let hint: string
    if (alphabet === 'binary' && /[ACGTUN]/.test(upper)) hint = 'it looks like DNA: pass --alphabet dna'
    else if (alphabet === 'dna' && upper === 'U') hint = 'it looks like RNA: pass --alphabet rna'
    else if (alphabet === 'rna' && upper === 'T') hint = 'it looks like DNA: pass --alphabet dna'
    else if (alphabet !== 'protein' && /[A-Z]/.test(upper)) hint = 'it looks like protein: pass --alphabet protein'
    else if (byte < 0x09 || (byte > 0x0d && byte < 0x20) || byte === 0x7f) hint = 'the file holds binary data here; check that it is a complete FASTA file'
    else hint = 'remove or replace that character, or pass the right --alphabet'
    const guessed = this.options.alphabetGuessed ? ` (the alphabet was detected as ${alphabet})` : ''
    return new UserError(
      `${file}:${this.line}: sequence '${this.id}' has ${shown} at position ${position}, which is not ${ALPHABET_DESCRIPTIONS[alphabet]}${guessed}; ${hint}`,
    )
  }
}

/** What is wrong with a binary file, from its first bytes, or null for text. */
export function binaryProblem(sample: Uint8Array): string | null {
  const starts = (...bytes: number[]) => bytes.every((b, k) => sample[k] === b)
  if (starts(0x42, 0x5a, 0x68)) return 'is bzip2-compressed; decompress it (bunzip2) or recompress it with gzip'
  if (starts(0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) return 'is xz-compressed; decompress it (unxz) or recompress it with gzip'
  if (starts(0x28, 0xb5, 0x2f, 0xfd)) return 'is zstd-compressed; decompress it (unzstd) or recompress it with gzip'
  if (starts(0x50, 0x4b, 0x03, 0x04)) return 'is a zip archive; unzip it and give the FASTA file inside'
  if (starts(0x42, 0x41, 0x4d, 0x01)) return "is a BAM file; convert it first, e.g. 'samtools fasta reads.bam > reads.fa'"
  let odd = 0
  for (let k = 0; k < sample.length; k++) {
    const b = sample[k]
    if (b < 0x09 || (b > 0x0d && b < 0x20) || b === 0x7f) odd++
    if (b === 0) odd += sample.length
  }
  return sample.length > 0 && odd / sample.length > 0.1 ? 'is not a text file (it holds binary data); give a FASTA file, plain or gzip-compressed' : null
}

/**
 * Parse one FASTA file (plain, gzip or bgzip) and call `onRecord` for each record.
 * Returns the number of records and the file's size on disk.
 */
export async function parseFastaFile(
  info: InputFileInfo,
  parserOptions: Omit<FastaParserOptions, 'file'> & { file?: string },
  onRecord: (rec: FastaRecord) => void,
  options: { signal?: AbortSignal; onRawBytes?: (bytes: number) => void } = {},
): Promise<{ records: number; bytes: number }> {
  const parser = new FastaParser({ ...parserOptions, file: parserOptions.file ?? info.path }, onRecord)
  for await (const chunk of readDecompressedChunks(info, options)) parser.push(chunk)
  parser.end()
  return { records: parser.records, bytes: info.size }
}

/** Whole-file convenience for small files (tests, demo data): records with copied codes. */
export async function readFastaRecords(
  path: string,
  alphabet: AlphabetName | 'auto' = 'auto',
): Promise<{ alphabet: AlphabetName; records: FastaRecord[] }> {
  const info = await statInput(path)
  const alpha = alphabet === 'auto' ? await detectAlphabet([info]) : alphabet
  const records: FastaRecord[] = []
  await parseFastaFile(info, { alphabet: alpha, alphabetGuessed: alphabet === 'auto' }, (r) => records.push({ ...r, codes: r.codes.slice() }))
  return { alphabet: alpha, records }
}
