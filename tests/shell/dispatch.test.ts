import { describe, expect, it } from 'vitest'
import { requestSchemas } from '../../src/shared/contract'
import { createDispatcher, type HandlerMap } from '../../src/main/ipc/dispatch'
import { UserError } from '../../src/main/errors'

/** Handlers that record what reached them; every channel must be present (HandlerMap is complete). */
function recordingHandlers(calls: [string, unknown][]): HandlerMap {
  const handlers = {} as Record<string, (a: unknown) => Promise<unknown>>
  for (const channel of Object.keys(requestSchemas)) {
    handlers[channel] = async (args) => {
      calls.push([channel, args])
      if (channel === 'job:cancel') throw new UserError('no such job')
      if (channel === 'run:filters') throw new Error('disk on fire')
      return { echoed: args }
    }
  }
  return handlers as unknown as HandlerMap
}

describe('contract dispatcher', () => {
  it('validates arguments with the channel schema before any handler runs', async () => {
    const calls: [string, unknown][] = []
    const dispatch = createDispatcher(recordingHandlers(calls), () => undefined)
    const bad = await dispatch({ channel: 'dialog:openFiles', args: { kind: 'exe', multiple: true, title: 'x' } })
    expect(bad.ok).toBe(false)
    expect(!bad.ok && bad.error.message).toMatch(/^invalid request 'dialog:openFiles' at kind: /)
    const extra = await dispatch({ channel: 'app:info', args: { sneaky: 1 } })
    expect(extra.ok).toBe(false)
    const missing = await dispatch({ channel: 'train:start', args: {} })
    expect(!missing.ok && missing.error.message).toMatch(/^invalid request 'train:start' at spec/)
    expect(calls).toEqual([])
  })

  it('passes parsed arguments and returns values', async () => {
    const calls: [string, unknown][] = []
    const dispatch = createDispatcher(recordingHandlers(calls), () => undefined)
    const r = await dispatch({ channel: 'data:inspect', args: { spec: { positives: ['/d/a.fa'], negatives: ['/d/b.fa'] } } })
    expect(r).toEqual({ ok: true, value: { echoed: { spec: { positives: ['/d/a.fa'], negatives: ['/d/b.fa'] } } } })
    expect(calls).toHaveLength(1)
  })

  it('shows a UserError to the user and hides internal errors behind one line', async () => {
    const logged: string[] = []
    const dispatch = createDispatcher(recordingHandlers([]), (l) => logged.push(l))
    expect(await dispatch({ channel: 'job:cancel', args: { jobId: 'abc' } })).toEqual({ ok: false, error: { message: 'no such job', user: true } })
    const internal = await dispatch({ channel: 'run:filters', args: { runId: 'r1' } })
    expect(internal).toEqual({ ok: false, error: { message: 'internal error: disk on fire (run again with --debug for details)', user: false } })
    expect(logged.join('\n')).toContain('disk on fire')
    expect(logged).toHaveLength(1)
  })

  it('refuses unknown channels and malformed envelopes', async () => {
    const dispatch = createDispatcher(recordingHandlers([]), () => undefined)
    expect(await dispatch({ channel: 'constructor', args: {} })).toEqual({ ok: false, error: { message: "unknown request 'constructor'", user: false } })
    expect((await dispatch(null)).ok).toBe(false)
  })
})
