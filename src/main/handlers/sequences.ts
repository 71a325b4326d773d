/**
 * The Sequences view: every sequence of a run's dataset (test split first, then validation,
 * then training) with its labels, the model's predictions, and where chosen first-layer
 * filters fire; and one sequence's attribution (in-silico saturation mutagenesis and
 * gradient x input) for a target.
 *
 * Predictions and, per filter, the best window (argmax position and activation) are computed
 * in blocks of BLOCK (64) sequences of that display order the first time a page needs them, and
 * kept in memory and in `<run>/sequences-cache/` (keyed like the evaluation cache), so
 * scrolling back, searching and reopening are instant and a 50,000-sequence set is never
 * predicted up front. Positions are 0-based window starts on the forward strand.
 */
import { existsSync } from 'node:fs'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { AttributionResult, SequencePage, SequenceRow } from '../../shared/views.js'
import { AMBIGUOUS_CODE, type SplitName } from '../data/types.js'
import { UserError } from '../errors.js'
import { predict } from '../evaluate/index.js'
import { gradientTimesInput, saturationMutagenesisAuto } from '../interpret/index.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import { convGeometry } from '../motifs/extract.js'
import { createScanner } from '../motifs/scan.js'
import { writeFileAtomic } from '../train/files.js'
import { evaluationKey, openCurrent } from './evaluate.js'
import type { HandlerDeps } from './index.js'
import type { OpenRun } from './runs.js'

/**
 * Sequences computed together (one forward pass each for predictions and the first layer).
 * Small enough that a page of search hits scattered over a big set (one block per hit at
 * worst) stays quick, large enough that browsing a 100-row page takes two or three passes.
 */
export const BLOCK = 64
export const SEQUENCES_CACHE_DIR = 'sequences-cache'
const SPLIT_ORDER: SplitName[] = ['test', 'valid', 'train']

/** One block's numbers, rows in display order. */
interface Block {
  /** `[n, targets]` */
  predictions: Float32Array
  /** `[n, filters]` best window start (may be < 0 with 'same' padding) and its activation. */
  argmax: Int32Array
  max: Float32Array
}

interface RunSequences {
  runId: string
  key: string
  dir: string
  open: OpenRun
  /** Dataset indices in display order, and the split of each display position. */
  order: Uint32Array
  splits: { split: SplitName; end: number }[]
  filters: number
  width: number
  padLeft: number
  note: string | null
  blocks: Map<number, Promise<Block>>
  search: { text: string; positions: Uint32Array } | null
}

const round = (v: number, digits = 4): number => {
  const f = 10 ** digits
  return Math.round(v * f) / f || 0 // no -0
}

function sequenceText(open: OpenRun, index: number): string {
  const { letters } = open.dataset
  let s = ''
  for (const c of open.dataset.codes(index)) s += c === AMBIGUOUS_CODE || c >= letters.length ? 'N' : letters[c]
  return s
}

export class SequenceBrowser {
  private current: RunSequences | null = null
  private attributions = new Map<string, Promise<AttributionResult>>()

  constructor(private readonly runs: Pick<HandlerDeps['runs'], 'open' | 'forget'>) {}

  private lock: Promise<unknown> = Promise.resolve()

  /** The run's display order and cache folder; one at a time, so two first pages never race on the cache. */
  private state(runId: string): Promise<RunSequences> {
    const next = this.lock.catch(() => undefined).then(() => this.stateNow(runId))
    this.lock = next
    return next
  }

