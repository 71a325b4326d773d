/**
 * Rows of the Evaluate view's AUC table: one per target with its AUCs, counts and confusion
 * at the threshold; searchable by name and sortable by any column (undefined AUCs last,
 * whichever the direction, because "no AUC" is not a small AUC).
 */
import type { EvaluationView } from '../../../shared/views'

export interface TargetRow {
  target: number
  name: string
  rocAuc: number | null
  prAuc: number | null
  positives: number
  negatives: number
  accuracy: number | null
  tp: number
  fp: number
  fn: number
  tn: number
}

export type TargetColumn = Exclude<keyof TargetRow, 'target'>

export const targetColumns: { key: TargetColumn; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Target', numeric: false },
  { key: 'rocAuc', label: 'ROC AUC', numeric: true },
  { key: 'prAuc', label: 'PR AUC', numeric: true },
  { key: 'positives', label: 'Positives', numeric: true },
  { key: 'negatives', label: 'Negatives', numeric: true },
  { key: 'accuracy', label: 'Accuracy', numeric: true },
  { key: 'tp', label: 'TP', numeric: true },
  { key: 'fp', label: 'FP', numeric: true },
  { key: 'fn', label: 'FN', numeric: true },
  { key: 'tn', label: 'TN', numeric: true },
]

export function targetRows(v: EvaluationView): TargetRow[] {
  return v.report.targets.map((t, i) => {
    const c = v.confusion[i]
    return { target: i, name: t.name, rocAuc: t.roc_auc, prAuc: t.pr_auc, positives: t.positives, negatives: t.negatives, accuracy: c?.accuracy ?? null, tp: c?.tp ?? 0, fp: c?.fp ?? 0, fn: c?.fn ?? 0, tn: c?.tn ?? 0 }
  })
}

/** Rows whose name contains `search` (case-insensitive), sorted by `column`; ties by target order. */
export function filterAndSort(rows: TargetRow[], search: string, column: TargetColumn, descending: boolean): TargetRow[] {
  const q = search.trim().toLowerCase()
  const kept = q ? rows.filter((r) => r.name.toLowerCase().includes(q)) : rows.slice()
  const sign = descending ? -1 : 1
  return kept.sort((a, b) => {
    const x = a[column]
    const y = b[column]
    if (x === null || y === null) return x === y ? a.target - b.target : x === null ? 1 : -1
    const c = typeof x === 'string' ? x.localeCompare(y as string, undefined, { numeric: true }) : x - (y as number)
    return c !== 0 ? sign * c : a.target - b.target
  })
}

/** Confusion counts summed over targets (every sequence x target pair). */
export function pooledConfusion(v: EvaluationView, targets?: number[]): { tp: number; fp: number; fn: number; tn: number; accuracy: number | null } {
  const rows = targets ? targets.map((t) => v.confusion[t]).filter(Boolean) : v.confusion
  const s = rows.reduce((a, c) => ({ tp: a.tp + c.tp, fp: a.fp + c.fp, fn: a.fn + c.fn, tn: a.tn + c.tn }), { tp: 0, fp: 0, fn: 0, tn: 0 })
  const n = s.tp + s.fp + s.fn + s.tn
  return { ...s, accuracy: n > 0 ? (s.tp + s.tn) / n : null }
}
