/**
 * Training progress as terminal text: a one-line bar redrawn in place when stderr is a
 * terminal, plain one-line-per-epoch output otherwise (logs, CI, pipes).
 */
import type { TrainProgress } from '../../shared/types.js'

export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return '?'
  const s = Math.round(seconds)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
}

const fmt = (x: number | null | undefined, digits = 4) => (x === null || x === undefined || !Number.isFinite(x) ? '-' : x.toFixed(digits))

export function epochLine(p: Extract<TrainProgress, { kind: 'epoch' }>, epochs: number): string {
  const metrics = Object.entries(p.metrics)
    .map(([k, v]) => `${k} ${fmt(v)}`)
    .join('  ')
  return [`epoch ${p.epoch}/${epochs}`, `loss ${fmt(p.loss)}`, `val_loss ${fmt(p.valLoss)}`, metrics, `lr ${p.lr.toPrecision(3)}`, formatDuration(p.seconds), p.best ? '*best' : '']
    .filter(Boolean)
    .join('  ')
}

/** Returns an onProgress hook that writes to `write` (stderr). */
export function progressPrinter(write: (text: string) => void, isTTY: boolean): (p: TrainProgress) => void {
  let epochs = 0
  let barShown = false
  const clearBar = () => {
    if (barShown) write('\r\x1b[2K')
    barShown = false
  }
  return (p) => {
    switch (p.kind) {
      case 'start':
        epochs = p.epochs
        write(`training on ${p.backend}: ${p.trainSize} training and ${p.validSize} validation sequences, ${p.batchesPerEpoch} batches per epoch, ${p.params.toLocaleString('en-US')} parameters -> ${p.runDir}\n`)
        break
      case 'batch': {
        if (!isTTY) break
        const width = 24
        const filled = Math.round((width * p.batch) / p.batches)
        const bar = '#'.repeat(filled) + '.'.repeat(width - filled)
        write(`\r\x1b[2Kepoch ${p.epoch}/${epochs} [${bar}] ${p.batch}/${p.batches}  loss ${fmt(p.loss)}  ${Math.round(p.samplesPerSec)} seq/s  ETA ${formatDuration(p.etaSec)}`)
        barShown = true
        break
      }
      case 'epoch':
        clearBar()
        write(`${epochLine(p, epochs)}\n`)
        break
      case 'log':
        clearBar()
        write(`${p.level === 'info' ? '' : `${p.level}: `}${p.message}\n`)
        break
    }
  }
}
