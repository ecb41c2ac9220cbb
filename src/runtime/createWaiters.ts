import * as E from 'fp-ts/lib/Either.js'
import type { ActionName } from '../domain/ActionName.js'
import type { CallOpsError } from '../domain/CallOpsError.js'
import type { Operation } from '../domain/Operation.js'
import type { Logger } from '../logging/Logger.js'
import type { EventPublisher } from './createEventPublisher.js'
import type { LiveCall } from './LiveCall.js'

/** What an action resolves with. */
export type ActionResult = E.Either<CallOpsError, Operation>

/** A caller waiting for the outcome of one request. */
export interface Waiter {
  readonly resolve: (r: ActionResult) => void
  readonly call: LiveCall
  readonly action: ActionName
  readonly participantId?: string
  /** The `client-request-id` of the operation's HTTP request, once it left. */
  clientRequestId?: string
  /** The caller's abort signal, if it gave one: a hold it aborts is not attempted again (see createEffectRunner). */
  signal?: AbortSignal
}

/** The callers waiting on this instance, by clientContext; each is answered exactly once. */
export interface Waiters {
  readonly add: (clientContext: string, waiter: Waiter) => void
  readonly get: (clientContext: string) => Waiter | undefined
  readonly has: (clientContext: string) => boolean
  readonly size: () => number
  readonly entries: () => IterableIterator<[string, Waiter]>
  /** Answers the caller waiting for `clientContext` (if it waits here) and reports the outcome. */
  readonly settle: (call: LiveCall, clientContext: string, result: ActionResult) => void
  /** Answers every caller waiting on `call` with `error`. */
  readonly settleCall: (call: LiveCall, error: CallOpsError) => void
  /** Answers every caller with `error` (close). */
  readonly settleAll: (error: CallOpsError) => void
}

/** Creates the orchestrator's {@link Waiters}. */
export const createWaiters = (logger: Logger, events: EventPublisher): Waiters => {
  const pending = new Map<string, Waiter>()
  /** A logger without `isLevelEnabled` writes every level, as far as callops can tell. */
  const loggerWrites = (level: 'debug' | 'info'): boolean => logger.isLevelEnabled?.(level) ?? true

  const settle = (call: LiveCall, clientContext: string, result: ActionResult): void => {
    const waiter = pending.get(clientContext)
    if (waiter !== undefined) {
      pending.delete(clientContext)
      waiter.resolve(result)
    }
    // Every operation ends here: its fields are built only for a logger level that is on or a subscriber (issue 8).
    const logged = loggerWrites(E.isLeft(result) ? 'info' : 'debug')
    const listening = events.listening()
    if (!logged && !listening) return
    const about = {
      callId: call.callId,
      clientContext,
      ...(waiter === undefined ? {} : { action: waiter.action }),
      ...(waiter?.participantId === undefined ? {} : { participantId: waiter.participantId }),
      ...(waiter?.clientRequestId === undefined ? {} : { clientRequestId: waiter.clientRequestId }),
    }
    if (logged) {
      if (E.isLeft(result)) logger.info({ ...about, error: result.left._tag, message: result.left.message }, 'operation failed')
      else logger.debug({ ...about, status: result.right.status }, 'operation ended')
    }
    if (listening) events.publish({ type: 'settled', ...about, result })
  }

  return {
    add: (clientContext, waiter) => {
      pending.set(clientContext, waiter)
    },
    get: (clientContext) => pending.get(clientContext),
    has: (clientContext) => pending.has(clientContext),
    size: () => pending.size,
    entries: () => pending.entries(),
    settle,
    settleCall: (call, error) => {
      for (const [clientContext, w] of [...pending]) if (w.call === call) settle(call, clientContext, E.left(error))
    },
    // At close: answered and reported, not logged one by one.
    settleAll: (error) => {
      for (const [clientContext, w] of [...pending]) {
        pending.delete(clientContext)
        const result = E.left(error)
        w.resolve(result)
        const { participantId } = w
        events.publish({ type: 'settled', callId: w.call.callId, clientContext, action: w.action, ...(participantId === undefined ? {} : { participantId }), result })
      }
    },
  }
}
