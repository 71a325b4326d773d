import { UserError } from '../errors.js'
import type { HandlerMap } from '../ipc/dispatch.js'
import type { HandlerDeps } from './index.js'

// Being written in this session (Export view); answers with a clear message until then.
export function exportHandlers(_deps: HandlerDeps): Pick<HandlerMap, 'export:save'> {
  return {
    async 'export:save'() {
      throw new UserError('exporting from the app is not available in this build yet; use `motiflens motifs ... --meme OUT.meme --logos DIR`')
    },
  }
}
