/**
 * The Motifs view: a run's first-layer filters read as motifs (`run:motifs`), and one
 * filter's page (`run:filter`). The analysis (extraction, database matches, influence) is
 * computed once per run, method and database and cached in `<runDir>/motifs/`, so reopening
 * the view, a filter page or an export is instant:
 *   <key>.json   the MotifAnalysis, per-filter activation histograms, the filters TSV
 *   <key>.bin    per sequence and filter: argmax position and maximum activation
 *   current.json the key the user last chose (exports and filter pages use it)
 * key = `<method>-<database id>`; a cache is recomputed when run.json changed (the run was
 * resumed) since it was written.
 */
import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { reverseComplementRows } from '../../shared/logo/index.js'
import type { FilterDetail, FilterView, MotifAnalysis } from '../../shared/views.js'
import { decodeCodes } from '../data/alphabet.js'
import type { Dataset } from '../data/types.js'
import { UserError } from '../errors.js'
import { filterTable } from '../export/tables.js'
import { analyseFilters, bestMatches, evenlySpaced } from '../motifs/analyse.js'
import { bundledDatabasePath, loadMotifDatabase, type MotifDatabase } from '../motifs/database.js'
import type { Histogram } from '../motifs/extract.js'
import { interpretationIndices, RUN_LOGO_SEQUENCES } from '../motifs/run-logos.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import type { HandlerDeps } from './index.js'
import type { OpenRun } from './runs.js'

/** Sequences influence is measured on, at most (evenly spaced over the held-out set). */
export const INFLUENCE_SEQUENCES = 2000
/** Known-motif matches kept per filter. */
export const MATCHES_PER_FILTER = 3
/** Top sequences listed on a filter's page. */
export const TOP_SEQUENCES = 20

const CACHE_FORMAT = 'motiflens-motifs'
const CACHE_VERSION = 1
export const BUNDLED_DATABASE_NAME = 'JASPAR 2024 CORE vertebrates (non-redundant)'

export type MotifMethod = MotifAnalysis['method']

/** What `<key>.json` holds. */
export interface CachedMotifs {
  format: typeof CACHE_FORMAT
  version: number
  key: string
  /** run.json's `updated` when this was computed. */
  runUpdated: string
  databasePath: string
  letters: string
  /** Filter width (columns) and activation positions per sequence. */
  width: number
  positions: number
  analysis: MotifAnalysis
  /** Per filter: histogram of each sequence's maximum activation. */
  histograms: Histogram[]
  influence: { sequences: number; lossKind: string; baseLoss: number; baseAuc: number | null; aucDelta: (number | null)[] } | null
  matchNote: string | null
  scanner: string
  /** The filters table (export/tables.ts filterTable) as written at analysis time. */
  filtersTsv: string
}

/** Per sequence and filter, read back from `<key>.bin`. */
export interface CachedPositions {
  /** Dataset indices, in analysis order. */
  indices: Uint32Array
  filters: number
  /** Row-major `[sequence][filter]`: window start of the maximum (forward strand, 0-based). */
  argmax: Int32Array
  /** Row-major `[sequence][filter]`: the maximum activation. */
  max: Float32Array
}

/** The sequences filters are read on: those positive for any target (all if none is), evenly thinned. */
export function motifIndices(dataset: Dataset, max = RUN_LOGO_SEQUENCES): Uint32Array {
  const all = dataset.indices('all')
  const T = dataset.targets.length
  const positive = all.filter((i) => {
    for (let t = 0; t < T; t++) if (dataset.label(i, t) > 0.5) return true
    return false
  })
  return evenlySpaced(positive.length > 0 ? positive : all, max)
}

async function databaseKey(path: string | null): Promise<{ id: string; path: string; name: string }> {
  if (path === null) return { id: 'jaspar2024', path: bundledDatabasePath(), name: BUNDLED_DATABASE_NAME }
  const s = await stat(path)
  const id = createHash('sha1').update(`${path}\0${s.size}\0${s.mtimeMs}`).digest('hex').slice(0, 12)
  return { id: `db-${id}`, path, name: basename(path) }
}

const cacheDir = (runDir: string) => join(runDir, 'motifs')

