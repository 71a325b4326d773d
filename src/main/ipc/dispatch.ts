/**
 * The main-side end of the contract, shared by both transports: look the channel up, validate
 * the arguments with its schema, run the handler, and wrap the outcome in a reply envelope.
 * A UserError becomes a message for the user; anything else is logged and reported as an
 * internal error without its stack.
 */
import {
  requestSchemas,
  type ParsedArgs,
  type PushChannel,
  type PushPayloads,
  type ReplyEnvelope,
  type RequestChannel,
  type RequestReturn,
} from '../../shared/contract.js'
import { describeError, isUserError } from '../errors.js'

export type Handler<K extends RequestChannel> = (args: ParsedArgs<K>) => Promise<RequestReturn<K>>
export type HandlerMap = { [K in RequestChannel]: Handler<K> }

/** Sends a push to every connected renderer. */
export type PushSink = <K extends PushChannel>(channel: K, payload: PushPayloads[K]) => void

function isChannel(name: unknown): name is RequestChannel {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(requestSchemas, name)
}

export function createDispatcher(handlers: HandlerMap, log: (line: string) => void = (l) => console.error(l)) {
  return async function dispatch(envelope: unknown): Promise<ReplyEnvelope> {
    const { channel, args } = (envelope ?? {}) as { channel?: unknown; args?: unknown }
    if (!isChannel(channel)) {
      return { ok: false, error: { message: `unknown request '${String(channel)}'`, user: false } }
    }
    const parsed = requestSchemas[channel].safeParse(args)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]
      const where = issue?.path.length ? ` at ${issue.path.join('.')}` : ''
      return { ok: false, error: { message: `invalid request '${channel}'${where}: ${issue?.message ?? 'bad arguments'}`, user: false } }
    }
    try {
      const handler = handlers[channel] as (a: unknown) => Promise<unknown>
      const value = await handler(parsed.data)
      return { ok: true, value }
    } catch (e) {
      if (!isUserError(e)) log(`[motiflens] ${channel} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`)
      return { ok: false, error: { message: describeError(e), user: isUserError(e) } }
    }
  }
}

export type Dispatcher = ReturnType<typeof createDispatcher>
