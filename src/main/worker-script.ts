/**
 * Starting our worker threads. Built, each worker is `out/main/<entry>.js` (an entry of
 * electron.vite.config.ts); from source (tests, `npx tsx`, development) the TypeScript file
 * runs through tsx's loader registered inside the worker, because on Node 20 `--import tsx`
 * in a worker's execArgv does not reach its module loader.
 */
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker, type WorkerOptions } from 'node:worker_threads'
import { projectRoot } from './version.js'

export type WorkerEntry = 'train-worker' | 'parallel-worker' | 'motif-scan-worker'

const SOURCES: Record<WorkerEntry, string> = {
  'train-worker': 'src/main/jobs/train-worker.ts',
  'parallel-worker': 'src/main/compute/parallel-worker.ts',
  'motif-scan-worker': 'src/main/motifs/scan-worker.ts',
}

/** True when this module runs as TypeScript source rather than from the build. */
export function runningFromSource(): boolean {
  return fileURLToPath(import.meta.url).endsWith('.ts')
}

function builtScript(entry: WorkerEntry): string {
  return join(projectRoot(), 'out', 'main', `${entry}.js`)
}

/** Whether the worker can be started here (from source always; built only if the bundle has it). */
export function workerAvailable(entry: WorkerEntry): boolean {
  return runningFromSource() || existsSync(builtScript(entry))
}

export function startWorker(entry: WorkerEntry, options: WorkerOptions = {}): Worker {
  if (runningFromSource()) {
    const source = pathToFileURL(join(projectRoot(), SOURCES[entry])).href
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href.replace(/\.cjs$/, '.mjs')
    const boot = `const { register } = await import(${JSON.stringify(tsx)}); register(); await import(${JSON.stringify(source)})`
    return new Worker(new URL(`data:text/javascript,${encodeURIComponent(boot)}`), { ...options, execArgv: [] })
  }
  const built = builtScript(entry)
  if (!existsSync(built)) throw new Error(`worker ${entry} missing at ${built}; run 'npm run build'`)
  return new Worker(built, { ...options, execArgv: [] })
}