  private async stateNow(runId: string): Promise<RunSequences> {
    const open = await openCurrent(this.runs, runId)
    const key = evaluationKey(open)
    if (this.current && this.current.runId === runId && this.current.key === key && this.current.open === open) return this.current
    const parts = SPLIT_ORDER.map((s) => ({ split: s, idx: open.dataset.indices(s) }))
    const order = new Uint32Array(parts.reduce((a, p) => a + p.idx.length, 0))
    const splits: RunSequences['splits'] = []
    let at = 0
    for (const p of parts) {
      order.set(p.idx, at)
      at += p.idx.length
      splits.push({ split: p.split, end: at })
    }
    let filters = 0
    let width = 0
    let padLeft = 0
    let note: string | null = null
    try {
      const geo = convGeometry(open.model)
      ;({ filters, width, padLeft } = geo)
    } catch (e) {
      if (!(e instanceof UserError)) throw e
      note = `No filter marks: ${e.message}`
    }
    const dir = join(open.dir, SEQUENCES_CACHE_DIR)
    const keyFile = join(dir, 'key.json')
    const stored = { key, block: BLOCK } // files of another block size hold other sequences
    let valid: boolean
    try {
      const k = JSON.parse(await readFile(keyFile, 'utf8')) as typeof stored
      valid = k.key === key && k.block === BLOCK
    } catch {
      valid = false // no cache yet
    }
    if (!valid) {
      await rm(dir, { recursive: true, force: true })
      await mkdir(dir, { recursive: true })
      await writeFile(keyFile, JSON.stringify(stored))
    }
    this.current = { runId, key, dir, open, order, splits, filters, width, padLeft, note, blocks: new Map(), search: null }
    this.attributions.clear()
    return this.current
  }

  private block(s: RunSequences, b: number): Promise<Block> {
    let p = s.blocks.get(b)
    if (!p) {
      p = this.computeBlock(s, b)
      s.blocks.set(b, p)
      p.catch(() => s.blocks.delete(b))
    }
    return p
  }

