import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  averagePrecision,
  confusionAt,
  evaluatePredictions,
  multiclassConfusion,
  precisionRecallCurve,
  rocAuc,
  rocCurve,
  thresholdCounts,
  toReport,
} from '../../src/main/evaluate/metrics.js'
import { mulberry32 } from '../../src/main/models/random.js'

/** Fixed inputs: n x T scores rounded to 1 decimal (many ties), labels correlated with them. */
function fixture(n: number, T: number, seed: number) {
  const rand = mulberry32(seed)
  const scores: number[] = []
  const labels: number[] = []
  for (let i = 0; i < n; i++)
    for (let t = 0; t < T; t++) {
      const s = Math.round(rand() * 10) / 10
      scores.push(s)
      labels.push(rand() < 0.2 + 0.6 * s ? 1 : 0)
    }
  return { scores, labels }
}

/** What scikit-learn says about the same inputs (Debian's python3 has sklearn; fails if missing). */
interface SklearnResult {
  roc: (number | null)[]
  ap: (number | null)[]
  micro_roc: number
  micro_ap: number
  roc_curve: [number[], number[], number[]]
  pr_curve: [number[], number[], number[]]
}

function sklearn(input: object): SklearnResult {
  const dir = mkdtempSync(join(tmpdir(), 'motiflens-sk-'))
  const file = join(dir, 'in.json')
  writeFileSync(file, JSON.stringify(input))
  const script = `
import json, sys, warnings
import numpy as np
from sklearn.metrics import roc_auc_score, average_precision_score, roc_curve, precision_recall_curve
warnings.simplefilter('ignore')
d = json.load(open(sys.argv[1]))
T = d['T']
S = np.array(d['scores'], dtype=float).reshape(-1, T)
Y = np.array(d['labels'], dtype=int).reshape(-1, T)
out = {'roc': [], 'ap': []}
for t in range(T):
    y, s = Y[:, t], S[:, t]
    ok = 0 < y.sum() < len(y)
    out['roc'].append(float(roc_auc_score(y, s)) if ok else None)
    out['ap'].append(float(average_precision_score(y, s)) if ok else None)
out['micro_roc'] = float(roc_auc_score(Y, S, average='micro'))
out['micro_ap'] = float(average_precision_score(Y, S, average='micro'))
fpr, tpr, th = roc_curve(Y[:, 0], S[:, 0], drop_intermediate=False)
out['roc_curve'] = [fpr.tolist(), tpr.tolist(), th.tolist()]
p, r, th = precision_recall_curve(Y[:, 0], S[:, 0])
out['pr_curve'] = [p.tolist(), r.tolist(), th.tolist()]
print(json.dumps(out))
`
  return JSON.parse(execFileSync('/usr/bin/python3', ['-c', script, file], { encoding: 'utf8' })) as SklearnResult
}

describe('ROC AUC and average precision against scikit-learn', () => {
  const T = 5
  const { scores, labels } = fixture(150, T, 42)
  // target 3: no positives; target 4: no negatives
  for (let i = 0; i < 150; i++) {
    labels[i * T + 3] = 0
    labels[i * T + 4] = 1
  }
  const sk = sklearn({ T, scores, labels })
  const ours = evaluatePredictions(scores, labels, ['a', 'b', 'c', 'none', 'all'], { curves: true })

  it('per target, with ties, to 1e-6; undefined targets are null', () => {
    for (let t = 0; t < T; t++) {
      const row = ours.targets[t]
      const [roc, ap] = [sk.roc[t], sk.ap[t]]
      if (roc === null) expect(row.roc_auc).toBeNull()
      else expect(Math.abs(row.roc_auc! - roc)).toBeLessThan(1e-6)
      if (ap === null) expect(row.pr_auc).toBeNull()
      else expect(Math.abs(row.pr_auc! - ap)).toBeLessThan(1e-6)
    }
    expect(ours.targets.map((r) => r.roc_auc === null)).toEqual([false, false, false, true, true])
    expect(ours.targets[3]).toMatchObject({ positives: 0, negatives: 150 })
    expect(ours.targets[4]).toMatchObject({ positives: 150, negatives: 0 })
  })

  it('macro over defined targets only, micro pooled like sklearn', () => {
    const meanOf = (xs: (number | null)[]) => {
      const ok = xs.filter((x): x is number => x !== null)
      return ok.reduce((a, b) => a + b, 0) / ok.length
    }
    expect(Math.abs(ours.macro.roc_auc! - meanOf(sk.roc))).toBeLessThan(1e-6)
    expect(Math.abs(ours.macro.pr_auc! - meanOf(sk.ap))).toBeLessThan(1e-6)
    expect(Math.abs(ours.micro.roc_auc! - sk.micro_roc)).toBeLessThan(1e-6)
    expect(Math.abs(ours.micro.pr_auc! - sk.micro_ap)).toBeLessThan(1e-6)
  })

  it('curves match roc_curve(drop_intermediate=False) and precision_recall_curve', () => {
    const [fpr, tpr, rth] = sk.roc_curve as number[][]
    const roc = ours.targets[0].roc!
    expect(roc.fpr.length).toBe(fpr.length)
    roc.fpr.forEach((x, i) => expect(Math.abs(x - fpr[i])).toBeLessThan(1e-9))
    roc.tpr.forEach((x, i) => expect(Math.abs(x - tpr[i])).toBeLessThan(1e-9))
    roc.thresholds.forEach((x, i) => expect(Math.abs(x - rth[i])).toBeLessThan(1e-9))
    // sklearn lists thresholds ascending and ends with (precision 1, recall 0): ours runs the other way.
    const [p, r, pth] = sk.pr_curve as number[][]
    const pr = ours.targets[0].pr!
    expect(pr.precision.length).toBe(p.length)
    pr.precision.forEach((x, i) => expect(Math.abs(x - p[p.length - 1 - i])).toBeLessThan(1e-9))
    pr.recall.forEach((x, i) => expect(Math.abs(x - r[r.length - 1 - i])).toBeLessThan(1e-9))
    pr.thresholds.forEach((x, i) => expect(Math.abs(x - pth[pth.length - 1 - i])).toBeLessThan(1e-9))
    expect(ours.targets[3].roc).toBeNull()
  })

  it('a single binary target with heavy ties matches too', () => {
    const one = fixture(300, 1, 7)
    const s = sklearn({ T: 1, ...one })
    expect(Math.abs(rocAuc(one.scores, one.labels)! - s.roc[0]!)).toBeLessThan(1e-6)
    expect(Math.abs(averagePrecision(one.scores, one.labels)! - s.ap[0]!)).toBeLessThan(1e-6)
  })
})

