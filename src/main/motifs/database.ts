/**
 * Known-motif databases in MEME format. The app bundles JASPAR 2024 CORE vertebrates
 * (non-redundant), converted from JASPAR's TRANSFAC counts by `jasparToMeme`; see
 * resources/jaspar/README.md for the licence (CC BY 4.0) and the citation.
 */
import { join } from 'node:path'
import { projectRoot } from '../version.js'
import type { CountMotif } from './count-formats.js'
import { countsToProbabilities, type Motif } from './matrix.js'
import { readMemeFile, writeMeme, type MemeFile } from './meme.js'

export const BUNDLED_DATABASE = 'resources/jaspar/JASPAR2024_CORE_vertebrates_non-redundant.meme'

export interface MotifDatabase extends MemeFile {
  path: string
}

export function bundledDatabasePath(): string {
  return join(projectRoot(), BUNDLED_DATABASE)
}

const cache = new Map<string, MotifDatabase>()

/** Read a MEME motif database (default: the bundled JASPAR file); parsed once per path. */
export function loadMotifDatabase(path?: string): MotifDatabase {
  const p = path ?? bundledDatabasePath()
  let db = cache.get(p)
  if (!db) {
    db = { ...readMemeFile(p), path: p }
    cache.set(p, db)
  }
  return db
}

/**
 * JASPAR count matrices as MEME motifs, the way JASPAR's own MEME downloads are made:
 * probabilities are counts / column total (no pseudocount), nsites the largest column
 * total, the URL the matrix's JASPAR page, and a uniform background.
 */
export function jasparToMeme(records: CountMotif[]): string {
  const motifs: Motif[] = records.map((r) => ({
    id: r.id,
    name: r.name,
    matrix: countsToProbabilities(r.counts),
    nsites: Math.round(Math.max(...r.counts.rows.map((row) => row.reduce((a, b) => a + b, 0)))),
    url: `https://jaspar.elixir.no/matrix/${r.id}/`,
  }))
  return writeMeme(motifs, 'ACGT')
}
