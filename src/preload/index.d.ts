import type { EngineApi } from '../shared/engine-api'

declare global {
  interface Window {
    /** Present in Electron (set by the preload); browser mode builds the same API over a WebSocket. */
    api?: EngineApi
  }
}
