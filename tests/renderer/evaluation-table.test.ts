import { describe, expect, it } from 'vitest'
import { filterAndSort, pooledConfusion, targetRows } from '../../src/renderer/src/lib/evaluation-table'
import type { EvaluationView } from '../../src/shared/views'

const names = ['CTCF', 'GATA1', 'HNF4A', 'SPI1', 'ctcf-2']
const aucs = [0.9, null, 0.7, 0.95, 0.7]
const view = {
  report: { targets: names.map((name, i) => ({ name, roc_auc: aucs[i], pr_auc: aucs[i], positives: i, negatives: 10 - i })), macro: { roc_auc: null, pr_auc: null }, micro: { roc_auc: null, pr_auc: null } },
  confusion: names.map((_, i) => ({ tp: i, fp: 1, fn: 0, tn: 9 - i, accuracy: (9 - i + i) / 10 })),
} as unknown as EvaluationView

describe('AUC table rows', () => {
  const rows = targetRows(view)
  it('searches names case-insensitively', () => {
    expect(filterAndSort(rows, ' ctcf', 'name', false).map((r) => r.name)).toEqual(['CTCF', 'ctcf-2'])
  })
  it('sorts by a column either way, undefined AUCs last, ties in target order', () => {
    expect(filterAndSort(rows, '', 'rocAuc', true).map((r) => r.target)).toEqual([3, 0, 2, 4, 1])
    expect(filterAndSort(rows, '', 'rocAuc', false).map((r) => r.target)).toEqual([2, 4, 0, 3, 1])
    expect(filterAndSort(rows, '', 'positives', true).map((r) => r.target)).toEqual([4, 3, 2, 1, 0])
  })
  it('pools the confusion over all or chosen targets', () => {
    expect(pooledConfusion(view)).toEqual({ tp: 10, fp: 5, fn: 0, tn: 35, accuracy: 45 / 50 })
    expect(pooledConfusion(view, [1, 3])).toEqual({ tp: 4, fp: 2, fn: 0, tn: 14, accuracy: 18 / 20 })
  })
})
