/**
 * The bridge, and nothing else: one envelope channel each way over ipcRenderer, exposed as
 * `window.api` through contextBridge. Sandboxed, so it may only require 'electron'.
 */
import { contextBridge, ipcRenderer, webUtils } from 'electron'
import type { PushEnvelope, ReplyEnvelope, RequestEnvelope } from '../shared/contract.js'
import { createEngineApi, EngineError } from '../shared/engine-api.js'
import { IPC_PUSH, IPC_REQUEST } from '../shared/ipc-names.js'

const request = (envelope: RequestEnvelope) => ipcRenderer.invoke(IPC_REQUEST, envelope) as Promise<ReplyEnvelope>

export const api = createEngineApi({
  request,
  subscribe(listener: (envelope: PushEnvelope) => void) {
    const wrapped = (_event: unknown, envelope: PushEnvelope) => listener(envelope)
    ipcRenderer.on(IPC_PUSH, wrapped)
    return () => {
      ipcRenderer.removeListener(IPC_PUSH, wrapped)
    }
  },
  async droppedFilePath(file: { name: string }) {
    const path = webUtils.getPathForFile(file as File)
    if (!path) throw new EngineError(`${file.name}: not a file on this computer`, true)
    // the main side checks the path before anything may read it
    const reply = await request({ channel: 'files:dropped', args: { paths: [path] } })
    if (!reply.ok) throw new EngineError(reply.error.message, reply.error.user)
    return path
  },
})

contextBridge.exposeInMainWorld('api', api)
