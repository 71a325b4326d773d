import type { HandlerMap } from '../ipc/dispatch.js'
import type { HandlerDeps } from './index.js'
import { specPaths } from './projects.js'

export function projectHandlers({ projects, shell }: HandlerDeps): Pick<HandlerMap, 'project:list' | 'project:create' | 'project:open' | 'project:save'> {
  return {
    async 'project:list'() {
      return { projects: await projects.list() }
    },
    async 'project:create'({ name }) {
      return projects.create(name)
    },
    async 'project:open'({ id }) {
      const state = await projects.open(id)
      // the files were opened by the user when the project was saved
      shell.paths.grant(specPaths(state.spec))
      return state
    },
    async 'project:save'({ id, state }) {
      await Promise.all(specPaths(state.spec).map((p) => shell.paths.check(p)))
      return { savedAt: await projects.save(id, state) }
    },
  }
}
