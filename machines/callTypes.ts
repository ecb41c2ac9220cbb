import type { CallOpsError, GraphError } from '../src/domain/CallOpsError.js'
import type { Operation, OperationReport } from '../src/domain/Operation.js'
import type { ActionName } from '../src/domain/ActionName.js'
import type { CallKind, CallNotice, CallStateDetail, RosterEntry, ToneReceived } from '../src/domain/CallNotice.js'
import type { IncomingCall } from '../src/domain/IncomingCall.js'
import type { HoldPolicy } from '../src/domain/HoldPolicy.js'
import type { SettledResult } from '../src/domain/OperationResult.js'
import type { CallActionName, CallActionResult } from '../src/domain/CallAction.js'
import type { CallNews } from './callNews.js'
import type { OperationReportToCall } from './operationLogic.js'
import type { OperationRecord } from './operationStep.js'
import type { ToneLog } from './toneOrder.js'

export type { CallKind, CallNotice, CallStateDetail, HoldPolicy, IncomingCall, RosterEntry, SettledResult, ToneReceived }

/** What starts a call machine. */
export interface CallInput {
  readonly callId: string
  readonly holdPolicy?: HoldPolicy
  readonly kind?: CallKind
  /** Set for a call that rings the bot: it starts `incoming`; every other call starts `established`. */
  readonly incoming?: IncomingCall
  /** Set for a call the bot created (Graph answered 201 `establishing`): it starts `establishing`. */
  readonly outgoing?: true
}

/** A request of the bot that has been accepted by the call but not yet answered. */
export interface InFlight {
  readonly action: ActionName
  readonly participantId?: string
  /** The request body as sent, so a recovering instance can send the same request again. */
  readonly body?: unknown
  readonly deadline: number
  /** Graph's operation id once known, for matching notifications by id. */
  readonly id?: string
  /** Set once the operation timed out (or, a hold attempt, was cancelled after it was sent): it stays to record a late outcome. */
  readonly timedOut?: true
  /** The operation's lifecycle: where `operationMachine` is for it, and its context (see operationStep.ts). */
  readonly op: OperationRecord
}

/** A hold request waiting for the slot (queue and swap policies). */
export interface QueuedHold {
  readonly clientContext: string
  readonly participantId: string
  readonly body?: unknown
  readonly deadline: number
  /** Set when this request asked to swap out the participant on hold. */
  readonly swapFrom?: string
}

/** The single hold slot of a call: who is on hold, or being put on hold or released. */
export interface HoldSlot {
  readonly participantId: string
  /** The clientContext of the newest startHoldMusic for this participant: the one the bot waits on. */
  readonly holdKey: string
  /**
   * Every startHoldMusic for this participant since the slot was taken that may have put them on
   * hold (pending, or ended without a definite outcome), oldest first; `holdKey` is the last. While
   * the hold is unconfirmed the slot is freed only when the last of them has failed for certain,
   * and a late success of any of them confirms it.
   */
  readonly attempts: readonly string[]
  /** The completed startHoldMusic, once Graph confirmed the hold. */
  readonly operation?: Operation
  /** The clientContext of the stopHoldMusic in flight, while releasing. */
  readonly stopKey?: string
  /**
   * The stopHoldMusic requests of this hold that timed out, each with the attempts sent before it.
   * Graph carries out a participant's requests in order, so a late success of one takes those
   * attempts off hold: the slot is freed when no later attempt is left.
   */
  readonly timedOutStops?: readonly TimedOutStop[]
}

/** A stopHoldMusic that timed out, and the startHoldMusic attempts it came after. */
export interface TimedOutStop {
  readonly clientContext: string
  readonly covers: readonly string[]
}

