/**
 * The training worker thread: loads the dataset, picks the fastest backend, trains, then
 * turns the first-layer filters into motifs for the run. Progress goes to the main process
 * as messages; a 'cancel' message aborts at the next batch (the best checkpoint is kept).
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { initBackend } from '../compute/backend.js'
import { createParallelStepFactory } from '../compute/step-factory.js'
import { loadDataset } from '../data/index.js'
import { describeError } from '../errors.js'
import { FILTERS_FILE } from '../handlers/train.js'
import { filterLogosForRun } from '../motifs/index.js'
import { loadModelDir, train } from '../train/index.js'
import type { TrainJobInput, WorkerCommand, WorkerMessage } from './protocol.js'

const port = parentPort
if (!port) throw new Error('train-worker must run in a worker thread')
const input = workerData as TrainJobInput
const controller = new AbortController()
port.on('message', (m: WorkerCommand) => {
  if (m.type === 'cancel') controller.abort()
})
const send = (m: WorkerMessage) => port.postMessage(m)

async function run(): Promise<void> {
  const backend = await initBackend('auto')
  send({ type: 'progress', progress: { kind: 'log', level: 'info', message: `backend: ${backend.detail}` } })
  const dataset = await loadDataset(input.spec, { cacheDir: input.cacheDir, signal: controller.signal })
  const { config } = input
  const result = await train(
    {
      dataset,
      model: config.model,
      optimizer: config.optimizer,
      learningRate: config.learningRate,
      momentum: config.momentum,
      nesterov: config.nesterov,
      patience: config.patience,
      reverseComplement: config.reverseComplement,
      classWeights: config.classWeights,
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      outDir: input.runDir,
      resume: input.resume,
      overwrite: !input.resume,
      dataSpec: input.spec,
      backend: { name: backend.name, detail: backend.detail },
      // both cores through worker threads where the backend is WebAssembly
      stepFactory: createParallelStepFactory({ onBackend: (d) => send({ type: 'progress', progress: { kind: 'log', level: 'info', message: `training on ${d}` } }) }),
    },
    { signal: controller.signal, onProgress: (progress) => send({ type: 'progress', progress }) },
  )
  send({ type: 'progress', progress: { kind: 'log', level: 'info', message: 'finding the motifs the first-layer filters learned…' } })
  if (result.best === null) {
    send({ type: 'done', status: result.status === 'cancelled' ? 'cancelled' : 'failed', message: result.message ?? 'no epoch finished, so there is no model to read motifs from' })
    return
  }
  const model = await loadModelDir(join(input.runDir, 'best'))
  const logos = await filterLogosForRun(model, dataset)
  await writeFile(join(input.runDir, FILTERS_FILE), JSON.stringify(logos))
  model.dispose()
  send({ type: 'done', status: result.status === 'cancelled' ? 'cancelled' : result.status === 'diverged' ? 'failed' : 'done', message: result.message })
}

run().catch((e: unknown) => {
  if (controller.signal.aborted) send({ type: 'done', status: 'cancelled', message: null })
  else send({ type: 'done', status: 'failed', message: describeError(e) })
})
