/**
 * The one IPC contract between the renderer and the engine, for both shells (Electron IPC
 * and browser mode's WebSocket). Every request channel is declared once here with a schema
 * for its arguments (validated on the main side: nothing the renderer sends is trusted) and
 * the type it returns; every push channel (job progress, logs) with its payload type.
 * The transports never name a channel themselves: they move `{ channel, args }` envelopes and
 * the main-side dispatcher looks the channel up here.
 *
 * Imports nothing from electron, node or the DOM: both tsconfigs include this file.
 */
import { z } from 'zod'
import type {
  DatasetSummary,
  EvaluationReport,
  ModelPresetInfo,
  ModelPresetName,
  ModelSummary,
  ProbabilityRows,
  TrainProgress,
} from './types.js'
import type {
  AttributionResult,
  EvaluationView,
  ExportResult,
  FilterDetail,
  MotifAnalysis,
  ProjectState,
  RunInfo,
  SequencePage,
  SequencePreview,
} from './views.js'

const path = z.string().min(1).max(4096)
const runId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'not a run id')
const jobId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a job id')
const seed = z.number().int().min(0).max(2 ** 31 - 1)

export const fileKinds = ['fasta', 'table', 'bed', 'genome', 'meme', 'any'] as const
export type FileKind = (typeof fileKinds)[number]

export const views = ['project', 'data', 'model', 'train', 'evaluate', 'motifs', 'sequences', 'export'] as const
export type ViewName = (typeof views)[number]

const dataSpec = z
  .object({
    positives: z.array(path).max(1000).optional(),
    negatives: z.array(path).max(1000).optional(),
    classes: z.array(z.object({ name: z.string().min(1).max(200), files: z.array(path).min(1).max(1000) }).strict()).max(1000).optional(),
    fasta: z.array(path).max(1000).optional(),
    labels: path.optional(),
    bed: z.array(z.object({ target: z.string().min(1).max(200), files: z.array(path).min(1).max(100) }).strict()).max(2000).optional(),
    genome: path.optional(),
    window: z.number().int().min(1).max(1_000_000).optional(),
    alphabet: z.enum(['dna', 'rna', 'binary', 'protein', 'auto']).optional(),
    length: z.number().int().min(1).max(1_000_000).optional(),
    lengthMode: z.enum(['pad', 'crop']).optional(),
    ambiguous: z.enum(['uniform', 'zero']).optional(),
    split: z.string().max(500).optional(),
    background: z.enum(['shuffle', 'gc']).optional(),
    seed: seed.optional(),
  })
  .strict()

const presetNames = ['motif-cnn', 'deepsea', 'danq', 'basset', 'toy-rnn', 'toy-cnn', 'next-char-rnn', 'next-char-lstm', 'custom'] as const
// the schema's preset names and the engine's ModelPresetName must be the same set
type PresetDrift = Exclude<(typeof presetNames)[number], ModelPresetName> | Exclude<ModelPresetName, (typeof presetNames)[number]>
export const presetNamesAreComplete: [PresetDrift] extends [never] ? true : false = true

const modelSpec = z
  .object({
    preset: z.enum(presetNames),
    params: z
      .object({
        filters: z.array(z.number().int().min(1).max(4096)).max(16).optional(),
        widths: z.array(z.number().int().min(1).max(1000)).max(16).optional(),
        pools: z.array(z.number().int().min(0).max(1000)).max(16).optional(),
        globalPool: z.boolean().optional(),
        lstmUnits: z.number().int().min(0).max(4096).optional(),
        dense: z.array(z.number().int().min(1).max(65536)).max(8).optional(),
        dropout: z.number().min(0).max(0.95).optional(),
        units: z.number().int().min(1).max(4096).optional(),
      })
      .strict()
      .optional(),
  })
  .strict()

