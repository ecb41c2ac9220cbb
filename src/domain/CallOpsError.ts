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

// --- constructors

/** Builds a {@link HoldConflict}. */
export const holdConflict = (callId: string, participantId: string, heldBy: string): HoldConflict => ({
  _tag: 'HoldConflict',
  callId,
  participantId,
  heldBy,
  message: `participant ${heldBy} is already on hold in call ${callId}: only one participant can be on hold at a time`,
})

/** Builds an {@link InvalidRequest}. */
export const invalidRequest = (message: string, path?: string): InvalidRequest =>
  path === undefined ? { _tag: 'InvalidRequest', message } : { _tag: 'InvalidRequest', message, path }

/** Builds a {@link Timeout}. */
export const timeout = (clientContext: string, deadline: number): Timeout => ({
  _tag: 'Timeout',
  clientContext,
  deadline,
  message: `no outcome for operation ${clientContext} before its deadline ${new Date(deadline).toISOString()}`,
})

/** Builds a {@link CallEnded}. */
export const callEnded = (callId: string): CallEnded => ({ _tag: 'CallEnded', callId, message: `call ${callId} has ended` })

/** Builds a {@link Cancelled}. */
export const cancelled = (message = 'operation cancelled'): Cancelled => ({ _tag: 'Cancelled', message })

/** Builds an {@link OperationFailed}. */
export const operationFailed = (operation: Operation): OperationFailed => {
  const r = operation.resultInfo
  const detail = r === undefined ? `status ${operation.status}` : `resultInfo ${r.code}/${r.subcode ?? 0}${r.message === undefined ? '' : ` ${r.message}`}`
  const message = `${operation.action} failed: ${detail}`
  return r === undefined ? { _tag: 'OperationFailed', operation, message } : { _tag: 'OperationFailed', operation, resultInfo: r, message }
}

/** Builds a {@link CapacityExceeded}. */
export const capacityExceeded = (message: string): CapacityExceeded => ({ _tag: 'CapacityExceeded', message })

/** Builds a {@link CallFailed}. */
export const callFailed = (callId: string, cause: CallFailed['cause'], detail: string): CallFailed => ({
  _tag: 'CallFailed',
  callId,
  cause,
  message: `callops stopped working on call ${callId}: ${detail}`,
})

/**
 * Builds a {@link StoreRolledBack}.
 *
 * @example
 * ```ts
 * storeRolledBack('call-1', 7, 5) // { _tag: 'StoreRolledBack', callId: 'call-1', cachedVersion: 7, storedVersion: 5, message }
 * ```
 */
export const storeRolledBack = (callId: string, cachedVersion: number, storedVersion: number): StoreRolledBack => ({
  _tag: 'StoreRolledBack',
  callId,
  cachedVersion,
  storedVersion,
  message:
    storedVersion === 0
      ? `the store lost call ${callId} (this instance had seen version ${cachedVersion}): Redis restarted without persistence or failed over; callops does not act on it here`
      : `the store holds version ${storedVersion} of call ${callId}, older than version ${cachedVersion} this instance had seen (a failover to a replica that was behind?); callops does not act on it here`,
})

/**
 * Builds a {@link Fenced}.
 *
 * @example
 * ```ts
 * const error = fenced('heartbeat not renewed for 7.5 s') // a fake store's answer in a test
 * ```
 */
export const fenced = (detail: string): Fenced => ({ _tag: 'Fenced', message: `this instance's lease on the store may have lapsed, so it sends nothing: ${detail}` })

/**
 * Builds an {@link OutcomeUnknown}.
 *
 * @example
 * ```ts
 * outcomeUnknown('call-1', 'transfer') // { _tag: 'OutcomeUnknown', callId: 'call-1', action: 'transfer', message }
 * ```
 */
export const outcomeUnknown = (callId: string, action: string): OutcomeUnknown => ({
  _tag: 'OutcomeUnknown',
  callId,
  action,
  message: `${action} of call ${callId} was sent by an instance that stopped before Graph's answer, and is not resent: its outcome is unknown (look at the call's state)`,
})

/**
 * Builds a {@link NotSent}.
 *
 * @example
 * ```ts
 * notSent('deadline passed while the store was recording it') // { _tag: 'NotSent', message }
 * ```
 */
export const notSent = (detail: string): NotSent => ({ _tag: 'NotSent', message: `recorded but not sent: ${detail}` })

/**
 * Builds an {@link AnswerTooLate}.
 *
 * @example
 * ```ts
 * answerTooLate(callId, incoming.answerDeadline) // { _tag: 'AnswerTooLate', callId, answerDeadline, message }
 * ```
 */
export const answerTooLate = (callId: string, answerDeadline: number): AnswerTooLate => ({
  _tag: 'AnswerTooLate',
  callId,
  answerDeadline,
  message: `call ${callId} was to be answered by ${new Date(answerDeadline).toISOString()}: too late to answer`,
})

/**
 * Builds a {@link CallActionFailed}.
 *
 * @example
 * ```ts
 * callActionFailed(callId, 'transfer', 'established', { code: 500, subcode: 7000 }).message
 * // 'transfer of call … failed: the call is established: resultInfo 500/7000'
 * ```
 */
export const callActionFailed = (callId: string, action: string, state: string, resultInfo?: ResultInfo): CallActionFailed => {
  const detail = resultInfo === undefined ? '' : `: resultInfo ${resultInfo.code}/${resultInfo.subcode ?? 0}${resultInfo.message === undefined ? '' : ` ${resultInfo.message}`}`
  const message = `${action} of call ${callId} failed: the call is ${state}${detail}`
  return resultInfo === undefined ? { _tag: 'CallActionFailed', callId, action, state, message } : { _tag: 'CallActionFailed', callId, action, state, resultInfo, message }
}
