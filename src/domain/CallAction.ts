import type { Either } from 'fp-ts/lib/Either.js'
import type { CallOpsError } from './CallOpsError.js'
import type { ResultInfo } from './ResultInfo.js'

/**
 * The bot's own actions on a call, which are no commsOperations: their outcome is the call's state
 * Graph reports next (or, for `removeParticipant`, the 204 itself).
 *
 * @example
 * ```ts
 * const timeouts: Partial<Record<CallActionName, number>> = { transfer: 60_000, createCall: 45_000 }
 * createCallOrchestrator({ graph, notificationAuth, callActionTimeouts: timeouts })
 * ```
 */
export type CallActionName = 'answer' | 'reject' | 'redirect' | 'transfer' | 'hangUp' | 'removeParticipant' | 'createCall'

/**
 * How a call action ended well: the call's state that showed it (`established` for an answer,
 * `terminated` for a reject, redirect or hang-up, `established` for a call the bot created, `transferAccepted` or `terminated` for a transfer).
 *
 * @example
 * ```ts
 * const answered = await orchestrator.answer({ callId, body: { acceptedModalities: ['audio'], mediaConfig } })
 * if (E.isRight(answered)) console.log(answered.right.state) // 'established'
 * ```
 */
export interface CallActionOutcome {
  readonly action: CallActionName
  readonly callId: string
  readonly clientContext: string
  /** Graph's callState (lower-cased) when the outcome was known. */
  readonly state: string
  /** The resultInfo Graph gave with that state, if any. */
  readonly resultInfo?: ResultInfo
  /** `hangUp`: Graph answered 404 or the call had already ended; nothing was left to end. */
  readonly alreadyEnded?: true
  /** `removeParticipant`: who was removed. */
  readonly participantId?: string
}

/**
 * A call action's outcome as the call machine settles it.
 *
 * @example
 * ```ts
 * // In a model-based test: the `callAction.settled` the call machine emits.
 * actor.on('callAction.settled', (e) => console.log(e.result.ok ? e.result.outcome.state : e.result.error._tag))
 * ```
 */
export type CallActionResult = { readonly ok: true; readonly outcome: CallActionOutcome } | { readonly ok: false; readonly error: CallOpsError }

/**
 * What a call action resolves with: the call state that showed its outcome, or why it failed.
 *
 * @example
 * ```ts
 * const r: CallActionAnswer = await orchestrator.hangUp({ callId })
 * if (E.isRight(r) && r.right.alreadyEnded === true) console.log('nothing left to end')
 * ```
 */
export type CallActionAnswer = Either<CallOpsError, CallActionOutcome>
