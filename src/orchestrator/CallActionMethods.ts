import type { AnswerBody, RedirectBody, RejectBody, TransferBody } from '../codecs/callActionBodies.js'
import type { CreateCallBody } from '../codecs/CreateCallBody.js'
import type { CallActionAnswer, CallActionName } from '../domain/CallAction.js'

/**
 * What every call action request holds.
 *
 * @example
 * ```ts
 * // The same clientContext twice for one call is refused (InvalidRequest, path clientContext).
 * await orchestrator.hangUp({ callId, clientContext: 'desk-42-hangup' })
 * ```
 */
export interface CallActionRequestBase {
  readonly callId: string
  /** callops's key for the request (a fresh UUID by default); also the base of its `client-request-id`. */
  readonly clientContext?: string
}

/**
 * `answer`: the body Graph documents (acceptedModalities, mediaConfig, callbackUri, ...).
 *
 * @example
 * ```ts
 * const req: AnswerRequest = {
 *   callId: incoming.callId,
 *   body: { acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, callbackUri },
 * }
 * await orchestrator.answer(req)
 * ```
 */
export interface AnswerRequest extends CallActionRequestBase {
  readonly body: AnswerBody
}
/**
 * `reject`: an optional reason (`busy`, `forbidden`, `none`) and callbackUri.
 *
 * @example
 * ```ts
 * const req: RejectRequest = { callId, body: { reason: 'busy' } }
 * ```
 */
export interface RejectRequest extends CallActionRequestBase {
  readonly body?: RejectBody
}
/**
 * `redirect`: 1 to 25 targets, and a timeout of 15 to 90 s.
 *
 * @example
 * ```ts
 * const req: RedirectRequest = { callId, body: { targets: [{ identity: { user: { id: agentId } } }], timeout: 30 } }
 * ```
 */
export interface RedirectRequest extends CallActionRequestBase {
  readonly body: RedirectBody
}
/**
 * `transfer`: blind, or consultative with `transferTarget.replacesCallId`; `transferee` only from a group call.
 *
 * @example
 * ```ts
 * const blind: TransferRequest = { callId, body: { transferTarget: { identity: { user: { id: agentId } } } } }
 * const consultative: TransferRequest = { callId, body: { transferTarget: { identity: { user: { id: agentId } }, replacesCallId: consultCallId } } }
 * ```
 */
export interface TransferRequest extends CallActionRequestBase {
  readonly body: TransferBody
}
/**
 * `hangUp`: DELETE the call.
 *
 * @example
 * ```ts
 * const req: HangUpRequest = { callId }
 * ```
 */
export type HangUpRequest = CallActionRequestBase
/**
 * `removeParticipant`: DELETE one participant of the call.
 *
 * @example
 * ```ts
 * const req: RemoveParticipantRequest = { callId, participantId: agentParticipantId }
 * ```
 */
export interface RemoveParticipantRequest extends CallActionRequestBase {
  readonly participantId: string
}

/**
 * `createCall`: an outgoing call or joining a meeting (targets, or chatInfo and meetingInfo; mediaConfig, callbackUri).
 *
 * @example
 * ```ts
 * const req: CreateCallRequest = {
 *   body: { targets: [{ identity: { user: { id: agentId } } }], requestedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' }, callbackUri },
 * }
 * ```
 */
export interface CreateCallRequest {
  readonly body: CreateCallBody
  /** callops's key for the request (a fresh UUID by default); also the base of its `client-request-id`. */
  readonly clientContext?: string
}

export type { CallActionAnswer } from '../domain/CallAction.js'

/**
 * Milliseconds each call action waits for its outcome by default (the orchestrator's
 * `callActionTimeouts` option overrides them): long enough for Graph's own deadlines (a redirect
 * rings for up to 90 s).
 *
 * @example
 * ```ts
 * createCallOrchestrator({ graph, notificationAuth, callActionTimeouts: { answer: 10_000 } }) // the others stay as here
 * ```
 */
export const DEFAULT_CALL_ACTION_TIMEOUTS_MS: Readonly<Record<CallActionName, number>> = {
  answer: 30_000,
  reject: 30_000,
  redirect: 120_000,
  transfer: 120_000,
  hangUp: 30_000,
  removeParticipant: 30_000,
  createCall: 60_000,
}