/** The call machine's context. */
export interface CallContext {
  readonly callId: string
  readonly holdPolicy: HoldPolicy
  readonly kind: CallKind
  readonly roster: Readonly<Record<string, RosterEntry>>
  /** The bot's own server mute state, when an unmute/mute told it. */
  readonly botMuted?: boolean
  /** The hold slot; `undefined` when free (set, not deleted: XState's assign merges). */
  readonly hold?: HoldSlot | undefined
  readonly queue: readonly QueuedHold[]
  /** The operations under way (and timed-out ones still listening for a late outcome), by clientContext, each with its lifecycle. */
  readonly inFlight: Readonly<Record<string, InFlight>>
  /**
   * Final operation notifications that matched nothing, by operation id (a few, newest kept): one
   * that beat the HTTP answer and carries no clientContext is applied once the answer tells its id.
   */
  readonly orphans: Readonly<Record<string, OperationReport>>
  /** Requests that joined an identical one in flight, by the clientContext they joined. */
  readonly joiners: Readonly<Record<string, readonly string[]>>
  /** Graph's callState as last told (lower-cased); a value callops does not know is kept too. */
  readonly graphState?: string
  /** `mediaState.audio` as last told. */
  readonly audio?: string
  /** What Graph told of the call when it rang the bot (calls that start `incoming`). */
  readonly incoming?: IncomingCall
  /** Set once bot code has been told of the incoming call, so a resent notification is not told twice. */
  readonly announced?: true
  /** Epoch ms by which the bot must answer; cleared once the call left `incoming.awaitingAnswer` (set, not deleted). */
  readonly answerBy?: number | undefined
  /** What the last failed transfer told (Graph returns the call to `established` with a resultInfo). */
  readonly transferFailure?: CallStateDetail
  /**
   * Set once an invite succeeded in a call that was peer-to-peer: such a call can no longer be
   * transferred (graph-call-lifecycle.md §4, samples#395), so a transfer is refused before sending.
   */
  readonly groupByInvite?: true
  /** Why the call ended, as the `terminated` notification said. */
  readonly termination?: CallStateDetail
  /** The tones delivered to bot code and those waiting for a missing one (see toneOrder.ts). */
  readonly tones?: ToneLog
  /** The bot's call actions (answer, transfer, hang-up, ...) not settled yet, by clientContext. */
  readonly callActions?: Readonly<Record<string, PendingCallAction>>
}

/**
 * A call action of the bot that the call took and has not settled yet.
 *
 * @example
 * ```ts
 * const pending = Object.values(actor.getSnapshot().context.callActions ?? {}).map((p: PendingCallAction) => p.action) // e.g. ['transfer']
 * ```
 */
export interface PendingCallAction {
  readonly action: CallActionName
  readonly participantId?: string
  /** The request body as sent. */
  readonly body?: unknown
  /** Epoch milliseconds: it settles `Timeout` then. */
  readonly deadline: number
  /** Set once Graph accepted the request (2xx): the outcome is the call's next state. */
  readonly accepted?: true
}

/**
 * A call action of the bot: the runtime has decoded its body and chosen its clientContext.
 *
 * @example
 * ```ts
 * const answer: CallActionRequested = { type: 'callAction.requested', clientContext: 'c1', action: 'answer', body, deadline: now + 30_000, requestedAt: now }
 * actor.send(answer) // the machine emits effect.callAction, or callAction.settled with a refusal
 * ```
 */
export interface CallActionRequested {
  readonly type: 'callAction.requested'
  readonly clientContext: string
  readonly action: CallActionName
  readonly participantId?: string
  readonly body?: unknown
  /** Epoch milliseconds. */
  readonly deadline: number
  /** Epoch milliseconds, when the bot asked: an answer at or after the answer deadline is too late. */
  readonly requestedAt: number
  /** transfer: the body names a transferee (allowed from a group call only). */
  readonly transferee?: true
  /** createCall: the runtime already sent it (the call did not exist before Graph's 201); only its outcome is followed. */
  readonly sent?: true
}

/** A command of the bot: the runtime has validated it and generated its clientContext. */
export interface OperationRequested {
  readonly type: 'operation.requested'
  readonly clientContext: string
  readonly action: ActionName
  readonly participantId?: string
  readonly body?: unknown
  /** Epoch milliseconds. */
  readonly deadline: number
  /** The hold policy of this request; the call's policy when absent. */
  readonly holdPolicy?: HoldPolicy
  /** A spare clientContext for the stopHoldMusic a swap sends (machines cannot make ids). */
  readonly swapClientContext?: string
}