describe('hand-checked values', () => {
  it('perfect, inverted, all tied and one-class rankings', () => {
    expect(rocAuc([0.9, 0.8, 0.2, 0.1], [1, 1, 0, 0])).toBe(1)
    expect(rocAuc([0.1, 0.2, 0.8, 0.9], [1, 1, 0, 0])).toBe(0)
    expect(rocAuc([0.5, 0.5, 0.5, 0.5], [1, 0, 1, 0])).toBe(0.5)
    expect(averagePrecision([0.5, 0.5, 0.5, 0.5], [1, 0, 0, 0])).toBe(0.25)
    // positives ranked 1st and 3rd: AP = 0.5 * 1 + 0.5 * 2/3
    expect(averagePrecision([0.9, 0.8, 0.7, 0.1], [1, 0, 1, 0])).toBeCloseTo(0.5 + 1 / 3, 12)
    expect(rocAuc([0.3, 0.4], [1, 1])).toBeNull()
    expect(averagePrecision([0.3, 0.4], [0, 0])).toBeNull()
    expect(rocAuc([Number.NaN, 0.4], [1, 0])).toBeNull()
    expect(rocCurve(thresholdCounts([0.3], [1]))).toBeNull()
    expect(precisionRecallCurve(thresholdCounts([0.9, 0.1], [1, 0]))).toEqual({ recall: [0, 1, 1], precision: [1, 1, 0.5], thresholds: [0.9, 0.1] })
  })

  it('confusion and accuracy at a threshold (score >= threshold is positive)', () => {
    expect(confusionAt([0.9, 0.5, 0.4, 0.1], [1, 0, 1, 0], 0.5)).toEqual({ tp: 1, fp: 1, tn: 1, fn: 1 })
    const e = evaluatePredictions([0.9, 0.2, 0.6, 0.7], [1, 0, 0, 1], ['x', 'y'], { threshold: 0.5 })
    expect(e.targets[0].confusion).toEqual({ tp: 1, fp: 1, tn: 0, fn: 0 })
    expect(e.targets[1].confusion).toEqual({ tp: 1, fp: 0, tn: 1, fn: 0 })
    expect(e.accuracy).toBe(0.75)
    expect(toReport(e)).toEqual({
      targets: [
        { name: 'x', roc_auc: 1, pr_auc: 1, positives: 1, negatives: 1 },
        { name: 'y', roc_auc: 1, pr_auc: 1, positives: 1, negatives: 1 },
      ],
      macro: { roc_auc: 1, pr_auc: 1 },
      // pooled: positives 0.9 and 0.7 outrank negatives 0.6 and 0.2
      micro: { roc_auc: 1, pr_auc: 1 },
    })
  })

  it('multi-class confusion matrix of the arg-max', () => {
    const scores = [0.7, 0.2, 0.1, 0.1, 0.8, 0.1, 0.5, 0.4, 0.1, 0.2, 0.2, 0.6]
    const labels = [1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1]
    expect(multiclassConfusion(scores, labels, 3)).toEqual({ matrix: [[1, 0, 0], [1, 1, 0], [0, 0, 1]], accuracy: 0.75 })
  })
})
