import { UserError } from '../errors.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import type { HandlerDeps } from './index.js'

// Being written in this session (Sequences view); answers with a clear message until then.
export function sequenceHandlers(_deps: HandlerDeps): Pick<HandlerMap, 'run:sequences' | 'run:attribution'> {
  const unavailable = async (): Promise<never> => {
    throw new UserError('the sequence views are not available in this build yet')
  }
  return { 'run:sequences': unavailable, 'run:attribution': unavailable }
}
