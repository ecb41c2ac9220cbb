import * as E from 'fp-ts/lib/Either.js'
import type { CallActionAnswer, CallActionName, CallActionResult } from '../domain/CallAction.js'
import type { CallOpsError } from '../domain/CallOpsError.js'
import type { EventPublisher } from './createEventPublisher.js'
import type { LiveCall } from './LiveCall.js'

interface CallActionWaiter {
  readonly call: LiveCall
  readonly action: CallActionName
  readonly resolve: (r: CallActionAnswer) => void
}

/** The callers of call actions waiting on this instance, by clientContext; each is answered exactly once. */
export interface CallActionWaiters {
  readonly add: (clientContext: string, call: LiveCall, action: CallActionName, resolve: (r: CallActionAnswer) => void) => void
  readonly has: (clientContext: string) => boolean
  readonly size: () => number
  /** The callers waiting here, for looking up outcomes decided elsewhere. */
  readonly keys: () => readonly { readonly clientContext: string; readonly call: LiveCall }[]
  /** Answers the caller of `clientContext` if it waits here. */
  readonly settle: (clientContext: string, result: CallActionResult) => void
  /** Answers every caller waiting on `call` (or on every call) with `error`. */
  readonly settleAll: (error: CallOpsError, call?: LiveCall) => void
}

/** A machine's settlement as the bot reads it. */
export const toCallActionAnswer = (r: CallActionResult): CallActionAnswer => (r.ok ? E.right(r.outcome) : E.left(r.error))

/** Creates the {@link CallActionWaiters}; with `events`, each answer is published as `callActionSettled`, as operations' are as `settled`. */
export const createCallActionWaiters = (events?: EventPublisher): CallActionWaiters => {
  const pending = new Map<string, CallActionWaiter>()
  const answer = (clientContext: string, r: CallActionAnswer): void => {
    const w = pending.get(clientContext)
    if (w === undefined) return
    pending.delete(clientContext)
    w.resolve(r)
    if (events?.listening() === true) events.publish({ type: 'callActionSettled', callId: w.call.callId, clientContext, action: w.action, result: r })
  }
  return {
    add: (clientContext, call, action, resolve) => void pending.set(clientContext, { call, action, resolve }),
    has: (clientContext) => pending.has(clientContext),
    size: () => pending.size,
    keys: () => [...pending].map(([clientContext, w]) => ({ clientContext, call: w.call })),
    settle: (clientContext, result) => answer(clientContext, toCallActionAnswer(result)),
    settleAll: (error, call) => {
      for (const [clientContext, w] of [...pending]) if (call === undefined || w.call === call) answer(clientContext, E.left(error))
    },
  }
}