/**
 * The bot's own actions on a call (methods of the orchestrator). Each resolves with an fp-ts `Either` once the call's state
 * shows the outcome, never rejects for an outcome, and works from any instance on a durable store.
 * Refusals before anything is sent: `InvalidRequest` (not allowed in the call's state, a transfer
 * already under way, `transferee` in a peer-to-peer call), `AnswerTooLate`, `CallEnded`.
 *
 * @example
 * ```ts
 * orchestrator.subscribe(async (e) => {
 *   if (e.type === 'incoming') await orchestrator.answer({ callId: e.callId, body: { acceptedModalities: ['audio'], mediaConfig } })
 * })
 * ```
 */
export interface CallActionMethods {
  /**
   * Answers a call ringing the bot; resolves when it is `established` (`CallActionFailed` with
   * the `terminated` resultInfo if it ends instead; `AnswerTooLate` past `IncomingCall.answerDeadline`).
   *
   * @example
   * ```ts
   * const r = await orchestrator.answer({ callId, body: { acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } } })
   * if (E.isLeft(r) && r.left._tag === 'AnswerTooLate') console.log('rang out')
   * ```
   */
  answer(req: AnswerRequest): Promise<CallActionAnswer>
  /**
   * Rejects a call ringing the bot; resolves when Graph ends it.
   *
   * @example
   * ```ts
   * await orchestrator.reject({ callId, body: { reason: 'busy' } })
   * ```
   */
  reject(req: RejectRequest): Promise<CallActionAnswer>
  /**
   * Redirects a call ringing the bot; resolves when Graph ends the bot's call.
   *
   * @example
   * ```ts
   * await orchestrator.redirect({ callId, body: { targets: [{ identity: { user: { id: agentId } } }], timeout: 30 } })
   * ```
   */
  redirect(req: RedirectRequest): Promise<CallActionAnswer>
  /**
   * Transfers an established call; resolves on `transferAccepted` (or `terminated`), fails with
   * `CallActionFailed` (resultInfo 500/7000, 500/7700) when Graph returns the call to `established`.
   *
   * @example
   * ```ts
   * const t = await orchestrator.transfer({ callId, body: { transferTarget: { identity: { user: { id: agentId } } } } })
   * ```
   */
  transfer(req: TransferRequest): Promise<CallActionAnswer>
  /**
   * Hangs up (DELETE the call); resolves when it is `terminated`, or at once with `alreadyEnded`
   * when Graph answers 404 or the call has ended. Operations under way end `CallEnded`.
   *
   * @example
   * ```ts
   * await orchestrator.hangUp({ callId })
   * ```
   */
  hangUp(req: HangUpRequest): Promise<CallActionAnswer>
  /**
   * Removes a participant of an established call; resolves on Graph's 204 (Graph notifies nothing
   * else) and the participant leaves the roster.
   *
   * @example
   * ```ts
   * await orchestrator.removeParticipant({ callId, participantId })
   * ```
   */
  removeParticipant(req: RemoveParticipantRequest): Promise<CallActionAnswer>
  /**
   * Places an outgoing call or joins a meeting (POST `/communications/calls`, 201 with the call
   * id; not retried after a 5xx, which may have created it). The call is then tracked from
   * `establishing`; resolves when it is `established` (`outcome.callId` is the new call), fails
   * with `CallActionFailed` and the `terminated` resultInfo if it ends instead.
   * A call to one target without `meetingInfo` or `chatInfo` is tracked as `peerToPeer`: unmute is
   * refused, and once an invite made it a group call a transfer is refused (samples#395).
   *
   * @example
   * ```ts
   * const r = await orchestrator.createCall({ body: { targets: [{ identity: { user: { id: agentId } } }], requestedModalities: ['audio'], mediaConfig, callbackUri } })
   * if (E.isRight(r)) await orchestrator.playPrompt({ callId: r.right.callId, prompts })
   * ```
   */
  createCall(req: CreateCallRequest): Promise<CallActionAnswer>
}
