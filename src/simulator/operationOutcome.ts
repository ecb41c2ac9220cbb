import type { InvitationParticipantInfo } from '../codecs/CommsOperation.js'
import type { ResultInfo } from '../domain/ResultInfo.js'
import { successInfo } from './graphResources.js'
import type { SimCall, SimOperation } from './SimCall.js'

/** Invented: Graph documents the single-hold rule but no error for breaking it. */
export const holdConflictInfo: ResultInfo = { code: 409, subcode: 8560, message: 'Only one participant can be placed on hold at any given time.' }
/** Invented: stopHoldMusic for a participant that is not on hold. */
export const notOnHoldInfo: ResultInfo = { code: 400, subcode: 8561, message: 'The participant is not on hold.' }
/** Invented: the participant left before the operation ended. */
export const participantGoneInfo: ResultInfo = { code: 404, subcode: 8562, message: 'The participant is no longer in the call.' }
/** Invented: the failure the `failRate` fault injects. */
export const simulatedFailureInfo: ResultInfo = { code: 500, subcode: 8500, message: 'Simulated failure' }
/**
 * Reported (comms-samples #325): subscribeToTone on a call with app-hosted media.
 *
 * @example
 * ```ts
 * const r = await orchestrator.subscribeToTone({ callId }) // in a call answered with appHostedMediaConfig
 * if (E.isLeft(r) && r.left._tag === 'OperationFailed') expect(r.left.resultInfo?.subcode).toBe(appHostedToneInfo.subcode)
 * ```
 */
export const appHostedToneInfo: ResultInfo = { code: 500, subcode: 9999, message: 'Tones are available with service-hosted media only.' }
/** Documented (graph-reference.md): pending media operations cancelled by cancelMediaProcessing. */
export const mediaCancelledInfo: ResultInfo = { code: 400, subcode: 8508, message: 'Action failed, the operation was cancelled.' }

/** How one operation ended and whether the roster changed with it. */
export interface Outcome {
  readonly status: 'completed' | 'failed'
  readonly resultInfo: ResultInfo
  /** Subtype fields of the completion: completionReason, recordingLocation, participants. */
  readonly extra: Readonly<Record<string, unknown>>
  readonly rosterChanged: boolean
}

const failed = (resultInfo: ResultInfo, extra: Readonly<Record<string, unknown>> = {}): Outcome => ({
  status: 'failed',
  resultInfo,
  extra,
  rosterChanged: false,
})
const completed = (extra: Readonly<Record<string, unknown>> = {}, rosterChanged = false): Outcome => ({
  status: 'completed',
  resultInfo: successInfo,
  extra,
  rosterChanged,
})

/** What the simulator needs besides the call to end an operation. */
export interface OutcomeContext {
  readonly now: number
  /** Where recordResponse says the recording is (a loopback URL). */
  readonly recordingLocation: (opId: string) => string
  readonly newId: () => string
}

/**
 * Ends `op` on `call`: decides its outcome and applies it (hold intervals, mute state, invitees).
 * The hold rule is checked here, when the hold would begin, so two holds of one call never overlap
 * whatever the order in which their operations end.
 */
export const operationOutcome = (call: SimCall, op: SimOperation, ctx: OutcomeContext): Outcome => {
  const participant = op.participantId === undefined ? undefined : call.participants.get(op.participantId)
  if (op.participantId !== undefined && participant === undefined) return failed(participantGoneInfo)
  switch (op.action) {
    case 'startHoldMusic': {
      if (participant === undefined) return failed(participantGoneInfo)
      const other = [...call.participants.values()].find((p) => p.holdIndex >= 0 && p.id !== participant.id)
      if (other !== undefined) return failed(holdConflictInfo)
      if (op.fails) return failed(simulatedFailureInfo)
      // Invented: holding a participant already on hold succeeds and keeps the open interval.
      if (participant.holdIndex >= 0) return completed()
      participant.holdIndex = call.holds.push({ participantId: participant.id, start: ctx.now }) - 1
      return completed({}, true)
    }
    case 'stopHoldMusic': {
      if (participant === undefined) return failed(participantGoneInfo)
      if (participant.holdIndex < 0) return failed(notOnHoldInfo)
      if (op.fails) return failed(simulatedFailureInfo)
      endHold(call, participant.id, ctx.now)
      return completed({}, true)
    }
    case 'muteParticipant': {
      if (participant === undefined) return failed(participantGoneInfo)
      if (op.fails) return failed(simulatedFailureInfo)
      participant.isMuted = true
      return completed({}, true)
    }
    case 'unmute':
    case 'mute': {
      if (op.fails) return failed(simulatedFailureInfo)
      call.bot.isMuted = op.action === 'mute'
      return completed({}, true)
    }
    case 'playPrompt':
      return op.fails ? failed(simulatedFailureInfo, { completionReason: 'unknown' }) : completed({ completionReason: 'completedSuccessfully' })
    case 'sendDtmfTones':
      return op.fails ? failed(simulatedFailureInfo, { completionReason: 'unknown' }) : completed({ completionReason: 'completedSuccessfully' })
    case 'recordResponse':
      return op.fails
        ? failed(simulatedFailureInfo, { completionReason: 'unspecifiedError' })
        : completed({
            completionReason: 'maxRecordDurationReached',
            recordingLocation: ctx.recordingLocation(op.id),
            recordingAccessToken: `sim-recording-token-${op.id}`,
          })
    case 'subscribeToTone':
      // The docs: tones only for serviceHostedMediaConfig calls; an app-hosted one got 500/9999.
      if (call.appHostedMedia) return failed(appHostedToneInfo)
      if (op.fails) return failed(simulatedFailureInfo)
      // From now on the simulator notifies the keys pressed (admin: POST /_sim/calls/{id}/tones).
      call.tonesSubscribed = true
      return completed()
    case 'inviteParticipants': {
      const invitees = op.invitees ?? []
      if (op.fails) return failed(simulatedFailureInfo, { participants: invitees })
      for (const invitee of invitees) join(call, invitee, ctx.newId)
      return completed({ participants: invitees }, invitees.length > 0)
    }
    default:
      return op.fails ? failed(simulatedFailureInfo) : completed()
  }
}

/** Closes the open hold interval of `participantId`, if any. */
export const endHold = (call: SimCall, participantId: string, now: number): boolean => {
  const p = call.participants.get(participantId)
  if (p === undefined || p.holdIndex < 0) return false
  const interval = call.holds[p.holdIndex]
  if (interval !== undefined) interval.end = now
  p.holdIndex = -1
  return true
}

const join = (call: SimCall, invitee: InvitationParticipantInfo, newId: () => string): void => {
  const given = invitee.participantId
  const id = typeof given === 'string' && given !== '' && !call.participants.has(given) ? given : newId()
  const who = invitee.identity.user ?? invitee.identity.phone ?? invitee.identity.guest ?? invitee.identity.application ?? {}
  call.participants.set(id, {
    id,
    userId: who.id ?? newId(),
    displayName: who.displayName ?? 'Invited participant',
    isMuted: false,
    holdIndex: -1,
  })
}
