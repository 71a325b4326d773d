/**
 * The motif analysis the Motifs and Export views share: which extraction method and
 * database the user chose, and the analysis of the current run for that choice. The engine
 * caches analyses in the run folder, so asking again (another view, a reopened project) is
 * quick; the first analysis of a big run takes a while, and the views say so.
 */
import type { MotifAnalysis } from '../../../shared/views'
import { api } from './api'
import { errorText } from './state.svelte'

export const motifs = $state({
  method: 'argmax' as 'argmax' | 'threshold',
  /** A MEME file chosen by the user; null for the bundled JASPAR 2024. */
  database: null as string | null,
  analysis: null as MotifAnalysis | null,
  /** run|method|database of `analysis`. */
  loadedKey: null as string | null,
  loading: false,
  error: null as string | null,
})

let request = 0

/** Analyse `runId` with the current choice; nothing to do when that analysis is shown already. */
export async function loadMotifs(runId: string): Promise<void> {
  const key = `${runId}|${motifs.method}|${motifs.database ?? ''}`
  if (motifs.loadedKey === key && motifs.analysis) return
  const mine = ++request
  motifs.loading = true
  motifs.error = null
  try {
    const r = await api.invoke('run:motifs', { runId, method: motifs.method, database: motifs.database })
    if (mine === request) {
      motifs.analysis = r
      motifs.loadedKey = key
    }
  } catch (e) {
    if (mine === request) {
      motifs.analysis = null
      motifs.loadedKey = null
      motifs.error = errorText(e)
    }
  } finally {
    if (mine === request) motifs.loading = false
  }
}
