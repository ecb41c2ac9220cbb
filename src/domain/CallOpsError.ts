import type { GraphErrorDetail } from './GraphErrorDetail.js'
import type { ResultInfo } from './ResultInfo.js'
import type { Operation } from './Operation.js'

/** Another participant holds the call's hold slot: only one participant can be on hold at a time. */
export interface HoldConflict {
  readonly _tag: 'HoldConflict'
  readonly callId: string
  readonly participantId: string
  /** The participant that is on hold (or being put on hold). */
  readonly heldBy: string
  readonly message: string
}

/** Graph ran the operation and it ended badly (`failed`, a non-2xx resultInfo, or cancelled media). */
export interface OperationFailed {
  readonly _tag: 'OperationFailed'
  readonly operation: Operation
  readonly resultInfo?: ResultInfo
  readonly message: string
}

/** No outcome arrived before the operation's deadline. A later outcome is still recorded on the call. */
export interface Timeout {
  readonly _tag: 'Timeout'
  readonly clientContext: string
  /** Epoch milliseconds. */
  readonly deadline: number
  readonly message: string
}

/** The HTTP request failed: an error answer from Graph (decoded), a network error, or retries exhausted. */
export interface Http {
  readonly _tag: 'Http'
  /** The HTTP status, absent for network errors. */
  readonly status?: number
  readonly graphError?: GraphErrorDetail
  /** The `client-request-id` sent with every attempt of this request. */
  readonly clientRequestId?: string
  readonly attempts?: number
  /**
   * Set when Graph answered every attempt 429 or 503 (it processed none) and no attempt is left:
   * the request was not carried out, a definite failure even when the last status was a 503.
   */
  readonly unprocessed?: true
  readonly message: string
}

/** The request breaks a rule before anything is sent (bad id, unmute in a one-to-one call, ...). */
export interface InvalidRequest {
  readonly _tag: 'InvalidRequest'
  readonly message: string
  /** The field that was refused, when one was. */
  readonly path?: string
}

/** The call ended (or was never known to be open) before the operation ended. */
export interface CallEnded {
  readonly _tag: 'CallEnded'
  readonly callId: string
  readonly message: string
}

/** The operation was cancelled by the bot or by closing the orchestrator. */
export interface Cancelled {
  readonly _tag: 'Cancelled'
  readonly message: string
}

/** Something from outside did not match its codec (an HTTP answer, a notification). */
export interface Decode {
  readonly _tag: 'Decode'
  readonly path: string
  readonly message: string
}

/** Getting an access token failed. */
export interface Credential {
  readonly _tag: 'Credential'
  readonly message: string
}

/** A bound was reached (calls or operations tracked per instance). */
export interface CapacityExceeded {
  readonly _tag: 'CapacityExceeded'
  readonly message: string
}

/**
 * callops stopped working on one call: its stored snapshot could not be read (written by a newer
 * version, or of an unexpected shape), or its machine threw. Every caller waiting on that call gets
 * this; the other calls and the process go on. The outcome of requests already sent is unknown.
 */
export interface CallFailed {
  readonly _tag: 'CallFailed'
  readonly callId: string
  /** `snapshot`: the stored call could not be read; `machine`: a guard or action threw. */
  readonly cause: 'snapshot' | 'machine'
  readonly message: string
}

/**
 * The store holds an older version of this call than this instance has seen: Redis restarted
 * without persistence, or a failover promoted a replica that was behind. This instance does not act
 * on the older state (it could send a second hold); every caller waiting on the call here gets
 * this, and so does every later command for it on this instance. The outcome of requests already
 * sent is unknown. See docs/scaling.md.
 *
 * @example
 * ```ts
 * const r = await orchestrator.startHoldMusic({ callId, participantId })
 * if (E.isLeft(r) && r.left._tag === 'StoreRolledBack') alertOps(`call ${r.left.callId}: store at v${r.left.storedVersion}, seen v${r.left.cachedVersion}`)
 * ```
 */
export interface StoreRolledBack {
  readonly _tag: 'StoreRolledBack'
  readonly callId: string
  /** The newest version of the call this instance had seen. */
  readonly cachedVersion: number
  /** The version the store holds now (0: the call is gone from the store). */
  readonly storedVersion: number
  readonly message: string
}

