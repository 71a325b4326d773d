import { UserError } from '../errors.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import type { HandlerDeps } from './index.js'

// Being written in this session (Motifs view); answers with a clear message until then.
export function motifHandlers(_deps: HandlerDeps): Pick<HandlerMap, 'run:motifs' | 'run:filter'> {
  const unavailable = async (): Promise<never> => {
    throw new UserError('motif analysis is not available in this build yet; use `motiflens motifs RUN_DIR DATA.fa`')
  }
  return { 'run:motifs': unavailable, 'run:filter': unavailable }
}
