import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { confusionAt, evaluatePredictions, labelsOf, multiclassConfusion, predict, rocCurve, thresholdCounts } from '../../src/main/evaluate/index.js'
import { EVALUATION_FILE, evaluateHandlers, thinCurve } from '../../src/main/handlers/evaluate.js'
import type { HandlerDeps } from '../../src/main/handlers/index.js'
import { createDispatcher, type HandlerMap } from '../../src/main/ipc/dispatch.js'
import type { EvaluationView } from '../../src/shared/views.js'
import { makeTinyRun, type TinyRun } from './run-fixture.js'

let run: TinyRun

beforeAll(async () => {
  run = await makeTinyRun()
}, 120_000)
afterAll(() => run?.cleanup())

function dispatcherFor(r: TinyRun) {
  const handlers = evaluateHandlers({ runs: r.runs } as unknown as HandlerDeps)
  return createDispatcher(handlers as HandlerMap, () => undefined)
}

async function evaluateVia(dispatch: ReturnType<typeof dispatcherFor>, runId: string, threshold: number): Promise<EvaluationView> {
  const reply = await dispatch({ channel: 'run:evaluate', args: { runId, threshold } })
  if (!reply.ok) throw new Error(reply.error.message)
  return reply.value as EvaluationView
}

describe('run:evaluate', () => {
  it('reports the AUCs of the test split that evaluatePredictions gives on independent predictions', async () => {
    const dispatch = dispatcherFor(run)
    const v = await evaluateVia(dispatch, run.runId, 0.5)
    const open = await run.runs.open(run.runId)
    const test = open.dataset.indices('test')
    expect(v.split).toBe('test')
    expect(v.splitNote).toBeNull()
    expect(v.sequences).toBe(test.length)
    const scores = await predict(open.model, open.dataset, test, 7)
    const labels = labelsOf(open.dataset, test)
    const ref = evaluatePredictions(scores, labels, open.dataset.targets, { threshold: 0.5 })
    expect(v.report.targets[0].roc_auc).toBeCloseTo(ref.targets[0].roc_auc as number, 6)
    expect(v.report.targets[0].pr_auc).toBeCloseTo(ref.targets[0].pr_auc as number, 6)
    expect(v.report.macro.roc_auc).toBeCloseTo(ref.macro.roc_auc as number, 6)
    expect(v.report.micro.pr_auc).toBeCloseTo(ref.micro.pr_auc as number, 6)
    expect([v.report.targets[0].positives, v.report.targets[0].negatives]).toEqual([ref.targets[0].positives, ref.targets[0].negatives])
    const c = ref.targets[0].confusion
    expect(v.confusion[0]).toEqual({ ...c, accuracy: (c.tp + c.tn) / test.length })
    // the curve is sklearn's roc_curve (small sets keep every corner), from (0,0) to (1,1)
    const full = rocCurve(thresholdCounts(scores, labels))
    const roc = v.roc[0]
    expect(roc).not.toBeNull()
    expect(roc?.x.length).toBeLessThanOrEqual(300)
    expect([roc?.x[0], roc?.y[0], roc?.x.at(-1), roc?.y.at(-1)]).toEqual([0, 0, 1, 1])
    for (let i = 0; i < (roc?.x.length ?? 0); i++) {
      const k = full?.fpr.findIndex((f, j) => Math.abs(f - (roc?.x[i] ?? -1)) < 1e-4 && Math.abs((full?.tpr[j] ?? 0) - (roc?.y[i] ?? -1)) < 1e-4)
      expect(k, `ROC point ${i} is on sklearn's curve`).toBeGreaterThanOrEqual(0)
    }
    expect(v.pr[0]?.x[0]).toBe(0)
    expect(v.pr[0]?.y[0]).toBe(1)
    expect(v.microCurves.roc?.x.at(-1)).toBe(1)
    expect(v.classes).toBeNull()
    expect(v.seconds).toBeGreaterThan(0)

    // a new threshold recounts the confusion from the same scores
    const v2 = await evaluateVia(dispatch, run.runId, 0.2)
    const c2 = confusionAt(scores, labels, 0.2)
    expect(v2.confusion[0]).toEqual({ ...c2, accuracy: (c2.tp + c2.tn) / test.length })
    expect(v2.report).toEqual(v.report)
  })

  it('reads the run folder cache on a second open (a fresh handler: no predicting)', async () => {
    const file = join(run.runDir, EVALUATION_FILE)
    const before = statSync(file).mtimeMs
    const v = await evaluateVia(dispatcherFor(run), run.runId, 0.5)
    expect(v.seconds).toBe(0)
    expect(statSync(file).mtimeMs).toBe(before)
    // another threshold in a fresh handler: the cached scores file, not the model
    const fresh = dispatcherFor(run)
    const v3 = await evaluateVia(fresh, run.runId, 0.9)
    const open = await run.runs.open(run.runId)
    const test = open.dataset.indices('test')
    const scores = await predict(open.model, open.dataset, test)
    const c = confusionAt(scores, labelsOf(open.dataset, test), 0.9)
    expect(v3.confusion[0]).toEqual({ ...c, accuracy: (c.tp + c.tn) / test.length })
  })

  it('reopens a run whose record changed on disk (it was still training, or was resumed)', async () => {
    const before = await run.runs.open(run.runId)
    const file = join(run.runDir, 'run.json')
    const record = JSON.parse(readFileSync(file, 'utf8')) as { updated: string }
    record.updated = new Date(Date.parse(record.updated) + 1000).toISOString()
    writeFileSync(file, JSON.stringify(record))
    const v = await evaluateVia(dispatcherFor(run), run.runId, 0.5)
    const after = await run.runs.open(run.runId)
    expect(after).not.toBe(before)
    expect(after.run.updated).toBe(record.updated)
    expect(v.seconds).toBeGreaterThan(0) // a new cache key: predicted again
  })

  it('says so and uses the validation split when the test split is empty', async () => {
    const r = await makeTinyRun({ split: 'random:0.8,0.2,0', runId: 'no-test-split' })
    try {
      const v = await evaluateVia(dispatcherFor(r), r.runId, 0.5)
      const open = await r.runs.open(r.runId)
      expect(v.split).toBe('valid')
      expect(v.sequences).toBe(open.dataset.indices('valid').length)
      expect(v.splitNote).toBe('The test split is empty, so these numbers are on the validation split; they are optimistic because the best epoch was chosen on it.')
    } finally {
      r.cleanup()
    }
  })

  it('adds the class confusion matrix for a one-label-per-sequence (softmax) run', async () => {
    const r = await makeTinyRun({ classes: true, runId: 'two-classes' })
    try {
      const v = await evaluateVia(dispatcherFor(r), r.runId, 0.5)
      const open = await r.runs.open(r.runId)
      expect(open.run.config.outputActivation).toBe('softmax')
      const test = open.dataset.indices('test')
      const scores = await predict(open.model, open.dataset, test)
      expect(v.classes).toEqual(multiclassConfusion(scores, labelsOf(open.dataset, test), 2))
      expect(v.classes?.matrix.flat().reduce((a, b) => a + b, 0)).toBe(test.length)
      expect(v.report.targets.map((t) => t.name)).toEqual(['site', 'background'])
    } finally {
      r.cleanup()
    }
  })

  it('names a run that does not exist', async () => {
    const reply = await dispatcherFor(run)({ channel: 'run:evaluate', args: { runId: 'nope', threshold: 0.5 } })
    expect(reply).toEqual({ ok: false, error: { message: 'run nope not found; it may have been deleted', user: true } })
  })
})

