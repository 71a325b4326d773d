import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { readBed } from '../../src/main/data/bed'
import { readLabelTable } from '../../src/main/data/labels'

/** A gzip file cut in half: the reader meets the end of the data inside the stream. */
function truncatedGzip(name: string, text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'motiflens-gz-')), name)
  const gz = gzipSync(Buffer.from(text))
  writeFileSync(path, gz.subarray(0, gz.length >> 1))
  return path
}

describe('damaged inputs other than FASTA say so in the same words', () => {
  it('a truncated gzip BED file', async () => {
    const path = truncatedGzip('peaks.bed.gz', 'chr1\t100\t200\n'.repeat(4000))
    await expect(readBed(path)).rejects.toThrow(`${path}: gzip data ends early (the file is truncated); download or copy it again`)
  })

  it('a truncated gzip label table', async () => {
    const rows = Array.from({ length: 4000 }, (_, i) => `seq${i}\t${i % 2}\n`).join('')
    const path = truncatedGzip('labels.tsv.gz', `id\ta\n${rows}`)
    await expect(readLabelTable(path)).rejects.toThrow(`${path}: gzip data ends early (the file is truncated); download or copy it again`)
  })

  it('a folder given as a label table', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'motiflens-dir-'))
    await expect(readLabelTable(dir)).rejects.toThrow(/is a directory/)
  })
})
