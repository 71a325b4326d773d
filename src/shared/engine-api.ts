/**
 * The API the renderer sees, built the same way in both shells from a transport that moves
 * envelopes: Electron's preload passes one over ipcRenderer, browser mode one over a
 * WebSocket. The renderer never learns which it has. `window.api`'s type is this factory's
 * return type, so it is never written out twice.
 */
import type {
  PushChannel,
  PushEnvelope,
  PushPayloads,
  ReplyEnvelope,
  RequestArgs,
  RequestChannel,
  RequestEnvelope,
  RequestReturn,
} from './contract.js'

export interface EngineTransport {
  request(envelope: RequestEnvelope): Promise<ReplyEnvelope>
  /** Deliver every push envelope to the listener; returns an unsubscribe function. */
  subscribe(listener: (envelope: PushEnvelope) => void): () => void
  /**
   * Make a file the user dropped on the window readable by the engine and return its path:
   * Electron asks the preload for the file's local path (the main side then checks it);
   * browser mode uploads it to the server. A File is passed; typed loosely so this file
   * needs no DOM types.
   */
  droppedFilePath(file: { name: string }): Promise<string>
}

/** Raised in the renderer for a failed request; `user` marks a message meant for the user. */
export class EngineError extends Error {
  readonly user: boolean
  constructor(message: string, user: boolean) {
    super(message)
    this.name = 'EngineError'
    this.user = user
  }
}

export function createEngineApi(transport: EngineTransport) {
  return {
    async invoke<K extends RequestChannel>(channel: K, args: RequestArgs<K>): Promise<RequestReturn<K>> {
      const reply = await transport.request({ channel, args })
      if (!reply.ok) throw new EngineError(reply.error.message, reply.error.user)
      return reply.value as RequestReturn<K>
    },
    on<K extends PushChannel>(channel: K, listener: (payload: PushPayloads[K]) => void): () => void {
      return transport.subscribe((envelope) => {
        if (envelope.channel === channel) listener(envelope.payload as PushPayloads[K])
      })
    },
    droppedFilePath(file: { name: string }): Promise<string> {
      return transport.droppedFilePath(file)
    },
  }
}

export type EngineApi = ReturnType<typeof createEngineApi>
