import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { RequestReturns } from '../../shared/contract.js'
import { UserError } from '../errors.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import { checkSpecPaths } from './data.js'
import type { HandlerDeps } from './index.js'

export const FILTERS_FILE = 'filters.json'

export function trainHandlers({ shell, jobs, runsDir }: HandlerDeps): Pick<HandlerMap, 'train:start' | 'job:cancel' | 'run:filters'> {
  return {
    async 'train:start'({ spec, config }) {
      const checked = await checkSpecPaths(spec, shell.paths)
      return jobs.startTraining(checked, config)
    },
    async 'job:cancel'({ jobId }) {
      return { cancelled: jobs.cancel(jobId) }
    },
    async 'run:filters'({ runId }) {
      let text: string
      try {
        text = await readFile(join(runsDir, runId, FILTERS_FILE), 'utf8')
      } catch {
        throw new UserError(`run ${runId} has no filter motifs yet; train it to the end first`)
      }
      return { runId, ...(JSON.parse(text) as Omit<RequestReturns['run:filters'], 'runId'>) }
    },
  }
}
