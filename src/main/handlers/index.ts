/**
 * Every request handler, for both shells. Each area contributes its handlers as a plain
 * object; the type HandlerMap makes a missing channel a compile error.
 */
import type { HandlerMap } from '../ipc/dispatch.js'
import type { JobManager } from '../jobs/jobs.js'
import { appHandlers } from './app.js'
import { dataHandlers } from './data.js'
import { evaluateHandlers } from './evaluate.js'
import { exportHandlers } from './export.js'
import { modelHandlers } from './model.js'
import { motifHandlers } from './motifs.js'
import { projectHandlers } from './project.js'
import type { ProjectStore } from './projects.js'
import type { RunStore } from './runs.js'
import { sequenceHandlers } from './sequences.js'
import type { ShellServices } from './shell.js'
import { trainHandlers } from './train.js'

export interface HandlerDeps {
  shell: ShellServices
  jobs: JobManager
  runs: RunStore
  projects: ProjectStore
  cacheDir: string
}

export function createHandlers(deps: HandlerDeps): HandlerMap {
  return {
    ...appHandlers(deps),
    ...projectHandlers(deps),
    ...dataHandlers(deps),
    ...modelHandlers(deps),
    ...trainHandlers(deps),
    ...evaluateHandlers(deps),
    ...motifHandlers(deps),
    ...sequenceHandlers(deps),
    ...exportHandlers(deps),
  }
}
