/** The two Electron IPC channel names the envelopes travel on (request/reply, and pushes). */
export const IPC_REQUEST = 'motiflens:request'
export const IPC_PUSH = 'motiflens:push'
