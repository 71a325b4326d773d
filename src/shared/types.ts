/**
 * Payload types that cross the IPC contract. Plain data only (structured-clone and JSON safe).
 * Nothing here imports electron, node or the DOM: both tsconfigs include this folder.
 */

export type AlphabetName = 'dna' | 'rna' | 'binary' | 'protein'
export type SplitName = 'train' | 'valid' | 'test'

/** What `data inspect` prints and the Data view shows. */
export interface DatasetSummary {
  files: { path: string; sequences: number; bytes: number }[]
  sequences: number
  alphabet: AlphabetName
  length: { min: number; median: number; max: number; histogram: { from: number; to: number; count: number }[] }
  gc: number | null
  n_fraction: number
  duplicates: number
  labels: { name: string; positives: number; negatives: number }[]
  splits?: Record<SplitName, number>
}

/** A position probability matrix as plain rows: `rows[position][letterIndex]`, each row sums to 1. */
export interface ProbabilityRows {
  letters: string
  rows: number[][]
}

/**
 * Where a dataset's sequences and labels come from. The CLI's data flags and the Data view
 * both produce one of these; the data layer turns it into a Dataset.
 */
export interface DataSpec {
  /** Binary task: one or more FASTA files of positives, and of negatives. */
  positives?: string[]
  negatives?: string[]
  /** Several classes, one or more FASTA files each (`--class NAME=F...`). */
  classes?: { name: string; files: string[] }[]
  /** FASTA file(s) whose labels come from `labels` (a TSV/CSV table) or from their headers. */
  fasta?: string[]
  labels?: string
  /** Intervals: one BED per target plus a genome (indexed FASTA or .2bit). */
  bed?: { target: string; files: string[] }[]
  genome?: string
  /** Window width (bp) around each interval's centre or narrowPeak summit. */
  window?: number
  alphabet?: AlphabetName | 'auto'
  /** The one input length; sequences are padded with N or cropped around the centre. */
  length?: number
  lengthMode?: 'pad' | 'crop'
  /** How N and IUPAC ambiguity codes are one-hot encoded. */
  ambiguous?: 'uniform' | 'zero'
  /** `random:0.8,0.1,0.1` or `chrom:test=chr8,chr9;valid=chr7`. */
  split?: string
  /** Generate negatives when only positives are given. */
  background?: 'shuffle' | 'gc'
  seed?: number
}

/** Progress of a training run, pushed to the UI and drawn as a progress bar by the CLI. */
export type TrainProgress =
  | { kind: 'start'; backend: string; epochs: number; batchesPerEpoch: number; trainSize: number; validSize: number; params: number; runDir: string }
  | { kind: 'batch'; epoch: number; batch: number; batches: number; loss: number; samplesPerSec: number; etaSec: number }
  | { kind: 'epoch'; epoch: number; loss: number; valLoss: number | null; metrics: Record<string, number | null>; lr: number; best: boolean; seconds: number }
  | { kind: 'log'; level: 'info' | 'warn' | 'error'; message: string }

/** Model presets; each is described by `listPresets()` in src/main/models. */
export type ModelPresetName =
  | 'motif-cnn'
  | 'deepsea'
  | 'danq'
  | 'basset'
  | 'toy-rnn'
  | 'toy-cnn'
  | 'next-char-rnn'
  | 'next-char-lstm'
  | 'custom'

/**
 * Architecture knobs a preset reads (each preset documents which); anything left out takes
 * the preset's published value. Lists run first layer first.
 */
export interface ModelParams {
  /** Conv1D filters per conv layer. */
  filters?: number[]
  /** Conv1D kernel widths (bp) per conv layer. */
  widths?: number[]
  /** Max-pool size (= stride) after each conv layer; 0 or 1 means none. */
  pools?: number[]
  /** Global max-pool over positions after the last conv (instead of Flatten). */
  globalPool?: boolean
  /** Units of a bidirectional LSTM after the convs; 0 means none. */
  lstmUnits?: number
  /** Hidden Dense layers' units before the output layer. */
  dense?: number[]
  /** Dropout rate after conv/pool blocks, the LSTM and hidden Dense layers. */
  dropout?: number
  /** Recurrent units of the toy RNN presets. */
  units?: number
}

/** A model architecture: a preset plus overrides. Plain JSON, stored in run.json. */
export interface ModelSpec {
  preset: ModelPresetName
  params?: ModelParams
}

/** One preset card in the Model view. */
export interface ModelPresetInfo {
  name: ModelPresetName
  title: string
  description: string
  /** Citation of the paper the architecture comes from, or null for our own. */
  paper: string | null
  whenToUse: string
  /** The preset's default parameters, filled in. */
  params: ModelParams
  /** The input the `parameters` count below is for. */
  typicalInput: { length: number; letters: number; targets: number }
  parameters: number
}

/** A row of a Keras-style model summary. */
export interface ModelSummaryRow {
  name: string
  type: string
  /** Output shape with the batch dimension as null, e.g. [null, 186, 32]. */
  outputShape: (number | null)[]
  params: number
}

export interface ModelSummary {
  rows: ModelSummaryRow[]
  total: number
  trainable: number
  nonTrainable: number
}

/** `motiflens evaluate --json` and the Evaluate view. Null marks an undefined value. */
export interface EvaluationReport {
  targets: { name: string; roc_auc: number | null; pr_auc: number | null; positives: number; negatives: number }[]
  macro: { roc_auc: number | null; pr_auc: number | null }
  micro: { roc_auc: number | null; pr_auc: number | null }
}
