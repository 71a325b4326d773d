/**
 * The engine behind either shell: handlers, jobs, runs and projects wired together once, so
 * Electron and browser mode differ only in the ShellServices and the push sink they pass.
 */
import { join } from 'node:path'
import { cacheHome, dataHome, runsHome } from '../app-paths.js'
import { createDispatcher, type PushSink } from '../ipc/dispatch.js'
import { JobManager } from '../jobs/jobs.js'
import { createHandlers } from './index.js'
import { ProjectStore } from './projects.js'
import { RunStore } from './runs.js'
import type { ShellServices } from './shell.js'

export function createEngine(shell: ShellServices, push: PushSink, env: Record<string, string | undefined>, log?: (line: string) => void) {
  const cacheDir = cacheHome(env)
  const projects = new ProjectStore(join(dataHome(env), 'projects'))
  const runs = new RunStore(runsHome(env), projects.projectsDir, cacheDir)
  const jobs = new JobManager(push, cacheDir)
  const dispatch = createDispatcher(createHandlers({ shell, jobs, runs, projects, cacheDir }), log)
  return { dispatch, jobs, runs, projects, cacheDir }
}
