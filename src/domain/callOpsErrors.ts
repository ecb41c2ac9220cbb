// The constructors of the errors in CallOpsError.ts (which re-exports them): one place that
// words each message.
import type { AnswerTooLate, CallActionFailed, CallEnded, CallFailed, Cancelled, CapacityExceeded, Fenced, HoldConflict, InvalidRequest, NotSent, OperationFailed, OutcomeUnknown, StoreRolledBack, Timeout } from './CallOpsError.js'
import type { ResultInfo } from './ResultInfo.js'
import type { Operation } from './Operation.js'

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
