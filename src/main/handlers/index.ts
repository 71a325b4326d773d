/**
 * Every request handler, for both shells. Each area contributes its handlers as a plain
 * object; the type HandlerMap makes a missing channel a compile error.
 */
import type { HandlerMap } from '../ipc/dispatch.js'
import type { JobManager } from '../jobs/jobs.js'
import { appHandlers } from './app.js'
import { dataHandlers } from './data.js'
import type { ShellServices } from './shell.js'
import { trainHandlers } from './train.js'

export interface HandlerDeps {
  shell: ShellServices
  jobs: JobManager
  runsDir: string
  cacheDir: string
}

export function createHandlers(deps: HandlerDeps): HandlerMap {
  return {
    ...appHandlers(deps),
    ...dataHandlers(deps),
    ...trainHandlers(deps),
  }
}