/**
 * An answer came after the call's answer deadline (`IncomingCall.answerDeadline`): Graph has ended
 * or is ending the call (408), so nothing was sent.
 *
 * @example
 * ```ts
 * const r = await orchestrator.answer({ callId, body: { acceptedModalities: ['audio'], mediaConfig } })
 * if (E.isLeft(r) && r.left._tag === 'AnswerTooLate') console.log('rang out at', new Date(r.left.answerDeadline))
 * ```
 */
export interface AnswerTooLate {
  readonly _tag: 'AnswerTooLate'
  readonly callId: string
  /** Epoch milliseconds: the deadline that passed. */
  readonly answerDeadline: number
  readonly message: string
}

/**
 * This instance's lease on the store may have lapsed (it could not renew its heartbeat, e.g. in a
 * network partition from Redis), so it sends nothing: another instance may already be taking its
 * requests over. A request that was recorded before is sent once, by whichever instance recovers
 * it; its outcome is unknown here. Retry on another instance, or once this one is healthy.
 *
 * @example
 * ```ts
 * const r = await orchestrator.hangUp({ callId })
 * if (E.isLeft(r) && r.left._tag === 'Fenced') retryOnAnotherInstance(callId) // nothing was sent
 * ```
 */
export interface Fenced {
  readonly _tag: 'Fenced'
  readonly message: string
}

/**
 * callops recorded the request but did not send it: its deadline had passed by the time it was
 * recorded (the store was slow). Graph never saw it. The caller was answered `Timeout`; this
 * appears as the operation's late outcome.
 *
 * @example
 * ```ts
 * orchestrator.subscribe((e) => {
 *   if (e.type === 'lateOutcome' && e.error?._tag === 'NotSent') console.log('never sent:', e.clientContext)
 * })
 * ```
 */
export interface NotSent {
  readonly _tag: 'NotSent'
  readonly message: string
}

/**
 * Graph accepted a call action but the call's state then showed it failed: an answered call that
 * ended instead of being established, or a transfer that returned the call to `established`
 * (500/7000 blind, 500/7700 consultative). `resultInfo` is Graph's.
 *
 * @example
 * ```ts
 * const t = await orchestrator.transfer({ callId, body: { transferTarget: { identity: { user: { id: agentId } } } } })
 * if (E.isLeft(t) && t.left._tag === 'CallActionFailed' && t.left.state === 'established') {
 *   console.log('transfer failed', t.left.resultInfo?.code, t.left.resultInfo?.subcode) // 500 7000 (blind), 500 7700 (consultative)
 * }
 * ```
 */
export interface CallActionFailed {
  readonly _tag: 'CallActionFailed'
  readonly callId: string
  /** The call action: `answer`, `transfer`, `createCall`, ... */
  readonly action: string
  /** Graph's callState that showed the failure (`terminated`, `established`). */
  readonly state: string
  readonly resultInfo?: ResultInfo
  readonly message: string
}

/**
 * A call action was sent but its HTTP answer was lost with the instance that sent it, and resending
 * it is not safe (a transfer): `restore()` cannot tell whether Graph took it. Look at the call's
 * state (`getCall`, the `callState` news) to learn what happened. docs/reliability.md.
 */
export interface OutcomeUnknown {
  readonly _tag: 'OutcomeUnknown'
  readonly callId: string
  readonly action: string
  readonly message: string
}

/** Every error callops answers with. Match on `_tag`. */
export type CallOpsError =
  | HoldConflict
  | OperationFailed
  | Timeout
  | Http
  | InvalidRequest
  | CallEnded
  | Cancelled
  | Decode
  | Credential
  | CapacityExceeded
  | CallFailed
  | StoreRolledBack
  | Fenced
  | NotSent
  | AnswerTooLate
  | CallActionFailed
  | OutcomeUnknown

/** The errors a request's HTTP step can end with: the Graph client's, and `NotSent` or `Fenced` when the runtime did not send it. */
export type GraphError = Http | InvalidRequest | Decode | Credential | Cancelled | NotSent | Fenced | OutcomeUnknown

export * from './callOpsErrors.js'