  private async computeBlock(s: RunSequences, b: number): Promise<Block> {
    const idx = s.order.subarray(b * BLOCK, Math.min(s.order.length, (b + 1) * BLOCK))
    const n = idx.length
    const T = s.open.dataset.targets.length
    const F = s.filters
    const file = join(s.dir, `block-${b}.bin`)
    const bytes = n * T * 4 + n * F * 8
    if (existsSync(file)) {
      const buf = await readFile(file)
      if (buf.byteLength === bytes) {
        const copy = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength)
        return { predictions: new Float32Array(copy, 0, n * T), argmax: new Int32Array(copy, n * T * 4, n * F), max: new Float32Array(copy, n * T * 4 + n * F * 4, n * F) }
      }
    }
    const predictions = await predict(s.open.model, s.open.dataset, idx, BLOCK)
    const argmax = new Int32Array(n * F)
    const max = new Float32Array(n * F)
    if (F > 0) {
      const { dataset, model } = s.open
      const scanner = await createScanner(model, dataset.length, dataset.letters.length, s.padLeft, { workers: 1 })
      try {
        const r = await scanner.max(dataset.batch(idx).x, n)
        max.set(r.max)
        for (let i = 0; i < n * F; i++) argmax[i] = r.argmax[i] - s.padLeft
      } finally {
        await scanner.dispose()
      }
    }
    const out = new Uint8Array(bytes)
    out.set(new Uint8Array(predictions.buffer, predictions.byteOffset, n * T * 4), 0)
    out.set(new Uint8Array(argmax.buffer), n * T * 4)
    out.set(new Uint8Array(max.buffer), n * T * 4 + n * F * 4)
    await writeFileAtomic(file, out)
    return { predictions, argmax, max }
  }

  /** Display positions whose id contains `text` (case-insensitive); all when empty. */
  private matching(s: RunSequences, text: string): Uint32Array | null {
    const q = text.trim().toLowerCase()
    if (!q) return null
    if (s.search?.text === q) return s.search.positions
    const hits: number[] = []
    for (let k = 0; k < s.order.length; k++) if (s.open.dataset.id(s.order[k]).toLowerCase().includes(q)) hits.push(k)
    s.search = { text: q, positions: Uint32Array.from(hits) }
    return s.search.positions
  }

  async page(args: { runId: string; offset: number; limit: number; filters: number[]; search: string }): Promise<SequencePage> {
    const s = await this.state(args.runId)
    const { dataset } = s.open
    for (const f of args.filters)
      if (f >= s.filters) throw new UserError(s.filters === 0 ? `run ${args.runId}: the model has no first-layer filters to mark` : `filter ${f} does not exist: the first layer has ${s.filters} filters (0..${s.filters - 1})`)
    const hits = this.matching(s, args.search)
    const total = hits ? hits.length : s.order.length
    const positions: number[] = []
    for (let k = args.offset; k < Math.min(total, args.offset + args.limit); k++) positions.push(hits ? hits[k] : k)
    const T = dataset.targets.length
    const F = s.filters
    const rows: SequenceRow[] = []
    for (const pos of positions) {
      const b = Math.floor(pos / BLOCK)
      const blk = await this.block(s, b)
      const r = pos - b * BLOCK
      const index = s.order[pos]
      const marks: SequenceRow['marks'] = []
      for (const f of args.filters) {
        const activation = blk.max[r * F + f]
        if (activation > 0) marks.push({ filter: f, position: blk.argmax[r * F + f], width: s.width, activation: round(activation) })
      }
      rows.push({
        index,
        id: dataset.id(index),
        split: (s.splits.find((x) => pos < x.end) ?? s.splits[s.splits.length - 1]).split,
        labels: Array.from({ length: T }, (_, t) => dataset.label(index, t)),
        predictions: Array.from(blk.predictions.subarray(r * T, (r + 1) * T), (v) => round(v)),
        sequence: sequenceText(s.open, index),
        marks,
      })
    }
    return {
      runId: args.runId,
      total,
      offset: args.offset,
      targets: [...dataset.targets],
      rows,
      letters: dataset.letters,
      filterCount: F,
      filterWidth: s.width,
      note: s.note,
    }
  }

  /**
   * Saturation mutagenesis (every single mutant predicted, in batches) and gradient x input
   * of one sequence for one target; the last few are kept in memory.
   */
  async attribution(args: { runId: string; sequence: number; target: number }): Promise<AttributionResult> {
    const s = await this.state(args.runId)
    const { dataset, model } = s.open
    if (args.sequence >= dataset.size) throw new UserError(`sequence ${args.sequence} does not exist: run ${args.runId} has ${dataset.size} sequences (0..${dataset.size - 1})`)
    if (args.target >= dataset.targets.length)
      throw new UserError(`target ${args.target} does not exist: run ${args.runId} has ${dataset.targets.length} targets (0..${dataset.targets.length - 1})`)
    const key = `${args.sequence}:${args.target}`
    let p = this.attributions.get(key)
    if (!p) {
      p = (async (): Promise<AttributionResult> => {
        const x = dataset.batch([args.sequence]).x
        const A = dataset.letters.length
        // conv stacks with pooling: each layer recomputes only what a mutation reaches (same numbers; Basset 1000 bp: 8 s, not 118 s)
        const mut = await saturationMutagenesisAuto(model, x, args.target, { batchSize: 64 })
        const sal = await gradientTimesInput(model, x, args.target)
        const rows = (v: Float32Array): number[][] => Array.from({ length: v.length / A }, (_, i) => Array.from(v.subarray(i * A, (i + 1) * A), (z) => round(z, 6)))
        return {
          runId: args.runId,
          index: args.sequence,
          id: dataset.id(args.sequence),
          target: args.target,
          sequence: sequenceText(s.open, args.sequence),
          letters: dataset.letters,
          prediction: mut.reference,
          mutagenesis: rows(mut.deltas),
          saliency: rows(sal.attribution),
        }
      })()
      this.attributions.set(key, p)
      p.catch(() => this.attributions.delete(key))
      while (this.attributions.size > 16) this.attributions.delete(this.attributions.keys().next().value as string)
    }
    return p
  }
}

export function sequenceHandlers({ runs }: HandlerDeps): Pick<HandlerMap, 'run:sequences' | 'run:attribution'> {
  const browser = new SequenceBrowser(runs)
  return {
    async 'run:sequences'(args) {
      return browser.page(args)
    },
    async 'run:attribution'(args) {
      return browser.attribution(args)
    },
  }
}