describe('thinCurve', () => {
  it('keeps endpoints and corners of a staircase and drops points on straight runs', () => {
    // 0,0 -> up to 0,0.5 (5 steps) -> right to 0.5,0.5 (5 steps) -> up to 0.5,1 -> right to 1,1
    const x: number[] = [0]
    const y: number[] = [0]
    const go = (dx: number, dy: number, steps: number) => {
      for (let i = 0; i < steps; i++) {
        x.push(x[x.length - 1] + dx / steps)
        y.push(y[y.length - 1] + dy / steps)
      }
    }
    go(0, 0.5, 5)
    go(0.5, 0, 5)
    go(0, 0.5, 5)
    go(0.5, 0, 5)
    const t = thinCurve(x, y, 300)
    expect(t).toEqual({ x: [0, 0, 0.5, 0.5, 1], y: [0, 0.5, 0.5, 1, 1] })
  })

  it('thins a long random ROC curve to the budget while staying close to it', () => {
    let seed = 7
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)
    const n = 50_000
    const scores = Float64Array.from({ length: n }, () => rand())
    const labels = Float64Array.from(scores, (s) => (rand() < s ? 1 : 0))
    const roc = rocCurve(thresholdCounts(scores, labels))
    if (!roc) throw new Error('no curve')
    const t = thinCurve(roc.fpr, roc.tpr, 300)
    expect(t.x.length).toBe(300)
    expect([t.x[0], t.y[0], t.x.at(-1), t.y.at(-1)]).toEqual([0, 0, 1, 1])
    // every original point lies within 0.005 of the thinned polyline
    const toSegment = (px: number, py: number, k: number): number => {
      const [ax, ay, bx, by] = [t.x[k], t.y[k], t.x[k + 1], t.y[k + 1]]
      const len2 = (bx - ax) ** 2 + (by - ay) ** 2
      const u = len2 > 0 ? Math.max(0, Math.min(1, ((px - ax) * (bx - ax) + (py - ay) * (by - ay)) / len2)) : 0
      return Math.hypot(ax + u * (bx - ax) - px, ay + u * (by - ay) - py)
    }
    let worst = 0
    for (let i = 0; i < roc.fpr.length; i += 37) {
      let best = Infinity
      for (let k = 0; k < t.x.length - 1; k++) best = Math.min(best, toSegment(roc.fpr[i], roc.tpr[i], k))
      worst = Math.max(worst, best)
    }
    expect(worst).toBeLessThan(0.005)
  })
})
