import type { HandlerMap } from '../ipc/dispatch.js'
import { appVersion } from '../version.js'
import type { HandlerDeps } from './index.js'
import { describeBackendAvailability } from '../compute/backend.js'

export function appHandlers({ shell }: HandlerDeps): Pick<HandlerMap, 'app:info' | 'dialog:openFiles' | 'fs:list' | 'files:dropped'> {
  return {
    async 'app:info'() {
      const b = await describeBackendAvailability()
      return { version: appVersion(), backend: b.detail, backendNote: b.fallbackReason ?? null }
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
