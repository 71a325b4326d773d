import { UserError } from '../errors.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import type { HandlerDeps } from './index.js'

// Being written in this session (Evaluate view); answers with a clear message until then.
export function evaluateHandlers(_deps: HandlerDeps): Pick<HandlerMap, 'run:evaluate'> {
  return {
    async 'run:evaluate'() {
      throw new UserError('evaluation is not available in this build yet; use `motiflens evaluate RUN_DIR`')
    },
  }
}
