/**
 * The session's state, shared by the views: the chosen files, the dataset summary, the
 * training job and its progress (fed by the contract's push channels), and the finished run.
 */
import type { DatasetSummary, TrainProgress } from '../../../shared/types'
import type { AppInfo, FilterLogo } from '../../../shared/contract'
import { api } from './api'

export type ViewName = 'data' | 'train' | 'motifs'

export interface EpochPoint {
  epoch: number
  loss: number
  valLoss: number | null
}

export const app = $state({
  view: 'data' as ViewName,
  info: null as AppInfo | null,
  positives: [] as string[],
  negatives: [] as string[],
  summary: null as DatasetSummary | null,
  dataError: null as string | null,
  inspecting: false,
  jobId: null as string | null,
  runId: null as string | null,
  status: 'idle' as 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'failed',
  statusMessage: null as string | null,
  backend: null as string | null,
  progress: null as Extract<TrainProgress, { kind: 'batch' }> | null,
  batchLosses: [] as number[],
  epochs: [] as EpochPoint[],
  log: [] as string[],
  filters: [] as FilterLogo[],
  skipped: [] as { index: number; reason: string }[],
  filtersError: null as string | null,
})

function onProgress(p: TrainProgress): void {
  switch (p.kind) {
    case 'start':
      app.status = 'running'
      app.backend = p.backend
      app.log.push(`training on ${p.trainSize} sequences (${p.validSize} for validation), ${p.params.toLocaleString()} parameters, backend ${p.backend}`)
      break
    case 'batch':
      app.progress = p
      app.batchLosses.push(p.loss)
      break
    case 'epoch':
      app.epochs.push({ epoch: p.epoch, loss: p.loss, valLoss: p.valLoss })
      app.log.push(`epoch ${p.epoch + 1}: loss ${p.loss.toFixed(4)}${p.valLoss === null ? '' : `, validation loss ${p.valLoss.toFixed(4)}`}${p.best ? ' (best so far)' : ''}`)
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
    if (status !== 'failed') void loadFilters(runId)
  })
}

export async function loadFilters(runId: string): Promise<void> {
  try {
    const r = await api.invoke('run:filters', { runId })
    app.runId = runId
    app.filters = r.filters
    app.skipped = r.skipped
    app.filtersError = null
  } catch (e) {
    app.filtersError = e instanceof Error ? e.message : String(e)
  }
}

export async function startTraining(config: { epochs: number; batchSize: number; learningRate: number }): Promise<void> {
  app.status = 'starting'
  app.statusMessage = null
  app.progress = null
  app.batchLosses = []
  app.epochs = []
  app.log = []
  app.filters = []
  app.filtersError = null
  try {
    const r = await api.invoke('train:start', {
      spec: { positives: app.positives, negatives: app.negatives },
      config: { model: 'motif-cnn', optimizer: 'adam', seed: 1, ...config },
    })
    app.jobId = r.jobId
    app.runId = r.runId
  } catch (e) {
    app.status = 'failed'
    app.statusMessage = e instanceof Error ? e.message : String(e)
  }
}

export async function cancelTraining(): Promise<void> {
  if (app.jobId) await api.invoke('job:cancel', { jobId: app.jobId })
}
