/**
 * Many queries against one database (every filter of a model against JASPAR), spread over
 * worker threads when there are enough of them to pay for starting the workers.
 */
import { compareMotifs, type CompareOptions, type MotifMatch } from './compare.js'
import type { Motif, ProbabilityMatrix } from './matrix.js'
import { defaultScanWorkers, startWorkerPool } from './scan.js'

/** Matches of each query, in query order (each as compareMotifs returns them). */
export async function compareMany(
  queries: ProbabilityMatrix[],
  database: Motif[] | { motifs: Motif[] },
  opts: CompareOptions & { workers?: number } = {},
): Promise<MotifMatch[][]> {
  const motifs = Array.isArray(database) ? database : database.motifs
  const { workers, ...options } = opts
  // About 20 ms per 19-column query on one core: below ~50 queries a worker's start-up
  // (about a second) is not worth it.
  const count = workers ?? (queries.length >= 50 ? defaultScanWorkers() : 1)
  const serial = (): MotifMatch[][] => queries.map((q) => compareMotifs(q, motifs, options))
  if (count <= 1 || queries.length < 2) return serial()
  const pool = await startWorkerPool({ database: motifs }, count)
  if (!pool) return serial()
  try {
    const chunk = Math.max(1, Math.ceil(queries.length / (4 * count)))
    const parts: Promise<MotifMatch[][]>[] = []
    for (let i = 0; i < queries.length; i += chunk)
      parts.push(pool.run({ type: 'compare', queries: queries.slice(i, i + chunk), options }).then((r) => (r as { result: MotifMatch[][] }).result))
    return (await Promise.all(parts)).flat()
  } finally {
    await pool.dispose()
  }
}
