/**
 * The training worker thread: loads the dataset, picks the fastest backend, trains, then
 * turns the first-layer filters into motifs for the run. Progress goes to the main process
 * as messages; a 'cancel' message aborts at the next batch (the best checkpoint is kept).
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parentPort, workerData } from 'node:worker_threads'
import { initBackend } from '../compute/backend.js'
import { loadDataset } from '../data/index.js'
import { describeError } from '../errors.js'
import { FILTERS_FILE } from '../handlers/train.js'
import { filterLogosForRun } from '../motifs/index.js'
import { train } from '../train/index.js'
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
      model: { preset: config.model },
      optimizer: { name: config.optimizer, learningRate: config.learningRate },
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed,
      outDir: input.runDir,
      backend: backend.detail,
    },
    { signal: controller.signal, onProgress: (progress) => send({ type: 'progress', progress }) },
  )
  send({ type: 'progress', progress: { kind: 'log', level: 'info', message: 'finding the motifs the first-layer filters learned…' } })
  const logos = await filterLogosForRun(result.bestModel, dataset)
  await writeFile(join(input.runDir, FILTERS_FILE), JSON.stringify(logos))
  send({ type: 'done', status: result.cancelled ? 'cancelled' : 'done', message: null })
}

run().catch((e: unknown) => {
  if (controller.signal.aborted) send({ type: 'done', status: 'cancelled', message: null })
  else send({ type: 'done', status: 'failed', message: describeError(e) })
})
