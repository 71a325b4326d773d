import { existsSync, readFileSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { checkChartSvg, exportHandlers } from '../../src/main/handlers/export.js'
import { motifHandlers } from '../../src/main/handlers/motifs.js'
import { readRunRecord } from '../../src/main/train/index.js'
import type { MotifAnalysis } from '../../src/shared/views.js'
import { python } from '../motifs/python.js'
import { trainedRun, type TrainedRun } from './helpers.js'

let t: TrainedRun
let save: ReturnType<typeof exportHandlers>['export:save']
let analysis: MotifAnalysis

beforeAll(async () => {
  t = await trainedRun()
  analysis = await motifHandlers(t.deps)['run:motifs']({ runId: t.runId, method: 'argmax', database: null })
  save = exportHandlers(t.deps)['export:save']
}, 120_000)

afterAll(async () => {
  const open = await t.deps.runs.open(t.runId).catch(() => null)
  open?.model.dispose()
  open?.dataset.close()
  rmSync(t.root, { recursive: true, force: true })
})

/** IHDR size and pHYs density (pixels per metre) of a PNG file. */
function pngHeader(path: string): { width: number; height: number; ppm: number | null } {
  const b = readFileSync(path)
  const width = b.readUInt32BE(16)
  const height = b.readUInt32BE(20)
  const at = b.indexOf('pHYs', 0, 'latin1')
  return { width, height, ppm: at < 0 ? null : b.readUInt32BE(at + 4) === b.readUInt32BE(at + 8) && b[at + 12] === 1 ? b.readUInt32BE(at + 4) : null }
}

describe('export:save', () => {
  it('writes the filters as MEME that Biopython reads, with the real site counts and data background', async () => {
    const r = await save({ request: { what: 'meme', runId: t.runId } })
    expect(r.written).toHaveLength(1)
    const { path, bytes } = r.written[0]
    expect(path.startsWith(t.exportsDir)).toBe(true)
    expect(statSync(path).size).toBe(bytes)
    const parsed = JSON.parse(
      python(`
import json
from Bio import motifs
with open(${JSON.stringify(path)}) as fh:
    ms = motifs.parse(fh, "minimal")
print(json.dumps({"background": [ms.background[l] for l in "ACGT"], "motifs": [{"name": m.name, "nsites": m.num_occurrences, "length": m.length, "A0": float(m.pwm["A"][0])} for m in ms]}))
`),
    ) as { background: number[]; motifs: { name: string; nsites: number; length: number; A0: number }[] }
    const usable = analysis.filters.filter((f) => !f.skipped)
    expect(parsed.motifs.map((m) => m.name)).toEqual(usable.map((f) => `filter_${f.index}`))
    parsed.motifs.forEach((m, k) => {
      expect(m.nsites).toBe(usable[k].sites)
      expect(m.length).toBe(12)
      // Biopython turns probabilities into whole counts of nsites sites
      expect(Math.abs(m.A0 - usable[k].matrix.rows[0][0])).toBeLessThanOrEqual(0.5 / m.nsites + 1e-9)
    })
    parsed.background.forEach((b, k) => expect(b).toBeCloseTo(analysis.background[k], 3))
  })

  it('writes chosen filters only', async () => {
    const r = await save({ request: { what: 'meme', runId: t.runId, filters: [analysis.filters[1].index] } })
    const text = readFileSync(r.written[0].path, 'utf8')
    expect(text.match(/^MOTIF /gm)).toHaveLength(1)
    expect(text).toContain(`MOTIF filter_1 `)
    expect(text).toContain(`nsites= ${Math.max(1, analysis.filters[1].sites)} `)
  })

  it('rasterises a logo at widthInches x dpi with the dpi in pHYs, and the PNG decodes', async () => {
    const f = analysis.filters.find((x) => !x.skipped && x.matches.length)!
    const r = await save({ request: { what: 'logo', runId: t.runId, filter: f.index, format: 'png', withMatch: true, dpi: 300, widthInches: 3.5 } })
    const { path } = r.written[0]
    expect(path.endsWith(`_filter_${f.index}_match.png`)).toBe(true)
    const h = pngHeader(path)
    expect(h.width).toBe(1050)
    expect(h.ppm).toBe(Math.round(300 / 0.0254))
    const decoded = JSON.parse(python(`
import json
from PIL import Image
im = Image.open(${JSON.stringify(path)})
im.load()
print(json.dumps({"size": im.size, "dpi": im.info.get("dpi")}))
`)) as { size: [number, number]; dpi: [number, number] }
    expect(decoded.size).toEqual([h.width, h.height])
    expect(decoded.dpi[0]).toBeCloseTo(300, 1)
  })

  it('writes a logo as SVG, the filter over its match naming the match', async () => {
    const f = analysis.filters.find((x) => !x.skipped && x.matches.length)!
    const paired = readFileSync((await save({ request: { what: 'logo', runId: t.runId, filter: f.index, format: 'svg', withMatch: true, dpi: 300, widthInches: 3 } })).written[0].path, 'utf8')
    expect(paired).toContain(`${f.matches[0].id} ${f.matches[0].name}`)
    const single = readFileSync((await save({ request: { what: 'logo', runId: t.runId, filter: f.index, format: 'svg', withMatch: false, dpi: 300, widthInches: 3 } })).written[0].path, 'utf8')
    expect(single.startsWith('<svg')).toBe(true)
    expect(single).not.toContain(f.matches[0].id)
  })

  it('writes a logo sheet as PNG at the dpi', async () => {
    const r = await save({ request: { what: 'logo-sheet', runId: t.runId, format: 'png', dpi: 150 } })
    expect(pngHeader(r.written[0].path).ppm).toBe(Math.round(150 / 0.0254))
  })

  it('writes the filter and position tables', async () => {
    const filters = readFileSync((await save({ request: { what: 'filters-tsv', runId: t.runId } })).written[0].path, 'utf8').trim().split('\n')
    expect(filters[0].split('\t').slice(0, 3)).toEqual(['filter', 'width', 'sites'])
    expect(filters).toHaveLength(1 + 8)
    const head = filters[0].split('\t')
    filters.slice(1).forEach((line, f) => {
      const row = line.split('\t')
      expect(Number(row[head.indexOf('sites')])).toBe(analysis.filters[f].sites)
      const best = analysis.filters[f].matches[0]
      expect(row[head.indexOf('match_id')]).toBe(best?.id ?? '')
    })
    const positions = readFileSync((await save({ request: { what: 'positions-tsv', runId: t.runId } })).written[0].path, 'utf8').trim().split('\n')
    expect(positions[0]).toBe('sequence_id\tfilter\tposition\tactivation')
    // one row per sequence and filter that fired: for argmax sites, the sum of the site counts
    expect(positions.length - 1).toBe(analysis.filters.reduce((a, f) => a + f.sites, 0))
  })

  it('writes per-target AUCs', async () => {
    const rows = readFileSync((await save({ request: { what: 'evaluation-tsv', runId: t.runId } })).written[0].path, 'utf8').trim().split('\n')
    expect(rows[0]).toBe('target\tsplit\troc_auc\tpr_auc\tpositives\tnegatives')
    const [name, split, auc, , pos, neg] = rows[1].split('\t')
    expect(name).toBe('positive')
    expect(split).toBe('test')
    expect(Number(auc)).toBeGreaterThan(0)
    const run = await readRunRecord(t.runDir)
    expect(Number(pos) + Number(neg)).toBe(run.dataset.sizes.test)
    expect(run.dataset.sizes.test).toBeGreaterThan(0)
  })

  it('writes a chart as PNG and refuses charts that reach outside files', async () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="192" height="96" viewBox="0 0 192 96"><rect width="192" height="96" fill="#fff"/><path d="M0 0L192 96" stroke="#000"/></svg>'
    const r = await save({ request: { what: 'chart', name: 'loss-curve', svg, format: 'png', dpi: 600 } })
    expect(r.written[0].path.endsWith('loss-curve.png')).toBe(true)
    expect(pngHeader(r.written[0].path)).toMatchObject({ width: 1200, height: 600, ppm: Math.round(600 / 0.0254) })
    const sneaky = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><image href="/etc/passwd" width="10" height="10"/></svg>'
    expect(() => checkChartSvg(sneaky)).toThrow('chart export: the chart refers to outside files or scripts, which are not exported; export a chart drawn by MotifLens')
    await expect(save({ request: { what: 'chart', name: 'x', svg: sneaky, format: 'svg', dpi: 300 } })).rejects.toThrow('outside files')
  })

  it('writes a methods report with versions, data, metrics, figures and the JASPAR credit', async () => {
    const r = await save({ request: { what: 'report', runId: t.runId } })
    const html = readFileSync(r.written[0].path, 'utf8')
    const run = await readRunRecord(t.runDir)
    expect(html).toContain('CC BY 4.0')
    expect(html).toContain('https://doi.org/10.1093/nar/gkad1059')
    expect(html).toContain(run.versions['tfjs-core'])
    expect(html).toContain(join(t.dataDir, 'pos.fa'))
    expect(html).toContain(`${run.parameters.toLocaleString('en-US')} trainable parameters`)
    // the run's metrics: the best epoch's validation loss, every epoch's loss, the test AUC
    expect(html).toContain(`validation loss ${run.best!.valLoss!.toFixed(4)}`)
    for (const h of run.history) expect(html).toContain(`<td>${h.loss.toFixed(4)}</td>`)
    expect(html).toMatch(/macro ROC AUC \(test\)<\/td><td>0\.\d{4}<\/td>/)
    expect(html.match(/<svg /g)!.length).toBeGreaterThanOrEqual(2) // loss curve and logo sheet inline
    expect(html).toContain('Gupta S')
  })

  it('copies the run folder', async () => {
    const r = await save({ request: { what: 'run-folder', runId: t.runId } })
    const dir = r.written[0].path
    expect(existsSync(join(dir, 'run.json'))).toBe(true)
    expect(existsSync(join(dir, 'best', 'model.json'))).toBe(true)
    expect(r.written[0].bytes).toBeGreaterThan(statSync(join(dir, 'run.json')).size)
  })

  it('writes nothing when the save dialog is cancelled', async () => {
    t.cancelNextSave()
    expect(await save({ request: { what: 'filters-tsv', runId: t.runId } })).toEqual({ written: [] })
  })

  it('says which filters exist when asked for one that does not', async () => {
    await expect(save({ request: { what: 'meme', runId: t.runId, filters: [40] } })).rejects.toThrow('the run has 8 filters (0 to 7); filter 40 does not exist')
  })
})