/**
 * A call-state notification; `receivedAt` (epoch ms, stamped by the runtime) dates a tone, so a tone
 * that arrives before its predecessor waits for it until a deadline. Without it a gap is not waited for.
 *
 * @example
 * ```ts
 * actor.send({ type: 'call.updated', state: 'established', tone: { tone: 'tone5', sequenceId: 1 }, receivedAt: Date.now() })
 * ```
 */
export type CallUpdated = Extract<CallNotice, { readonly type: 'call.updated' }> & { readonly receivedAt?: number }

/** Every event the call machine accepts. */
export type CallEvent =
  | OperationRequested
  | { readonly type: 'http.accepted'; readonly clientContext: string; readonly report: OperationReport }
  | { readonly type: 'http.rejected'; readonly clientContext: string; readonly error: GraphError }
  | Exclude<CallNotice, { readonly type: 'call.updated' }>
  | CallUpdated
  | { readonly type: 'call.registered'; readonly kind?: CallKind; readonly holdPolicy?: HoldPolicy }
  /**
   * Times out the operations due at `now`; with `only`, just those of these clientContexts (an
   * instance times out its own and those of instances that died, not those another instance times).
   */
  | { readonly type: 'deadline.reached'; readonly now: number; readonly only?: readonly string[] }
  | { readonly type: 'operation.cancel'; readonly clientContext: string; readonly reason?: string }
  | OperationReportToCall
  | CallActionRequested
  | { readonly type: 'callAction.accepted'; readonly clientContext: string; readonly status: number; readonly alreadyEnded?: true }
  | { readonly type: 'callAction.rejected'; readonly clientContext: string; readonly error: GraphError }

/**
 * Asks the runtime to send a call action's request; its answer comes back as `callAction.accepted`/`callAction.rejected`.
 *
 * @example
 * ```ts
 * actor.on('effect.callAction', (e) => actor.send({ type: 'callAction.accepted', clientContext: e.clientContext, status: e.action === 'removeParticipant' ? 204 : 202 }))
 * ```
 */
export interface CallActionEffect {
  readonly type: 'effect.callAction'
  readonly clientContext: string
  readonly action: CallActionName
  readonly participantId?: string
  readonly body?: unknown
}

/**
 * Every call action gets exactly one of these: its outcome.
 *
 * @example
 * ```ts
 * actor.on('callAction.settled', (e) => console.log(e.clientContext, e.result.ok ? e.result.outcome.state : e.result.error._tag))
 * ```
 */
export interface CallActionSettled {
  readonly type: 'callAction.settled'
  readonly clientContext: string
  readonly result: CallActionResult
}

/** Asks the runtime to send an action's HTTP request; its answer comes back as `http.accepted`/`http.rejected`. */
export interface HttpEffect {
  readonly type: 'effect.http'
  readonly clientContext: string
  readonly action: ActionName
  readonly participantId?: string
  readonly body?: unknown
}

/** Every request gets exactly one of these: its outcome. */
export interface OperationSettled {
  readonly type: 'operation.settled'
  readonly clientContext: string
  readonly result: SettledResult
}


/** A real outcome that arrived after its operation had already timed out. */
export interface LateOutcome {
  readonly type: 'operation.lateOutcome'
  readonly clientContext: string
  readonly operation: Operation
  /** The HTTP refusal (a 4xx) when that is how Graph answered after the timeout. */
  readonly error?: GraphError
}

/** A notification about an operation this call does not track. */
export interface UnmatchedNotification {
  readonly type: 'notification.unmatched'
  readonly report: OperationReport
}

/**
 * News of the call for bot code (the runtime publishes it to `orchestrator.subscribe` listeners).
 *
 * @example
 * ```ts
 * actor.on('call.news', (e) => {
 *   if (e.news.type === 'tone') console.log('key', e.news.tone)
 * })
 * ```
 */
export interface CallNewsEmitted {
  readonly type: 'call.news'
  readonly news: CallNews
}

/** What the call machine emits: effects for the runtime and outcomes for the bot. */
export type CallEmitted = HttpEffect | OperationSettled | LateOutcome | UnmatchedNotification | CallNewsEmitted | CallActionEffect | CallActionSettled
