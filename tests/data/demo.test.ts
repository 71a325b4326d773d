import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from '../../src/main/cli/index.js'
import { BINARY_DISCOVERY_WORD, DEMO_NAMES, makeDemo } from '../../src/main/data/demo.js'
import { DEMO_MOTIFS } from '../../src/main/data/demo-motifs.js'
import { loadDataset } from '../../src/main/data/load.js'
import { readMeme, readMemeFile } from '../../src/main/motifs/meme.js'
import { tempDir } from './helpers.js'

const dir = tempDir()
const cacheDir = join(dir, 'cache')

function records(path: string): { id: string; desc: string; seq: string }[] {
  return readFileSync(path, 'utf8')
    .split('>')
    .slice(1)
    .map((r) => {
      const [head, ...rest] = r.trim().split('\n')
      const [id, ...desc] = head.split(' ')
      return { id, desc: desc.join(' '), seq: rest.join('') }
    })
}

describe('demo datasets', () => {
  it.each(DEMO_NAMES)('%s is seeded: same seed same bytes, other seed other bytes', async (name) => {
    const a = await makeDemo(name, join(dir, `${name}-a`), 5, { count: 50 })
    const b = await makeDemo(name, join(dir, `${name}-b`), 5, { count: 50 })
    const c = await makeDemo(name, join(dir, `${name}-c`), 6, { count: 50 })
    expect(a.files).toEqual(b.files)
    const main = a.files.find((f) => f.endsWith('.fa'))!
    expect(readFileSync(join(a.dir, main), 'utf8')).toBe(readFileSync(join(b.dir, main), 'utf8'))
    expect(readFileSync(join(a.dir, main), 'utf8')).not.toBe(readFileSync(join(c.dir, main), 'utf8'))
    expect(a.files).toContain('README.txt')
  })

  it("motif-111: every length-10 binary string once, positive iff it contains '111'", async () => {
    const r = await makeDemo('motif-111', join(dir, 'm111'), 0)
    const pos = records(join(r.dir, 'pos.fa'))
    const neg = records(join(r.dir, 'neg.fa'))
    expect(pos.length + neg.length).toBe(1024)
    expect(new Set([...pos, ...neg].map((x) => x.seq)).size).toBe(1024)
    expect(pos.every((x) => x.seq.includes('111'))).toBe(true)
    expect(neg.some((x) => x.seq.includes('111'))).toBe(false)
    const ds = await loadDataset({ positives: [join(r.dir, 'pos.fa')], negatives: [join(r.dir, 'neg.fa')] }, { cacheDir })
    expect(ds.alphabet).toBe('binary')
    expect(ds.length).toBe(10)
  })

  it('binary-discovery: positives hold the word, negatives never do; truth.meme is that word', async () => {
    const r = await makeDemo('binary-discovery', join(dir, 'bd'), 1, { count: 200 })
    expect(records(join(r.dir, 'pos.fa')).every((x) => x.seq.length === 30 && x.seq.includes(BINARY_DISCOVERY_WORD))).toBe(true)
    expect(records(join(r.dir, 'neg.fa')).some((x) => x.seq.includes(BINARY_DISCOVERY_WORD))).toBe(false)
    const meme = readMeme(readFileSync(join(r.dir, 'truth.meme'), 'utf8'))
    expect(meme.letters).toBe('01')
    expect(meme.motifs[0].matrix.rows.map((row) => (row[1] === 1 ? '1' : '0')).join('')).toBe(BINARY_DISCOVERY_WORD)
  })

  it('palindromes: 100-letter windows of 0^n1^n runs whose label is the next letter', async () => {
    const r = await makeDemo('palindromes', join(dir, 'pal'), 2, { count: 400 })
    const train = records(join(r.dir, 'train.fa'))
    expect(train.length).toBe(400)
    expect(records(join(r.dir, 'test.fa')).length).toBe(80)
    let checked = 0
    for (const w of train) {
      expect(w.seq).toMatch(/^[01]{100}$/)
      expect(w.desc).toMatch(/^label=[01]$/)
      // Where the window ends inside a run of 1s whose whole run of 0s is visible, the next letter is determined.
      const m = /1(0+)(1+)$/.exec(w.seq)
      if (!m) continue
      const zeros = m[1].length
      const ones = m[2].length
      expect(ones).toBeLessThanOrEqual(zeros)
      expect(w.desc).toBe(ones < zeros ? 'label=1' : 'label=0')
      checked++
    }
    expect(checked).toBeGreaterThan(100)
    const ds = await loadDataset({ fasta: [join(r.dir, 'train.fa')] }, { cacheDir })
    expect(ds.targets).toEqual(['positive'])
  })

  it('planted: each positive carries a CTCF site where its header says', async () => {
    const r = await makeDemo('planted', join(dir, 'pl'), 3, { count: 100 })
    const ctcf = DEMO_MOTIFS.find((m) => m.name === 'CTCF')!
    const prob = ctcf.counts.map((row) => row.map((c) => (c + 0.5) / (row.reduce((a, b) => a + b, 0) + 2)))
    const score = (s: string) => [...s].reduce((a, ch, k) => a + Math.log2(prob[k]['ACGT'.indexOf(ch)] / 0.25), 0)
    const rc = (s: string) => [...s].reverse().map((c) => 'TGCA'['ACGT'.indexOf(c)]).join('')
    const pos = records(join(r.dir, 'pos.fa'))
    expect(pos.length).toBe(100)
    for (const p of pos) {
      expect(p.seq).toMatch(/^[ACGT]{200}$/)
      const at = Number(/site=(\d+)/.exec(p.desc)![1])
      const site = p.seq.slice(at, at + ctcf.counts.length)
      expect(Math.max(score(site), score(rc(site)))).toBeGreaterThan(5)
    }
    const meme = readMeme(readFileSync(join(r.dir, 'truth.meme'), 'utf8'))
    expect(meme.motifs.map((m) => m.id)).toEqual(['MA0139.2'])
    const shuffled = await makeDemo('planted', join(dir, 'pl-shuf'), 3, { count: 20, background: 'shuffle' })
    const neg = records(join(shuffled.dir, 'neg.fa'))
    const posS = records(join(shuffled.dir, 'pos.fa'))
    expect(neg.map((x) => [...x.seq].sort().join(''))).toEqual(posS.map((x) => [...x.seq].sort().join('')))
  })

  it('planted-multi: a labels table with one column per motif, readable by loadDataset', async () => {
    const r = await makeDemo('planted-multi', join(dir, 'plm'), 4, { count: 400 })
    const ds = await loadDataset({ fasta: [join(r.dir, 'data.fa')], labels: join(r.dir, 'labels.tsv') }, { cacheDir })
    expect(ds.targets).toEqual(['Nrf1', 'Irf1', 'RELA', 'ZBTB33'])
    for (let t = 0; t < 4; t++) {
      let pos = 0
      for (let i = 0; i < ds.size; i++) pos += ds.label(i, t)
      expect(pos / ds.size).toBeGreaterThan(0.22)
      expect(pos / ds.size).toBeLessThan(0.38)
    }
    expect(readMeme(readFileSync(join(r.dir, 'truth.meme'), 'utf8')).motifs.map((m) => m.name)).toEqual(['Nrf1', 'Irf1', 'RELA', 'ZBTB33'])
  })

  it('embedded matrices match the bundled JASPAR file', () => {
    const bundled = readMemeFile(join(process.cwd(), 'resources/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme'))
    for (const m of DEMO_MOTIFS) {
      const b = bundled.motifs.find((x) => x.id === m.id)!
      expect(b.name).toBe(m.name)
      const rows = m.counts.map((row) => row.map((c) => c / row.reduce((a, x) => a + x, 0)))
      expect(b.matrix.rows.length).toBe(rows.length)
      rows.forEach((row, k) => row.forEach((p, a) => expect(b.matrix.rows[k][a]).toBeCloseTo(p, 5)))
    }
  })

  it('errors: unknown demo, non-empty folder; CLI writes files', async () => {
    await expect(makeDemo('toy', join(dir, 'x'))).rejects.toThrow("demo: no demo named 'toy'; choose one of motif-111, binary-discovery, palindromes, planted, planted-multi")
    const full = join(dir, 'm111')
    await expect(makeDemo('motif-111', full)).rejects.toThrow(`${full}: folder is not empty; choose a new folder for the demo data (or pass --force to overwrite)`)
    let out = ''
    const code = await runCli(['demo', 'planted', '--out', 'cli-out', '--count', '10', '--seed', '1'], {
      stdout: (t) => (out += t),
      stderr: (t) => (out += t),
      isTTY: false,
      cwd: dir,
      env: {},
    })
    expect(code).toBe(0)
    expect(out).toBe('wrote pos.fa, neg.fa, truth.meme, README.txt to cli-out\ntrain on it: cd cli-out && motiflens train --positives pos.fa --negatives neg.fa\n')
    expect(records(join(dir, 'cli-out', 'pos.fa')).length).toBe(10)
  })
})
