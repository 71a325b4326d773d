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
import type { DatasetSummary, ProbabilityRows, TrainProgress } from './types.js'

const path = z.string().min(1).max(4096)
const runId = z.string().regex(/^[A-Za-z0-9._-]{1,128}$/, 'not a run id')
const jobId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'not a job id')

export const fileKinds = ['fasta', 'table', 'bed', 'genome', 'meme', 'any'] as const
export type FileKind = (typeof fileKinds)[number]

const dataSpec = z
  .object({
    positives: z.array(path).max(1000).optional(),
    negatives: z.array(path).max(1000).optional(),
    fasta: z.array(path).max(1000).optional(),
    labels: path.optional(),
    alphabet: z.enum(['dna', 'rna', 'binary', 'protein', 'auto']).optional(),
    length: z.number().int().min(1).max(1_000_000).optional(),
    lengthMode: z.enum(['pad', 'crop']).optional(),
    split: z.string().max(200).optional(),
    background: z.enum(['shuffle', 'gc']).optional(),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
  })
  .strict()

const trainConfig = z
  .object({
    model: z.string().regex(/^[a-z0-9-]{1,40}$/),
    epochs: z.number().int().min(1).max(10_000),
    batchSize: z.number().int().min(1).max(4096),
    learningRate: z.number().positive().max(10),
    optimizer: z.enum(['adam', 'sgd', 'rmsprop']),
    seed: z.number().int().min(0).max(2 ** 31 - 1),
  })
  .strict()

/** Argument schemas of every request channel. */
export const requestSchemas = {
  'app:info': z.object({}).strict(),
  /** Ask for files: the native dialog in Electron; in browser mode the answer says to browse. */
  'dialog:openFiles': z.object({ kind: z.enum(fileKinds), multiple: z.boolean(), title: z.string().max(200) }).strict(),
  /** List a folder inside the served root (browser mode's file browser). */
  'fs:list': z.object({ dir: path.optional() }).strict(),
  /** Grant access to files the user dropped (Electron: paths from webUtils.getPathForFile). */
  'files:dropped': z.object({ paths: z.array(path).min(1).max(1000) }).strict(),
  'data:inspect': z.object({ spec: dataSpec }).strict(),
  'train:start': z.object({ spec: dataSpec, config: trainConfig }).strict(),
  'job:cancel': z.object({ jobId }).strict(),
  'run:filters': z.object({ runId }).strict(),
} as const

export type RequestChannel = keyof typeof requestSchemas
export type RequestArgs<K extends RequestChannel> = z.input<(typeof requestSchemas)[K]>
export type ParsedArgs<K extends RequestChannel> = z.output<(typeof requestSchemas)[K]>
export type TrainConfig = z.output<typeof trainConfig>

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
  'data:inspect': DatasetSummary
  'train:start': { jobId: string; runId: string }
  'job:cancel': { cancelled: boolean }
  'run:filters': { runId: string; filters: FilterLogo[]; skipped: { index: number; reason: string }[] }
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
