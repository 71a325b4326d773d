import type { HandlerMap } from '../ipc/dispatch.js'
import { appVersion } from '../version.js'
import type { HandlerDeps } from './index.js'
import { describeBackendAvailability } from '../compute/backend.js'

export function appHandlers({ shell }: HandlerDeps): Pick<HandlerMap, 'app:info' | 'dialog:openFiles' | 'fs:list' | 'files:dropped'> {
  let backend: string | undefined
  return {
    async 'app:info'() {
      // loads the native bindings once if present; the line says which backend training uses
      backend ??= describeBackendAvailability()
      return { version: appVersion(), backend, backendNote: null }
    },
    async 'dialog:openFiles'(args) {
      return shell.openFiles(args)
    },
    async 'fs:list'({ dir }) {
      return shell.listDir(dir)
    },
    async 'files:dropped'({ paths }) {
      return { paths: await shell.acceptDropped(paths) }
    },
  }
}
