import type { ResultInfo } from '../domain/ResultInfo.js'
import { resultInfoResource } from './graphResources.js'
import type { SimCall, SimCallState } from './SimCall.js'
import type { NotificationSpec } from './spellNotification.js'

// The call-state notifications of whole calls, shaped like the examples of call-answer.md,
// call-reject.md, call-redirect.md, call-transfer.md, application-post-calls.md and call-delete.md.

/**
 * Documented (call-transfer.md): a blind transfer completed.
 *
 * @example
 * ```ts
 * // A test of a blind transfer: the call ends with the code Graph documents.
 * expect(orchestrator.getCall(callId)?.termination?.resultInfo).toMatchObject({ code: transferCompletedInfo.code, subcode: transferCompletedInfo.subcode })
 * ```
 */
export const transferCompletedInfo: ResultInfo = { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' }
/**
 * Documented (call-delete.md): the call ended after DELETE.
 *
 * @example
 * ```ts
 * await orchestrator.hangUp({ callId })
 * expect(orchestrator.getCall(callId)?.termination?.resultInfo?.subcode).toBe(conversationEndedInfo.subcode) // 5001
 * ```
 */
export const conversationEndedInfo: ResultInfo = { code: 200, subcode: 5001, message: 'The conversation has ended.' }
/**
 * Documented end code: the incoming call was not answered before its deadline.
 *
 * @example
 * ```ts
 * // A call the bot let ring out (ring with answerDeadlineMs: 100, then wait):
 * expect(orchestrator.getCall(callId)?.termination?.resultInfo?.code).toBe(answerDeadlineInfo.code) // 408
 * ```
 */
export const answerDeadlineInfo: ResultInfo = { code: 408, subcode: 1106, message: 'Call acceptance was not acknowledged in time.' }

/** A call notification on `/communications/calls/{id}` carrying `fields` (and the call's id). */
export const callSpec = (
  call: SimCall,
  changeType: NotificationSpec['changeType'],
  fields: Readonly<Record<string, unknown>>,
): NotificationSpec => ({
  changeType,
  callId: call.id,
  rest: [],
  leadingSlash: true,
  resourceData: { '@odata.type': '#microsoft.graph.call', '@odata.id': `/communications/calls/${call.id}`, id: call.id, ...fields },
})

/** reject's `deleted`: call-reject.md shows it with no state and no id. */
export const rejectedSpec = (call: SimCall): NotificationSpec => ({
  changeType: 'deleted',
  callId: call.id,
  rest: [],
  leadingSlash: true,
  resourceData: { '@odata.type': '#microsoft.graph.call', '@odata.id': `/communications/calls/${call.id}` },
})

/** `updated` with a state (and more fields). */
export const stateSpec = (call: SimCall, state: SimCallState, extra: Readonly<Record<string, unknown>> = {}): NotificationSpec =>
  callSpec(call, 'updated', { state, ...extra })

/** `deleted` `terminated`, with a resultInfo or other fields. */
export const terminatedSpec = (call: SimCall, extra: Readonly<Record<string, unknown>>): NotificationSpec =>
  callSpec(call, 'deleted', { state: 'terminated', ...extra })

/** A resultInfo as call-delete.md prints it (`"200"`, `"5001"`) when `asStrings`. */
export const resultInfoOf = (r: ResultInfo, asStrings = false): Record<string, unknown> =>
  asStrings ? { ...resultInfoResource(r), code: String(r.code), subcode: String(r.subcode ?? 0) } : resultInfoResource(r)

/** A transfer failure as call-transfer.md prints it: back to `established`, resultInfo with `subCode`. */
export const transferFailedSpec = (call: SimCall, consultative: boolean): NotificationSpec =>
  stateSpec(call, 'established', {
    resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 500, subCode: consultative ? 7700 : 7000, message: 'The transfer failed (simulated).' },
    ...(consultative ? { replacesContext: call.id } : {}),
  })

/** The identitySet of a caller or a target. */
export const identityOf = (kind: string, id: string, displayName?: string): Record<string, unknown> => ({
  '@odata.type': '#microsoft.graph.identitySet',
  [kind]: { '@odata.type': '#microsoft.graph.identity', id, ...(displayName === undefined ? {} : { displayName }) },
})

/** The `created` notification of a rung call: state and direction `incoming`, the caller in `source`, the bot in `targets`. */
export const incomingSpec = (call: SimCall, appId: string, tenantId: string): NotificationSpec => {
  const caller = call.caller ?? { kind: 'user', id: call.id }
  return callSpec(call, 'created', {
    state: 'incoming',
    direction: 'incoming',
    callbackUri: call.callbackUrl,
    tenantId,
    source: { '@odata.type': '#microsoft.graph.participantInfo', identity: identityOf(caller.kind, caller.id, caller.displayName), region: 'westus', languageId: 'en-US' },
    targets: [{ '@odata.type': '#microsoft.graph.participantInfo', identity: identityOf('application', appId, 'callops simulator bot') }],
    requestedModalities: ['audio'],
    myParticipantId: call.bot.id,
    ...(call.group
      ? {
          chatInfo: { '@odata.type': '#microsoft.graph.chatInfo', threadId: `19:meeting_${call.id}@thread.v2`, messageId: '0' },
          meetingInfo: { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: identityOf('user', caller.id, caller.displayName) },
        }
      : {}),
  })
}
