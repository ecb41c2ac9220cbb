import * as t from 'io-ts'
import { ClientContext } from './ClientContext.js'
import { InvitationParticipantInfo } from './CommsOperation.js'
import { CallOptions, MediaConfig, Modality } from './MediaConfig.js'
import { ParticipantInfo } from './Participant.js'
import { integerIn, sizedArray } from './requestBodies.js'

// The bodies of the call actions that are not commsOperations (answer, reject, redirect, transfer),
// as call-answer.md, call-reject.md, call-redirect.md and call-transfer.md print them (a new
// call's body is in CreateCallBody.ts, mediaConfig in MediaConfig.ts). The client checks a body with these
// and sends it as given: fields not named here go to Graph untouched.

// --- answer, reject, redirect

/** Body of `call: answer`: accept an incoming call within its answer deadline. */
export const AnswerBody = t.intersection(
  [
    t.type({ acceptedModalities: sizedArray(Modality, 1, 4, 'modalities'), mediaConfig: MediaConfig }),
    t.partial({ callbackUri: t.string, participantCapacity: integerIn(0, 2_147_483_647), callOptions: CallOptions }),
  ],
  'AnswerBody',
)
/**
 * Body of `call: answer`.
 *
 * @example
 * ```ts
 * const body: AnswerBody = {
 *   acceptedModalities: ['audio'],
 *   mediaConfig: { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig', preFetchMedia: [{ uri: 'https://bot.example/welcome.wav', resourceId: 'welcome' }] },
 *   callbackUri: 'https://bot.example/api/calls',
 * }
 * await graph.answer(callId, body)()
 * ```
 */
export type AnswerBody = t.TypeOf<typeof AnswerBody>

/** Why the bot rejects a call (the docs write None/Busy/Forbidden; the examples send lower case). */
export const RejectReason = t.keyof({ none: null, busy: null, forbidden: null, unknownFutureValue: null }, 'a reject reason')
/**
 * Why the bot rejects a call.
 *
 * @example
 * ```ts
 * const reason: RejectReason = 'forbidden'
 * ```
 */
export type RejectReason = t.TypeOf<typeof RejectReason>

/** Body of `call: reject`: decline an incoming call. */
export const RejectBody = t.partial({ reason: RejectReason, callbackUri: t.string }, 'RejectBody')
/**
 * Body of `call: reject`.
 *
 * @example
 * ```ts
 * const body: RejectBody = { reason: 'busy' }
 * await graph.reject(callId, body)()
 * ```
 */
export type RejectBody = t.TypeOf<typeof RejectBody>

/** Body of `call: redirect`: ring 1 to 25 targets at once instead of answering; timeout 15 to 90 seconds. */
export const RedirectBody = t.intersection(
  [
    t.type({ targets: sizedArray(InvitationParticipantInfo, 1, 25, 'redirect targets ({ identity })') }),
    t.partial({ timeout: integerIn(15, 90), callbackUri: t.string }),
  ],
  'RedirectBody',
)
/**
 * Body of `call: redirect`.
 *
 * @example
 * ```ts
 * const body: RedirectBody = { targets: [{ identity: { user: { id: agentId } } }], timeout: 30 }
 * await graph.redirect(callId, body)()
 * ```
 */
export type RedirectBody = t.TypeOf<typeof RedirectBody>

// --- transfer

/** The participant of a group call to transfer (`participantInfo` with its `participantId`). */
export const Transferee = t.intersection([ParticipantInfo, t.partial({ participantId: t.string })], 'Transferee')
/**
 * The participant of a group call to transfer.
 *
 * @example
 * ```ts
 * const transferee: Transferee = { identity: { user: { id: callerId } }, participantId }
 * ```
 */
export type Transferee = t.TypeOf<typeof Transferee>

/**
 * Body of `call: transfer`: blind, or consultative when `transferTarget.replacesCallId` names the
 * call with the target; `transferee` only when transferring out of a group call.
 */
export const TransferBody = t.intersection(
  [t.type({ transferTarget: InvitationParticipantInfo }), t.partial({ transferee: Transferee, clientContext: ClientContext })],
  'TransferBody',
)
/**
 * Body of `call: transfer`.
 *
 * @example
 * ```ts
 * // blind
 * const blind: TransferBody = { transferTarget: { identity: { user: { id: agentId } } } }
 * // consultative: the bot's call with the agent replaces this one
 * const consultative: TransferBody = { transferTarget: { identity: { user: { id: agentId } }, replacesCallId: agentCallId } }
 * await graph.transfer(callId, blind)()
 * ```
 */
export type TransferBody = t.TypeOf<typeof TransferBody>
