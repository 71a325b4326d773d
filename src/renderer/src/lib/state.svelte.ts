/**
 * The session's state, shared by the views: the open project, the chosen data, the model
 * and training settings, the training job and its progress (fed by the contract's push
 * channels), and the run being looked at. Views read and write it directly; the project is
 * saved after changes so reopening it restores where the user was.
 */
import type { DataSpec, DatasetSummary, TrainProgress } from '../../../shared/types'
import type { AppInfo, FilterLogo, TrainConfig, ViewName } from '../../../shared/contract'
import type { ProjectState, RunInfo } from '../../../shared/views'
import { api } from './api'

export type { ViewName }

export interface EpochPoint {
  epoch: number
  loss: number
  valLoss: number | null
  metrics: Record<string, number | null>
}

export const defaultTrainConfig: TrainConfig = {
  model: { preset: 'motif-cnn' },
  epochs: 10,
  batchSize: 64,
  learningRate: 0.003,
  optimizer: 'adam',
  momentum: 0.9,
  nesterov: false,
  patience: 5,
  reverseComplement: false,
  classWeights: 'none',
  seed: 1,
}

export const app = $state({
  view: 'project' as ViewName,
  info: null as AppInfo | null,
  project: null as ProjectState | null,
  spec: {} as DataSpec,
  summary: null as DatasetSummary | null,
  dataError: null as string | null,
  inspecting: false,
  train: { ...defaultTrainConfig } as TrainConfig,
  jobId: null as string | null,
  /** The run the analysis views show (the last one trained, or one picked from the list). */
  runId: null as string | null,
  runs: [] as RunInfo[],
  status: 'idle' as 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'failed',
  statusMessage: null as string | null,
  backend: null as string | null,
  progress: null as Extract<TrainProgress, { kind: 'batch' }> | null,
  batchLosses: [] as { batch: number; loss: number }[],
  epochs: [] as EpochPoint[],
  log: [] as string[],
  filters: [] as FilterLogo[],
  skipped: [] as { index: number; reason: string }[],
  filtersError: null as string | null,
})

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e)
}

function onProgress(p: TrainProgress): void {
  switch (p.kind) {
    case 'start':
      app.status = 'running'
      app.backend = p.backend
      app.log.push(`training on ${p.trainSize.toLocaleString()} sequences (${p.validSize.toLocaleString()} for validation), ${p.params.toLocaleString()} parameters, backend ${p.backend}`)
      break
    case 'batch':
      app.progress = p
      app.batchLosses.push({ batch: (p.epoch - 1) * p.batches + p.batch, loss: p.loss })
      break
    case 'epoch':
      app.epochs.push({ epoch: p.epoch, loss: p.loss, valLoss: p.valLoss, metrics: p.metrics })
      app.log.push(`epoch ${p.epoch}: loss ${p.loss.toFixed(4)}${p.valLoss === null ? '' : `, validation loss ${p.valLoss.toFixed(4)}`}${p.best ? ' (best so far)' : ''}`)
      break
    case 'log':
      app.log.push(p.message)
      break
  }
}

let subscribed = false
export function subscribeToJobs(): void {
  if (subscribed) return
  subscribed = true
  api.on('job:progress', ({ jobId, progress }) => {
    if (jobId === app.jobId) onProgress(progress)
  })
  api.on('job:done', ({ jobId, status, message, runId }) => {
    if (jobId !== app.jobId) return
    app.status = status
    app.statusMessage = message
    app.jobId = null
    app.log.push(status === 'done' ? 'training finished' : status === 'cancelled' ? 'training cancelled; the best model so far is kept' : `training failed: ${message ?? ''}`)
    if (message && status === 'done') app.log.push(message)
    void refreshRuns()
    if (status !== 'failed') {
      app.runId = runId
      void loadFilters(runId)
      void saveProject()
    }
  })
}

export async function refreshRuns(): Promise<void> {
  try {
    app.runs = (await api.invoke('runs:list', { projectId: app.project?.id ?? null })).runs
  } catch {
    app.runs = []
  }
}

export async function loadFilters(runId: string): Promise<void> {
  try {
    const r = await api.invoke('run:filters', { runId })
    app.filters = r.filters
    app.skipped = r.skipped
    app.filtersError = null
  } catch (e) {
    app.filters = []
    app.filtersError = errorText(e)
  }
}

function resetTraining(): void {
  app.status = 'starting'
  app.statusMessage = null
  app.progress = null
  app.batchLosses = []
  app.epochs = []
  app.log = []
  app.filters = []
  app.filtersError = null
}

export async function startTraining(): Promise<void> {
  resetTraining()
  try {
    const r = await api.invoke('train:start', { spec: $state.snapshot(app.spec), config: $state.snapshot(app.train), projectId: app.project?.id ?? null })
    app.jobId = r.jobId
    app.runId = r.runId
  } catch (e) {
    app.status = 'failed'
    app.statusMessage = errorText(e)
  }
}

export async function resumeTraining(runId: string): Promise<void> {
  resetTraining()
  try {
    const r = await api.invoke('train:resume', { runId })
    app.jobId = r.jobId
    app.runId = r.runId
  } catch (e) {
    app.status = 'failed'
    app.statusMessage = errorText(e)
  }
}

export async function cancelTraining(): Promise<void> {
  if (app.jobId) await api.invoke('job:cancel', { jobId: app.jobId })
}

export function hasData(spec: DataSpec = app.spec): boolean {
  return Boolean(spec.positives?.length || spec.fasta?.length || spec.classes?.length || spec.bed?.length)
}

/** Save the open project (data, settings, run, view); silently does nothing without one. */
export async function saveProject(): Promise<void> {
  if (!app.project) return
  try {
    const { savedAt } = await api.invoke('project:save', {
      id: app.project.id,
      state: { view: app.view, spec: $state.snapshot(app.spec), train: $state.snapshot(app.train), runId: app.runId },
    })
    app.project.savedAt = savedAt
  } catch {
    // an unsaved project is shown by its old savedAt; the next change tries again
  }
}

export async function openProject(id: string): Promise<void> {
  const p = await api.invoke('project:open', { id })
  applyProject(p)
}

export function applyProject(p: ProjectState): void {
  app.project = p
  app.spec = p.spec
  app.train = { ...defaultTrainConfig, ...p.train } as TrainConfig
  app.runId = p.runId
  app.summary = null
  app.filters = []
  app.status = 'idle'
  app.view = p.view === 'project' ? 'data' : p.view
  localStorage.setItem('motiflens:lastProject', p.id)
  void refreshRuns()
  if (p.runId) void loadFilters(p.runId)
}
