/**
 * One motif-scan worker (see scan.ts): holds the first layer on its own backend (wasm,
 * one thread) and answers 'max' and 'threshold' requests for batches it is handed, and/or
 * a motif database to answer 'compare' requests; replies come back in request order.
 */
import { parentPort, workerData } from 'node:worker_threads'
import { initBackend } from '../compute/backend.js'
import { compareMotifs } from './compare.js'
import { SpecKernels, type ScanReply, type ScanRequest, type ScanWorkerInit } from './scan.js'

const port = parentPort
if (!port) throw new Error('scan-worker must run in a worker thread')
const init = workerData as ScanWorkerInit

async function start(): Promise<void> {
  // A compare-only worker needs no tensors.
  let info = { detail: 'JavaScript' }
  if (init.spec) {
    try {
      info = await initBackend('wasm')
    } catch {
      info = await initBackend('cpu')
    }
  }
  const kernels = init.spec && init.length ? new SpecKernels(init.spec, init.length) : null
  const send = (r: ScanReply, transfer: ArrayBuffer[] = []): void => port!.postMessage(r, transfer)
  port!.on('message', (m: ScanRequest) => {
    try {
      if (m.type === 'compare') {
        if (!init.database) throw new Error('this worker has no motif database')
        const db = init.database
        send({ type: 'compare', result: m.queries.map((q) => compareMotifs(q, db, m.options)) })
        return
      }
      if (!kernels) throw new Error('this worker has no first layer to scan with')
      if (m.type === 'max') {
        const result = kernels.max(m.x, m.n)
        send({ type: 'max', result }, [result.max.buffer as ArrayBuffer, result.argmax.buffer as ArrayBuffer])
      } else {
        const result = kernels.threshold(m.x, m.n, m.thresholds)
        send({ type: 'threshold', result }, [result.counts.buffer as ArrayBuffer, result.sites.buffer as ArrayBuffer])
      }
    } catch (e) {
      send({ type: 'error', message: e instanceof Error ? e.message : String(e) })
    }
  })
  send({ type: 'ready', backend: info.detail })
}

start().catch((e: unknown) => port.postMessage({ type: 'error', message: e instanceof Error ? e.message : String(e) } satisfies ScanReply))
