// Development entry of the motif scan worker: registers tsx in this worker thread, then
// loads the TypeScript worker. (`execArgv: ['--import', 'tsx']` does not reach worker
// threads' module loading under Node 20, so the hook is registered here instead.)
import { register } from 'tsx/esm/api'

register()
await import('./scan-worker.ts')