const trainConfig = z
  .object({
    model: modelSpec,
    epochs: z.number().int().min(1).max(10_000),
    batchSize: z.number().int().min(1).max(4096),
    learningRate: z.number().positive().max(10),
    optimizer: z.enum(['adam', 'sgd', 'rmsprop']),
    momentum: z.number().min(0).max(0.999).optional(),
    nesterov: z.boolean().optional(),
    patience: z.number().int().min(0).max(1000).nullable().optional(),
    reverseComplement: z.boolean().optional(),
    classWeights: z.enum(['none', 'balanced']).optional(),
    seed,
  })
  .strict()

const exportRequest = z.discriminatedUnion('what', [
  z.object({ what: z.literal('logo'), runId, filter: z.number().int().min(0), format: z.enum(['svg', 'png']), withMatch: z.boolean(), dpi: z.number().int().min(72).max(1200), widthInches: z.number().min(0.5).max(20) }).strict(),
  z.object({ what: z.literal('logo-sheet'), runId, filters: z.array(z.number().int().min(0)).max(4096).optional(), format: z.enum(['svg', 'png']), dpi: z.number().int().min(72).max(1200) }).strict(),
  z.object({ what: z.literal('meme'), runId, filters: z.array(z.number().int().min(0)).max(4096).optional() }).strict(),
  z.object({ what: z.literal('filters-tsv'), runId }).strict(),
  z.object({ what: z.literal('positions-tsv'), runId }).strict(),
  z.object({ what: z.literal('evaluation-tsv'), runId }).strict(),
  z.object({ what: z.literal('chart'), name: z.string().regex(/^[A-Za-z0-9._-]{1,80}$/), svg: z.string().min(1).max(20_000_000), format: z.enum(['svg', 'png']), dpi: z.number().int().min(72).max(1200) }).strict(),
  z.object({ what: z.literal('report'), runId }).strict(),
  z.object({ what: z.literal('run-folder'), runId }).strict(),
])

/** Argument schemas of every request channel. */
export const requestSchemas = {
  'app:info': z.object({}).strict(),
  /** Ask for files: the native dialog in Electron; in browser mode the answer says to browse. */
  'dialog:openFiles': z.object({ kind: z.enum(fileKinds), multiple: z.boolean(), title: z.string().max(200) }).strict(),
  /** List a folder inside the served root (browser mode's file browser). */
  'fs:list': z.object({ dir: path.optional() }).strict(),
  /** Grant access to files the user dropped (Electron: paths from webUtils.getPathForFile). */
  'files:dropped': z.object({ paths: z.array(path).min(1).max(1000) }).strict(),

  'project:list': z.object({}).strict(),
  'project:create': z.object({ name: z.string().trim().min(1).max(120) }).strict(),
  'project:open': z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/) }).strict(),
  'project:save': z.object({ id: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/), state: z.object({ view: z.enum(views), spec: dataSpec, train: trainConfig.partial(), runId: runId.nullable() }).strict() }).strict(),

  'data:examples': z.object({}).strict(),
  'data:makeExample': z.object({ name: z.string().regex(/^[a-z0-9-]{1,40}$/), projectId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/).nullable() }).strict(),
  'data:inspect': z.object({ spec: dataSpec }).strict(),
  'data:preview': z.object({ spec: dataSpec, count: z.number().int().min(1).max(200) }).strict(),

  'model:presets': z.object({}).strict(),
  'model:summary': z.object({ model: modelSpec, input: z.object({ length: z.number().int().min(1).max(1_000_000), letters: z.number().int().min(2).max(32), targets: z.number().int().min(1).max(100_000) }).strict() }).strict(),

  'train:start': z.object({ spec: dataSpec, config: trainConfig, projectId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/).nullable() }).strict(),
  'train:resume': z.object({ runId }).strict(),
  'job:cancel': z.object({ jobId }).strict(),

  'runs:list': z.object({ projectId: z.string().regex(/^[A-Za-z0-9._-]{1,128}$/).nullable() }).strict(),
  'run:filters': z.object({ runId }).strict(),
  'run:evaluate': z.object({ runId, threshold: z.number().min(0).max(1) }).strict(),
  'run:motifs': z.object({ runId, method: z.enum(['argmax', 'threshold']), database: path.nullable() }).strict(),
  'run:filter': z.object({ runId, filter: z.number().int().min(0) }).strict(),
  'run:sequences': z.object({ runId, offset: z.number().int().min(0), limit: z.number().int().min(1).max(500), filters: z.array(z.number().int().min(0)).max(16), search: z.string().max(200) }).strict(),
  'run:attribution': z.object({ runId, sequence: z.number().int().min(0), target: z.number().int().min(0) }).strict(),

  'export:save': z.object({ request: exportRequest }).strict(),
} as const

