import * as t from 'io-ts'
import type { IncomingCall, IncomingContext } from '../domain/IncomingCall.js'
import type { Mutable } from '../domain/Mutable.js'
import type { CallResource, IncomingContextResource } from './CallResource.js'
import { toIdentityList } from './toIdentityList.js'

/** How long Graph waits for an answer, reject or redirect (call-answer page: "15 seconds"). */
export const ANSWER_WINDOW_MS = 15_000
/** The same for policy-based recording invites ("5 seconds for policy-based recording scenarios"). */
export const POLICY_RECORDING_ANSWER_WINDOW_MS = 5_000

const BotData = t.partial({ botData: t.partial({ inviteReasons: t.array(t.unknown) }) })

/**
 * Whether an incoming call is a policy-based recording invite. The only documented sign is the
 * call-answer page's "Answer a policy-based recording call" example: its incoming notification
 * carries `applicationMetadata.botData.inviteReasons: ["PolicyBasedRecording"]` (the answer then
 * sets `participantCapacity`). Any casing of that reason counts; anything else is a regular call.
 */
export const isPolicyRecordingInvite = (call: CallResource): boolean => {
  const meta = call.applicationMetadata
  if (!BotData.is(meta)) return false
  return meta.botData?.inviteReasons?.some((r) => typeof r === 'string' && r.toLowerCase() === 'policybasedrecording') ?? false
}

const toIncomingContext = (c: IncomingContextResource): IncomingContext => {
  const out: Mutable<IncomingContext> = {}
  if (typeof c.sourceParticipantId === 'string') out.sourceParticipantId = c.sourceParticipantId
  if (typeof c.observedParticipantId === 'string') out.observedParticipantId = c.observedParticipantId
  if (c.onBehalfOf !== undefined && c.onBehalfOf !== null) out.onBehalfOf = toIdentityList(c.onBehalfOf)
  if (c.transferor !== undefined && c.transferor !== null) out.transferor = toIdentityList(c.transferor)
  return out
}

/**
 * An incoming call from the call resource of a `created` notification with state `incoming`.
 * `receivedAt` (epoch ms, from the orchestrator's clock) is when the webhook got the notification:
 * the deadline runs from there, since Graph's clock is not in the payload.
 *
 * @example
 * ```ts
 * const incoming = toIncomingCall(callId, decodedCall, clock.now())
 * incoming.answerDeadline - clock.now() // 15000
 * ```
 */
export const toIncomingCall = (callId: string, call: CallResource, receivedAt: number): IncomingCall => {
  const window = isPolicyRecordingInvite(call) ? POLICY_RECORDING_ANSWER_WINDOW_MS : ANSWER_WINDOW_MS
  const incoming: Mutable<IncomingCall> = {
    callId,
    caller: toIdentityList(call.source?.identity),
    callees: (call.targets ?? []).map((target) => toIdentityList(target.identity)),
    answerDeadline: receivedAt + window,
  }
  if (typeof call.direction === 'string') incoming.direction = call.direction
  if (call.incomingContext !== undefined && call.incomingContext !== null) incoming.incomingContext = toIncomingContext(call.incomingContext)
  if (call.chatInfo !== undefined && call.chatInfo !== null) incoming.chatInfo = call.chatInfo
  if (call.meetingInfo !== undefined && call.meetingInfo !== null) incoming.meetingInfo = call.meetingInfo
  return incoming
}
