import type { Either } from 'fp-ts/lib/Either.js'
import type { CallNews } from '../../machines/callNews.js'
import type { CallEvent } from '../../machines/callTypes.js'
import type { CallActionName, CallActionOutcome } from '../domain/CallAction.js'
import type { CallOpsError } from '../domain/CallOpsError.js'
import type { Operation } from '../domain/Operation.js'
import type { ActionName } from '../graph/actionCatalog.js'

/**
 * A call's news ({@link CallNews}) with the call's id: what `orchestrator.watchCall` listeners receive.
 *
 * @example
 * ```ts
 * orchestrator.watchCall(callId, (news) => (news.type === 'tone' ? console.log('key', news.tone) : undefined))
 * ```
 */
export type CallNewsEvent = CallNews & { readonly callId: string }

/**
 * What `orchestrator.subscribe` listeners receive: every transition and outcome of every call, and
 * the call's news for bot code ({@link CallNews}: `incoming`, `callState`, `mediaState`, `tone`,
 * `participantJoined`, `participantLeft`, `terminated`, each with the `callId`). Events caused by a
 * notification reach listeners after the webhook has answered Graph.
 *
 * @example
 * ```ts
 * orchestrator.subscribe((e) => {
 *   if (e.type === 'incoming') console.log('ringing', e.callId, e.incoming.caller)
 *   else if (e.type === 'tone') console.log('key', e.tone)
 *   else if (e.type === 'settled' && E.isLeft(e.result)) console.log(e.action, e.result.left._tag)
 * })
 * ```
 */
export type OrchestratorEvent =
  | CallNewsEvent
  | {
      readonly type: 'transition'
      readonly callId: string
      /** The event the call machine processed. */
      readonly event: CallEvent['type']
      /** The call's state after it, e.g. `established.hold.held`. */
      readonly state: string
      readonly clientContext?: string
      readonly participantId?: string
      /** The action, when the event was a request of the bot. */
      readonly action?: ActionName
      /** The call action, when the event was one the bot asked for (`callAction.requested`). */
      readonly callAction?: CallActionName
    }
  | {
      /** The HTTP request of an operation is leaving. */
      readonly type: 'request'
      readonly callId: string
      readonly clientContext: string
      readonly action: ActionName
      readonly participantId?: string
      /** Sent as the `client-request-id` header on every attempt: quote it to Microsoft support. */
      readonly clientRequestId?: string
    }
  | {
      /** Graph answered the HTTP request (or the request failed). */
      readonly type: 'answer'
      readonly callId: string
      readonly clientContext: string
      readonly action: ActionName
      readonly participantId?: string
      readonly httpStatus?: number
      readonly clientRequestId?: string
      readonly attempts?: number
      readonly error?: CallOpsError
    }
  | {
      /** A request got its outcome (every request gets exactly one). */
      readonly type: 'settled'
      readonly callId: string
      readonly clientContext: string
      /** The action, participant and `client-request-id` of the request, when this process sent it. */
      readonly action?: ActionName
      readonly participantId?: string
      readonly clientRequestId?: string
      readonly result: Either<CallOpsError, Operation>
    }
  | {
      /** The real outcome of an operation that had already timed out. */
      readonly type: 'lateOutcome'
      readonly callId: string
      readonly clientContext: string
      readonly operation: Operation
      /** The HTTP refusal (a 4xx) when that is how Graph answered after the timeout. */
      readonly error?: CallOpsError
    }

  | {
      /** The HTTP request of a call action (answer, transfer, hangUp, ...) is leaving; as `request` is for operations. */
      readonly type: 'callActionRequest'
      readonly callId: string
      readonly clientContext: string
      readonly action: CallActionName
      readonly participantId?: string
      readonly clientRequestId: string
    }
  | {
      /** Graph answered a call action's HTTP request (or it failed); as `answer` is for operations. */
      readonly type: 'callActionAnswer'
      readonly callId: string
      readonly clientContext: string
      readonly action: CallActionName
      readonly participantId?: string
      readonly clientRequestId: string
      readonly httpStatus?: number
      readonly error?: CallOpsError
    }
  | {
      /** A call action got its outcome (every one gets exactly one); as `settled` is for operations. */
      readonly type: 'callActionSettled'
      readonly callId: string
      readonly clientContext: string
      readonly action: CallActionName
      readonly result: Either<CallOpsError, CallActionOutcome>
    }

/**
 * A subscriber of {@link OrchestratorEvent}s.
 *
 * @example
 * ```ts
 * const log: OrchestratorListener = (e) => console.log(e.callId, e.type)
 * const unsubscribe = orchestrator.subscribe(log)
 * unsubscribe()
 * ```
 */
export type OrchestratorListener = (event: OrchestratorEvent) => void
