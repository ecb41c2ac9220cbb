import type { Mutable } from '../domain/Mutable.js'
import type { HoldPolicy } from '../domain/HoldPolicy.js'
import type { ActionName } from '../domain/ActionName.js'
import type { OperationRequested } from '../../machines/callTypes.js'
import type { Clock } from '../domain/Clock.js'
import type { CallEvent } from '../../machines/callTypes.js'
import type { SettlementRelay } from './createSettlementRelay.js'
import type { ActionResult, Waiter, Waiters } from './createWaiters.js'
import type { LiveCall } from './LiveCall.js'

/** A request the orchestrator has validated: ids checked, body decoded, clientContext chosen. */
export interface ValidRequest {
  readonly action: ActionName
  readonly clientContext: string
  readonly participantId?: string
  /** The decoded body fields, when the request had any. */
  readonly body?: unknown
  readonly holdPolicy?: HoldPolicy
  readonly signal?: AbortSignal
  /** Epoch milliseconds. */
  readonly deadline: number
  /** A spare clientContext for the stopHoldMusic a swap may send (startHoldMusic only). */
  readonly swapClientContext?: string
}

/** What running a command needs. */
export interface CommandRunnerOptions {
  readonly clock: Clock
  readonly waiters: Waiters
  readonly apply: (call: LiveCall, event: CallEvent) => void
  /** Durable stores: how long after its deadline a caller is answered from the store at the latest. */
  readonly backstop?: { readonly relay: SettlementRelay; readonly graceMs: number }
}

/**
 * Runs one validated request on its call: registers the caller (with its abort signal and, with a
 * durable store, a backstop at its deadline) and applies `operation.requested`. Resolves with the
 * outcome; never rejects.
 */
export const createCommandRunner = (o: CommandRunnerOptions): ((call: LiveCall, req: ValidRequest) => Promise<ActionResult>) => {
  const { clock, waiters } = o
  return (call, req) =>
    new Promise<ActionResult>((resolve) => {
      const key = req.clientContext
      const { signal } = req
      const abort = signal === undefined ? undefined : () => o.apply(call, { type: 'operation.cancel', clientContext: key, reason: 'aborted by the caller' })
      const backstop =
        o.backstop === undefined
          ? undefined
          : clock.setTimeout(() => void o.backstop?.relay.answerLate(call, key, req.deadline), req.deadline - clock.now() + o.backstop.graceMs)
      // Built field by field, not with conditional spreads: this runs for every command (issue 8).
      const waiter: Mutable<Waiter> = {
        resolve:
          abort === undefined && backstop === undefined
            ? resolve
            : (result) => {
                if (abort !== undefined) signal?.removeEventListener('abort', abort)
                if (backstop !== undefined) clock.clearTimeout(backstop)
                resolve(result)
              },
        call,
        action: req.action,
      }
      if (req.participantId !== undefined) waiter.participantId = req.participantId
      if (signal !== undefined) waiter.signal = signal
      waiters.add(key, waiter)
      if (signal !== undefined && abort !== undefined) {
        if (signal.aborted) queueMicrotask(abort)
        else signal.addEventListener('abort', abort, { once: true })
      }
      const requested: Mutable<OperationRequested> = { type: 'operation.requested', clientContext: key, action: req.action, deadline: req.deadline }
      if (req.participantId !== undefined) requested.participantId = req.participantId
      if (req.body !== undefined) requested.body = req.body
      if (req.swapClientContext !== undefined) requested.swapClientContext = req.swapClientContext
      if (req.holdPolicy !== undefined) requested.holdPolicy = req.holdPolicy
      o.apply(call, requested)
    })
}