async function writeAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.tmp-${process.pid}`
  await writeFile(tmp, data)
  await rename(tmp, path)
}

function encodePositions(indices: Uint32Array, F: number, argmax: Int32Array, max: Float32Array): Uint8Array {
  const N = indices.length
  const out = new Uint8Array(8 + 4 * (N + 2 * N * F))
  const view = new DataView(out.buffer)
  view.setUint32(0, N, true)
  view.setUint32(4, F, true)
  out.set(new Uint8Array(indices.buffer, indices.byteOffset, 4 * N), 8)
  out.set(new Uint8Array(argmax.buffer, argmax.byteOffset, 4 * N * F), 8 + 4 * N)
  out.set(new Uint8Array(max.buffer, max.byteOffset, 4 * N * F), 8 + 4 * N + 4 * N * F)
  return out
}

export async function readPositions(runDir: string, key: string): Promise<CachedPositions> {
  const buf = await readFile(join(cacheDir(runDir), `${key}.bin`))
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength)
  const N = view.getUint32(0, true)
  const F = view.getUint32(4, true)
  // copy out: the file buffer's offset need not be 4-aligned
  const body = new Uint8Array(buf.subarray(8)).buffer
  return {
    indices: new Uint32Array(body, 0, N),
    filters: F,
    argmax: new Int32Array(body, 4 * N, N * F),
    max: new Float32Array(body, 4 * N + 4 * N * F, N * F),
  }
}

/** Compute the analysis of an open run and write its cache; returns what was cached. */
async function computeMotifs(open: OpenRun, method: MotifMethod, db: { id: string; path: string; name: string }, database: MotifDatabase, key: string): Promise<CachedMotifs> {
  const t0 = performance.now()
  const { model, dataset, run, dir } = open
  const indices = motifIndices(dataset)
  // influence re-runs the layers after the first convolution, which needs a sequential model
  const influenceIndices = model.getClassName() === 'Sequential' ? interpretationIndices(dataset, INFLUENCE_SEQUENCES) : null
  const a = await analyseFilters(model, dataset, indices, { method, database, top: MATCHES_PER_FILTER, influenceIndices })
  const ex = a.extraction
  const influenceOf = new Map(a.influence?.filters.map((f) => [f.filter, f]) ?? [])
  const filters: FilterView[] = ex.filters.map((f) => ({
    index: f.filter,
    sites: f.sites,
    skipped: f.skipped,
    ic: f.ic.total,
    consensus: f.consensus,
    matrix: { letters: f.matrix.letters, rows: f.matrix.rows },
    trimmed: { start: f.trimmed.start, end: f.trimmed.end },
    influence: influenceOf.get(f.filter)?.lossDelta ?? null,
    matches: (a.matches.get(f.filter) ?? []).map((m) => {
      const target = database.motifs[m.index].matrix
      const rows = { letters: target.letters, rows: target.rows }
      return {
        id: m.id,
        name: m.name,
        offset: m.offset,
        strand: m.strand,
        overlap: m.overlap,
        score: m.score,
        pValue: m.pValue,
        qValue: m.qValue,
        matrix: m.strand === '-' ? reverseComplementRows(rows) : rows,
      }
    }),
  }))
  const analysis: MotifAnalysis = {
    runId: open.runId,
    method,
    database: db.name,
    sequences: indices.length,
    background: ex.background,
    filters,
    seconds: (performance.now() - t0) / 1000,
  }
  const cached: CachedMotifs = {
    format: CACHE_FORMAT,
    version: CACHE_VERSION,
    key,
    runUpdated: run.updated,
    databasePath: db.path,
    letters: ex.letters,
    width: ex.width,
    positions: ex.positions,
    analysis,
    histograms: ex.filters.map((f) => f.histogram),
    influence: a.influence && {
      sequences: a.influence.sequences,
      lossKind: a.influence.lossKind,
      baseLoss: a.influence.baseLoss,
      baseAuc: a.influence.baseAuc,
      aucDelta: ex.filters.map((f) => influenceOf.get(f.filter)?.aucDelta ?? null),
    },
    matchNote: a.matchNote,
    scanner: ex.scanner,
    filtersTsv: filterTable(ex, { influence: a.influence ?? undefined, matches: bestMatches(a) }),
  }
  await mkdir(cacheDir(dir), { recursive: true })
  await writeAtomic(join(cacheDir(dir), `${key}.bin`), encodePositions(ex.indices, ex.filters.length, ex.argmaxPositions, ex.maxActivations))
  await writeAtomic(join(cacheDir(dir), `${key}.json`), JSON.stringify(cached))
  return cached
}

async function readCached(runDir: string, key: string, runUpdated: string): Promise<CachedMotifs | null> {
  const path = join(cacheDir(runDir), `${key}.json`)
  if (!existsSync(path) || !existsSync(join(cacheDir(runDir), `${key}.bin`))) return null
  try {
    const c = JSON.parse(await readFile(path, 'utf8')) as CachedMotifs
    return c.format === CACHE_FORMAT && c.version === CACHE_VERSION && c.runUpdated === runUpdated ? c : null
  } catch {
    return null // a damaged cache is recomputed
  }
}

/**
 * The motif analyses of runs, cached on disk and computed at most once at a time per run,
 * method and database. One per engine (the handlers of both views share it).
 */
export class MotifStore {
  private readonly inFlight = new Map<string, Promise<CachedMotifs>>()

  constructor(private readonly deps: HandlerDeps) {}

  /** The analysis for this method and database (null: the bundled JASPAR), from cache or computed. */
  async analyse(runId: string, method: MotifMethod, databasePath: string | null): Promise<CachedMotifs> {
    const checked = databasePath === null ? null : await this.deps.shell.paths.check(databasePath)
    const db = await databaseKey(checked)
    const key = `${method}-${db.id}`
    const open = await this.deps.runs.open(runId)
    const flightKey = `${open.dir}\0${key}`
    let p = this.inFlight.get(flightKey)
    if (!p) {
      p = (async () => {
        const hit = await readCached(open.dir, key, open.run.updated)
        if (hit) return hit
        const database = loadMotifDatabase(db.path)
        return computeMotifs(open, method, db, database, key)
      })()
      this.inFlight.set(flightKey, p)
      p.finally(() => this.inFlight.delete(flightKey)).catch(() => undefined)
    }
    const result = await p
    await mkdir(cacheDir(open.dir), { recursive: true })
    await writeAtomic(join(cacheDir(open.dir), 'current.json'), JSON.stringify({ method, databasePath: checked }))
    return result
  }

  /** The analysis the user last chose for this run (argmax + bundled JASPAR if none). */
  async current(runId: string): Promise<CachedMotifs> {
    const dir = await this.deps.runs.locate(runId)
    let choice: { method: MotifMethod; databasePath: string | null } = { method: 'argmax', databasePath: null }
    try {
      choice = JSON.parse(await readFile(join(cacheDir(dir), 'current.json'), 'utf8')) as typeof choice
    } catch {
      // no choice yet: the default
    }
    // a database chosen in an earlier session may no longer be readable (moved, or not
    // opened again in this session): the bundled JASPAR then, never a path the gate refuses
    if (choice.databasePath !== null) {
      const readable = existsSync(choice.databasePath) && (await this.deps.shell.paths.check(choice.databasePath).then(() => true, () => false))
      if (!readable) choice = { ...choice, databasePath: null }
    }
    return this.analyse(runId, choice.method, choice.databasePath)
  }

  /** One filter's page: histograms and the windows where it fires most. */
  async filterDetail(runId: string, filter: number): Promise<FilterDetail> {
    const cached = await this.current(runId)
    const view = cached.analysis.filters[filter]
    if (!view) throw new UserError(`run ${runId} has ${cached.analysis.filters.length} filters; filter ${filter} does not exist`)
    const open = await this.deps.runs.open(runId)
    const pos = await readPositions(open.dir, cached.key)
    const F = pos.filters
    const N = pos.indices.length
    const counts = new Array<number>(Math.max(1, cached.positions)).fill(0)
    const fired: number[] = []
    for (let s = 0; s < N; s++) {
      const a = pos.max[s * F + filter]
      if (!(a > 0)) continue
      fired.push(s)
      const p = pos.argmax[s * F + filter]
      if (p >= 0 && p < counts.length) counts[p]++
    }
    fired.sort((x, y) => pos.max[y * F + filter] - pos.max[x * F + filter])
    const { dataset } = open
    const W = cached.width
    const top = fired.slice(0, TOP_SEQUENCES).map((s) => {
      const index = pos.indices[s]
      const position = pos.argmax[s * F + filter]
      const codes = dataset.codes(index)
      // a window hanging over an end ('same' padding) is shown with '-' for the missing bases
      const from = Math.max(0, position)
      const to = Math.min(codes.length, position + W)
      const window = '-'.repeat(from - position) + decodeCodes(codes.subarray(from, to), dataset.alphabet) + '-'.repeat(position + W - to)
      return { index, id: dataset.id(index), position, activation: pos.max[s * F + filter], window }
    })
    const h = cached.histograms[filter]
    return { runId, filter: view, activation: { from: h.from, to: h.to, counts: h.counts }, positions: { length: cached.positions, counts }, top }
  }
}

const stores = new WeakMap<HandlerDeps, MotifStore>()

/** The engine's motif store (one per HandlerDeps, shared by the Motifs and Export handlers). */
export function motifStore(deps: HandlerDeps): MotifStore {
  let s = stores.get(deps)
  if (!s) {
    s = new MotifStore(deps)
    stores.set(deps, s)
  }
  return s
}

export function motifHandlers(deps: HandlerDeps): Pick<HandlerMap, 'run:motifs' | 'run:filter'> {
  const store = motifStore(deps)
  return {
    async 'run:motifs'({ runId, method, database }) {
      return (await store.analyse(runId, method, database)).analysis
    },
    async 'run:filter'({ runId, filter }) {
      return store.filterDetail(runId, filter)
    },
  }
}
