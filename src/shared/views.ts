/**
 * Payloads of the desktop views (project, data preview, runs, evaluation, motifs, sequences,
 * exports). Plain data only; curves are thinned on the main side so a 919-target evaluation
 * crosses the wire in a reasonable size.
 */
import type { DataSpec, EvaluationReport, ModelSpec, ProbabilityRows } from './types.js'
import type { TrainConfig, ViewName } from './contract.js'

/** A project: a folder with project.json, its runs, its exports and example data. */
export interface ProjectState {
  id: string
  name: string
  path: string
  view: ViewName
  spec: DataSpec
  train: Partial<TrainConfig>
  runId: string | null
  savedAt: string | null
}

export interface SequencePreview {
  sequences: { id: string; file: string; sequence: string; length: number; label: string | null }[]
  letters: string
}

export interface RunInfo {
  runId: string
  status: string
  createdAt: string
  model: ModelSpec
  targets: string[]
  epochs: number
  backend: string | null
  best: { epoch: number; valLoss: number | null } | null
  history: { epoch: number; loss: number; valLoss: number | null; metrics: Record<string, number | null> }[]
}

export interface CurvePoints {
  x: number[]
  y: number[]
}

export interface EvaluationView {
  runId: string
  split: string
  sequences: number
  report: EvaluationReport
  /** Per target, in report order; null where the target is undefined (one class only). */
  roc: (CurvePoints | null)[]
  pr: (CurvePoints | null)[]
  threshold: number
  /** Per target at `threshold`. */
  confusion: { tp: number; fp: number; tn: number; fn: number; accuracy: number | null }[]
  /** Why the numbers are not on the test split (it is empty), or null. */
  splitNote: string | null
  /** Micro-average curves: every (sequence, target) pair pooled; null when undefined. */
  microCurves: { roc: CurvePoints | null; pr: CurvePoints | null }
  /** One-label-per-sequence (softmax) runs: `matrix[true][predicted]` of the arg-max class; else null. */
  classes: { matrix: number[][]; accuracy: number | null } | null
  /** Seconds the predictions took (0 when they came from the run folder's cache). */
  seconds: number
}

export interface MotifMatchView {
  id: string
  name: string
  offset: number
  strand: '+' | '-'
  overlap: number
  score: number
  pValue: number
  qValue: number
  /** The database motif, oriented on `strand`. */
  matrix: ProbabilityRows
}

export interface FilterView {
  index: number
  sites: number
  skipped: string | null
  ic: number
  consensus: string
  matrix: ProbabilityRows
  /** Trimmed bounds into `matrix` rows (half-open). */
  trimmed: { start: number; end: number }
  /** Change of the loss when the filter is zeroed (positive: the model needs it); null if not computed. */
  influence: number | null
  matches: MotifMatchView[]
}

export interface MotifAnalysis {
  runId: string
  method: 'argmax' | 'threshold'
  database: string
  sequences: number
  background: number[]
  filters: FilterView[]
  seconds: number
}

export interface FilterDetail {
  runId: string
  filter: FilterView
  /** Histogram of each sequence's maximum activation. */
  activation: { from: number; to: number; counts: number[] }
  /** Histogram of argmax positions (window starts) over the sequences. */
  positions: { length: number; counts: number[] }
  top: { index: number; id: string; position: number; activation: number; window: string }[]
}

export interface SequenceRow {
  /** Index of the sequence in the run's dataset (what `run:attribution` takes). */
  index: number
  id: string
  split: string
  /** Per target, in `targets` order: 0 or 1. */
  labels: number[]
  /** Per target, in `targets` order: the model's output (a probability). */
  predictions: number[]
  sequence: string
  /** Per asked filter that fired (activation > 0): its best window, start 0-based on the forward strand. */
  marks: { filter: number; position: number; width: number; activation: number }[]
}

export interface SequencePage {
  runId: string
  total: number
  offset: number
  targets: string[]
  rows: SequenceRow[]
  /** Letters in code order, e.g. 'ACGT'. */
  letters: string
  /** First-layer filters (0 when the model has no first convolution) and their width. */
  filterCount: number
  filterWidth: number
  /** Why there are no marks (e.g. an RNN model), or null. */
  note: string | null
}

export interface AttributionResult {
  runId: string
  index: number
  id: string
  target: number
  sequence: string
  letters: string
  prediction: number
  /** `[position][letter]`: prediction change when the base is mutated to that letter (0 for the reference). */
  mutagenesis: number[][]
  /** `[position][letter]`: gradient x input. */
  saliency: number[][]
}

export interface ExportResult {
  /** Every file written, with where it went; empty when the user cancelled the dialog. */
  written: { path: string; bytes: number; what: string }[]
}
