import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import * as tf from '@tensorflow/tfjs-core'
import '@tensorflow/tfjs-backend-cpu'
import { beforeAll, expect, it } from 'vitest'
import { readRunRecord, train } from '../../src/main/train/index.js'
import { SMALL_CNN, plantedDataset, tempDir } from './helpers.js'

beforeAll(async () => {
  await tf.setBackend('cpu')
})

/** Run the child trainer and SIGKILL it once it has done `killAfter` steps. */
function trainAndKill(dir: string, killAfter: number): Promise<{ signal: NodeJS.Signals | null; steps: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'fixtures', 'train-child.ts'), dir], { stdio: ['ignore', 'pipe', 'pipe'] })
    let steps = 0
    let err = ''
    child.stderr.on('data', (d) => (err += d))
    child.stdout.on('data', (d: Buffer) => {
      for (const line of d.toString().split('\n')) {
        const m = /^step (\d+)$/.exec(line)
        if (m) steps = Number(m[1])
        if (steps >= killAfter && child.exitCode === null) child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve({ signal, steps }) : reject(new Error(`child exited ${code} before the kill: ${err}`))))
  })
}

it('SIGKILL mid-epoch, then resume: continues from the last checkpoint to the uninterrupted result, best model intact', async () => {
  // 48 training rows, batches of 8: 6 per epoch. Kill in epoch 2, after its 3rd step (step 9).
  const dir = tempDir()
  const killed = await trainAndKill(dir, 9)
  expect(killed.signal).toBe('SIGKILL')
  const state = JSON.parse(readFileSync(join(dir, 'last', 'state.json'), 'utf8')).state
  expect(state.epoch).toBe(1) // checkpoints every 2 batches: killed in epoch 2 (0-based 1)
  expect(state.batch).toBeGreaterThanOrEqual(2)
  expect((await readRunRecord(dir)).status).toBe('running')
  const bestBefore = readFileSync(join(dir, 'best', 'weights.bin'))

  const ds = plantedDataset(80, 20, 21)
  const resumed = await train({ dataset: ds, model: SMALL_CNN, outDir: dir, epochs: 3, batchSize: 8, seed: 4, resume: true })
  expect(resumed.status).toBe('completed')
  expect(resumed.history.map((h) => h.epoch)).toEqual([1, 2, 3])

  const fresh = tempDir()
  const full = await train({ dataset: ds, model: SMALL_CNN, outDir: fresh, epochs: 3, batchSize: 8, seed: 4 })
  expect(resumed.history.map((h) => h.valLoss)).toEqual(full.history.map((h) => h.valLoss))
  expect(Buffer.compare(readFileSync(join(dir, 'last', 'weights.bin')), readFileSync(join(fresh, 'last', 'weights.bin')))).toBe(0)
  // best/ from before the kill was epoch 1's; it is replaced only by a better epoch
  expect(bestBefore.length).toBe(readFileSync(join(dir, 'best', 'weights.bin')).length)
  expect(Buffer.compare(readFileSync(join(dir, 'best', 'weights.bin')), readFileSync(join(fresh, 'best', 'weights.bin')))).toBe(0)
})
