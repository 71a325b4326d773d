/**
 * Long work (training) runs in a worker thread so the main process's event loop, and with it
 * IPC and the window, stays responsive. A job has an id, pushes progress to every renderer,
 * and can be cancelled at any batch; the worker keeps the best checkpoint when it stops.
 */
import { randomUUID } from 'node:crypto'
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import type { Worker } from 'node:worker_threads'
import type { TrainConfig } from '../../shared/contract.js'
import type { DataSpec } from '../../shared/types.js'
import { UserError } from '../errors.js'
import type { PushSink } from '../ipc/dispatch.js'
import { startWorker } from '../worker-script.js'
import type { TrainJobInput, WorkerMessage } from './protocol.js'

interface RunningJob {
  worker: Worker
  runId: string
  cancelled: boolean
}

export function newRunId(now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-')
  return `run-${stamp}-${randomUUID().slice(0, 6)}`
}

export class JobManager {
  private readonly jobs = new Map<string, RunningJob>()

  constructor(
    private readonly push: PushSink,
    private readonly cacheDir: string,
  ) {}

  /** Train a new run in a new folder under runsDir. */
  async startTraining(spec: DataSpec, config: TrainConfig, runsDir: string): Promise<{ jobId: string; runId: string }> {
    const runId = newRunId()
    const runDir = join(runsDir, runId)
    await mkdir(runDir, { recursive: true })
    return this.launch({ spec, config, runDir, cacheDir: this.cacheDir, resume: false }, runId)
  }

  /** Continue a run from its last checkpoint (after a cancel, a crash or a kill). */
  async resumeTraining(spec: DataSpec, config: TrainConfig, runDir: string, runId: string): Promise<{ jobId: string; runId: string }> {
    for (const job of this.jobs.values()) if (job.runId === runId) throw new UserError(`run ${runId} is already training`)
    return this.launch({ spec, config, runDir, cacheDir: this.cacheDir, resume: true }, runId)
  }

  private launch(input: TrainJobInput, runId: string): { jobId: string; runId: string } {
    const jobId = randomUUID()
    const worker = startWorker('train-worker', { workerData: input })
    const job: RunningJob = { worker, runId, cancelled: false }
    this.jobs.set(jobId, job)
    let finished = false
    const finish = (status: 'done' | 'cancelled' | 'failed', message: string | null) => {
      if (finished) return
      finished = true
      this.jobs.delete(jobId)
      this.push('job:done', { jobId, runId, status, message })
    }
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') this.push('job:progress', { jobId, progress: m.progress })
      else if (m.type === 'done') finish(job.cancelled && m.status === 'done' ? 'cancelled' : m.status, m.message)
    })
    worker.on('error', (e) => finish('failed', `training stopped: ${e.message}`))
    worker.on('exit', (code) => finish(job.cancelled ? 'cancelled' : 'failed', code === 0 ? 'training ended without a result' : `training worker exited with code ${code}`))
    return { jobId, runId }
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId)
    if (!job) return false
    job.cancelled = true
    job.worker.postMessage({ type: 'cancel' })
    return true
  }

  /** Stop every job (window closed, server stopped). */
  async stopAll(): Promise<void> {
    await Promise.all([...this.jobs.values()].map((j) => j.worker.terminate()))
    this.jobs.clear()
  }
}
