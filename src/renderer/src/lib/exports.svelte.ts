/**
 * Every file exported in this session (Export view, chart buttons), newest first, so the
 * Export view can list what was written where.
 */
import type { RequestArgs } from '../../../shared/contract'
import type { ExportResult } from '../../../shared/views'
import { api } from './api'

export const exportLog = $state({ written: [] as (ExportResult['written'][number] & { at: string })[] })

/** Ask the engine to export; logs and returns what it wrote (nothing when the dialog was cancelled). */
export async function saveExport(request: RequestArgs<'export:save'>['request']): Promise<ExportResult> {
  const r = await api.invoke('export:save', { request })
  const at = clock()
  exportLog.written.unshift(...r.written.map((w) => ({ ...w, at })))
  return r
}

/** hh:mm:ss now, local time. */
function clock(): string {
  const t = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit' })
  return t.format(Date.now())
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