export type RequestChannel = keyof typeof requestSchemas
export type RequestArgs<K extends RequestChannel> = z.input<(typeof requestSchemas)[K]>
export type ParsedArgs<K extends RequestChannel> = z.output<(typeof requestSchemas)[K]>
export type TrainConfig = z.output<typeof trainConfig>
export type ExportRequest = z.output<typeof exportRequest>
export type DataSpecArgs = z.output<typeof dataSpec>

export interface AppInfo {
  version: string
  /** One line naming the compute backend training will use (and why, when it is a fallback). */
  backend: string
  backendNote: string | null
}

export interface FileEntry {
  name: string
  path: string
  kind: 'file' | 'dir'
  size: number
}

export type OpenFilesResult =
  | { kind: 'picked'; paths: string[] }
  | { kind: 'cancelled' }
  /** No native dialog in this shell: show the in-app browser over `fs:list`, starting here. */
  | { kind: 'browse'; root: string }

export interface FilterLogo {
  index: number
  sites: number
  /** Total information content in bits. */
  ic: number
  matrix: ProbabilityRows
}

/** Return types of every request channel. */
export interface RequestReturns {
  'app:info': AppInfo
  'dialog:openFiles': OpenFilesResult
  'fs:list': { root: string; dir: string; parent: string | null; entries: FileEntry[] }
  'files:dropped': { paths: string[] }
  'project:list': { projects: { id: string; name: string; path: string; openedAt: string }[] }
  'project:create': ProjectState
  'project:open': ProjectState
  'project:save': { savedAt: string }
  'data:examples': { examples: { name: string; summary: string }[] }
  'data:makeExample': { name: string; spec: DataSpecArgs; files: string[] }
  'data:inspect': DatasetSummary
  'data:preview': SequencePreview
  'model:presets': { presets: ModelPresetInfo[] }
  'model:summary': ModelSummary
  'train:start': { jobId: string; runId: string }
  'train:resume': { jobId: string; runId: string }
  'job:cancel': { cancelled: boolean }
  'runs:list': { runs: RunInfo[] }
  'run:filters': { runId: string; filters: FilterLogo[]; skipped: { index: number; reason: string }[] }
  'run:evaluate': EvaluationView
  'run:motifs': MotifAnalysis
  'run:filter': FilterDetail
  'run:sequences': SequencePage
  'run:attribution': AttributionResult
  'export:save': ExportResult
}

export type RequestReturn<K extends RequestChannel> = RequestReturns[K]

/** Payloads of every push channel (main -> renderer). */
export interface PushPayloads {
  'job:progress': { jobId: string; progress: TrainProgress }
  'job:done': { jobId: string; runId: string; status: 'done' | 'cancelled' | 'failed'; message: string | null }
}

export type PushChannel = keyof PushPayloads

// Every schema has a return type and every return type a schema. This fails to compile
// when they drift apart (a `Missing[] = []` style check would compile for any type).
type Drift = Exclude<RequestChannel, keyof RequestReturns> | Exclude<keyof RequestReturns, RequestChannel>
export const contractIsComplete: [Drift] extends [never] ? true : false = true

/** What crosses the wire for a request and its reply. */
export interface RequestEnvelope {
  channel: string
  args: unknown
}

export type ReplyEnvelope = { ok: true; value: unknown } | { ok: false; error: { message: string; user: boolean } }

export interface PushEnvelope {
  channel: PushChannel
  payload: unknown
}

export type { EvaluationReport }
