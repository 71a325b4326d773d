import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RequestReturns, TrainConfig } from '../../shared/contract.js'
import { UserError } from '../errors.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import { readRunRecord } from '../train/index.js'
import { checkSpecPaths } from './data.js'
import type { HandlerDeps } from './index.js'

export const FILTERS_FILE = 'filters.json'

export function trainHandlers({ shell, jobs, runs, projects }: HandlerDeps): Pick<HandlerMap, 'train:start' | 'train:resume' | 'job:cancel' | 'runs:list' | 'run:filters'> {
  const projectPath = (id: string | null) => (id === null ? null : projects.pathOf(id))
  return {
    async 'train:start'({ spec, config, projectId }) {
      const checked = await checkSpecPaths(spec, shell.paths)
      return jobs.startTraining(checked, config, runs.runsDir(projectPath(projectId)))
    },
    async 'train:resume'({ runId }) {
      const dir = await runs.locate(runId)
      const record = await readRunRecord(dir)
      if (!record.dataset.spec) throw new UserError(`run ${runId} does not record its data, so it cannot be resumed here; use 'motiflens train --resume' with its data options`)
      const c = record.config
      const config: TrainConfig = {
        model: c.model,
        epochs: c.epochs,
        batchSize: c.batchSize,
        learningRate: c.learningRate,
        optimizer: c.optimizer,
        momentum: c.momentum,
        nesterov: c.nesterov,
        patience: c.patience,
        reverseComplement: c.reverseComplement,
        classWeights: c.classWeightsMode === 'balanced' ? 'balanced' : 'none',
        seed: c.seed,
      }
      runs.forget(runId)
      return jobs.resumeTraining(record.dataset.spec, config, dir, runId)
    },
    async 'job:cancel'({ jobId }) {
      return { cancelled: jobs.cancel(jobId) }
    },
    async 'runs:list'({ projectId }) {
      return { runs: await runs.list(projectPath(projectId)) }
    },
    async 'run:filters'({ runId }) {
      const dir = await runs.locate(runId)
      let text: string
      try {
        text = await readFile(join(dir, FILTERS_FILE), 'utf8')
      } catch {
        throw new UserError(`run ${runId} has no filter motifs yet; train it to the end first`)
      }
      return { runId, ...(JSON.parse(text) as Omit<RequestReturns['run:filters'], 'runId'>) }
    },
  }
}
