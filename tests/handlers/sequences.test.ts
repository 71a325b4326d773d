import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { predict, predictArray } from '../../src/main/evaluate/index.js'
import type { HandlerDeps } from '../../src/main/handlers/index.js'
import { BLOCK, SEQUENCES_CACHE_DIR, sequenceHandlers } from '../../src/main/handlers/sequences.js'
import { createDispatcher, type HandlerMap } from '../../src/main/ipc/dispatch.js'
import { firstConvActivationModel } from '../../src/main/models/index.js'
import type { AttributionResult, SequencePage } from '../../src/shared/views.js'
import { makeTinyRun, type TinyRun } from './run-fixture.js'

let run: TinyRun
let dispatch: ReturnType<typeof createDispatcher>

beforeAll(async () => {
  run = await makeTinyRun({ count: 130 }) // 260 sequences; ids pos12, pos120..pos129 match "pos12"
  dispatch = createDispatcher(sequenceHandlers({ runs: run.runs } as unknown as HandlerDeps) as HandlerMap, () => undefined)
}, 120_000)
afterAll(() => run?.cleanup())

async function call<T>(channel: 'run:sequences' | 'run:attribution', args: unknown): Promise<T> {
  const reply = await dispatch({ channel, args })
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.value as T
}

describe('run:sequences', () => {
  it('pages through every sequence, test split first, with labels, predictions and filter marks', async () => {
    const open = await run.runs.open(run.runId)
    const ds = open.dataset
    const test = ds.indices('test')
    const page = await call<SequencePage>('run:sequences', { runId: run.runId, offset: 0, limit: 20, filters: [0, 3], search: '' })
    expect(page.total).toBe(ds.size)
    expect(page.targets).toEqual([...ds.targets])
    expect([page.letters, page.filterCount, page.filterWidth, page.note]).toEqual(['ACGT', 6, 9, null])
    expect(page.rows.map((r) => r.index)).toEqual(Array.from(test.subarray(0, 20)))
    expect(page.rows.every((r) => r.split === 'test')).toBe(true)
    const idx = page.rows.map((r) => r.index)
    const preds = await predict(open.model, ds, idx)
    const act = tf.tidy(() => firstConvActivationModel(open.model).predict(tf.tensor3d(ds.batch(idx).x, [idx.length, ds.length, 4])) as tf.Tensor3D)
    const a = (await act.array()) as number[][][]
    act.dispose()
    page.rows.forEach((r, k) => {
      expect(r.id).toBe(ds.id(r.index))
      expect(r.sequence).toHaveLength(200)
      expect(r.labels).toEqual([ds.label(r.index, 0)])
      expect(r.predictions[0]).toBeCloseTo(preds[k], 4)
      for (const f of [0, 3]) {
        const column = a[k].map((row) => row[f])
        const best = Math.max(...column)
        const mark = r.marks.find((m) => m.filter === f)
        if (best > 0) {
          expect(mark?.position).toBe(column.indexOf(best))
          expect(mark?.activation).toBeCloseTo(best, 3)
          expect(mark?.width).toBe(9)
        } else expect(mark).toBeUndefined()
      }
    })
    // later pages reach the training split; the numbers are cached in the run folder
    const last = await call<SequencePage>('run:sequences', { runId: run.runId, offset: ds.size - 5, limit: 50, filters: [], search: '' })
    expect(last.rows).toHaveLength(5)
    expect(last.rows.at(-1)?.split).toBe('train')
    // only the blocks those rows fall in were computed: display positions 0-19 and 255-259
    const blocks = [...new Set([...Array.from({ length: 20 }, (_, k) => k), 255, 256, 257, 258, 259].map((p) => Math.floor(p / BLOCK)))]
    expect(readdirSync(join(run.runDir, SEQUENCES_CACHE_DIR)).filter((f) => f.startsWith('block-')).sort()).toEqual(blocks.map((b) => `block-${b}.bin`).sort())
  })

  it('searches by id and refuses filters the model does not have', async () => {
    const page = await call<SequencePage>('run:sequences', { runId: run.runId, offset: 0, limit: 500, filters: [], search: 'POS12' })
    const open = await run.runs.open(run.runId)
    const expected = Array.from({ length: open.dataset.size }, (_, i) => open.dataset.id(i)).filter((id) => id.toLowerCase().includes('pos12'))
    expect(page.total).toBe(expected.length)
    expect(page.rows.map((r) => r.id).sort()).toEqual(expected.sort())
    await expect(call('run:sequences', { runId: run.runId, offset: 0, limit: 5, filters: [6], search: '' })).rejects.toThrow('filter 6 does not exist: the first layer has 6 filters (0..5)')
    expect(existsSync(join(run.runDir, SEQUENCES_CACHE_DIR, 'key.json'))).toBe(true)
  })
})

describe('run:attribution', () => {
  it('gives each single mutant the change of the prediction it causes, 0 at the reference letter', async () => {
    const open = await run.runs.open(run.runId)
    const ds = open.dataset
    const index = ds.indices('test')[3]
    const r = await call<AttributionResult>('run:attribution', { runId: run.runId, sequence: index, target: 0 })
    const x = ds.batch([index]).x
    const reference = predictArray(open.model, x, 1, 200, 4)[0]
    expect(r.prediction).toBeCloseTo(reference, 5)
    expect([r.id, r.letters, r.sequence.length, r.mutagenesis.length, r.saliency.length]).toEqual([ds.id(index), 'ACGT', 200, 200, 200])
    for (let p = 0; p < 200; p++) expect(r.mutagenesis[p]['ACGT'.indexOf(r.sequence[p])]).toBe(0)
    // a few mutants predicted directly
    for (const [p, letter] of [[0, 1], [57, 2], [120, 0], [199, 3]]) {
      if ('ACGT'[letter] === r.sequence[p]) continue
      const m = x.slice()
      for (let k = 0; k < 4; k++) m[p * 4 + k] = k === letter ? 1 : 0
      expect(r.mutagenesis[p][letter]).toBeCloseTo(predictArray(open.model, m, 1, 200, 4)[0] - reference, 5)
    }
    // gradient x input is non-zero only at the reference letter
    for (let p = 0; p < 200; p++) for (let k = 0; k < 4; k++) if ('ACGT'[k] !== r.sequence[p]) expect(r.saliency[p][k]).toBe(0)
    expect(r.saliency.some((row) => row.some((v) => v !== 0))).toBe(true)
  })

  it('names a sequence or target that does not exist', async () => {
    const open = await run.runs.open(run.runId)
    const n = open.dataset.size
    await expect(call('run:attribution', { runId: run.runId, sequence: n, target: 0 })).rejects.toThrow(`sequence ${n} does not exist: run ${run.runId} has ${n} sequences (0..${n - 1})`)
    await expect(call('run:attribution', { runId: run.runId, sequence: 0, target: 1 })).rejects.toThrow(`target 1 does not exist: run ${run.runId} has 1 targets (0..0)`)
  })
})
