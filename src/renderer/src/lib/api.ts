import { createEngineApi, type EngineApi } from '../../../shared/engine-api'
import { webSocketTransport } from './ws-transport'

/** The engine, whichever shell this page runs in: Electron's preload, or a WebSocket. */
export const api: EngineApi = window.api ?? createEngineApi(webSocketTransport())
