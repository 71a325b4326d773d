import { expect, it } from 'vitest'
import { formatDuration, progressPrinter } from '../../src/main/train/progress-text.js'

it('draws a bar in place on a terminal and plain epoch lines elsewhere', () => {
  for (const tty of [true, false]) {
    let text = ''
    const print = progressPrinter((t) => (text += t), tty)
    print({ kind: 'start', backend: 'wasm', epochs: 2, batchesPerEpoch: 4, trainSize: 100, validSize: 20, params: 12345, runDir: 'r' })
    print({ kind: 'batch', epoch: 1, batch: 2, batches: 4, loss: 0.69312, samplesPerSec: 250.4, etaSec: 125 })
    print({ kind: 'epoch', epoch: 1, loss: 0.6, valLoss: 0.55, metrics: { val_roc_auc: 0.9, val_pr_auc: null }, lr: 0.001, best: true, seconds: 3.2 })
    const bar = '\r\x1b[2Kepoch 1/2 [############............] 2/4  loss 0.6931  250 seq/s  ETA 2m05s'
    const lines = 'training on wasm: 100 training and 20 validation sequences, 4 batches per epoch, 12,345 parameters -> r\n'
    const epoch = 'epoch 1/2  loss 0.6000  val_loss 0.5500  val_roc_auc 0.9000  val_pr_auc -  lr 0.00100  3s  *best\n'
    expect(text).toBe(tty ? `${lines}${bar}\r\x1b[2K${epoch}` : `${lines}${epoch}`)
  }
  expect([formatDuration(59.4), formatDuration(3725), formatDuration(Number.NaN)]).toEqual(['59s', '1h02m', '?'])
})
