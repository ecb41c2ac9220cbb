import type { CallContext, CallEvent, HoldPolicy } from './callTypes.js'
import { ended, failureOf, late, lateRelease, requested, sameEntry } from './callHelpers.js'
import { isDefiniteFailure } from './isDefiniteFailure.js'
import { missingFromRoster } from './callQueries.js'
import { hasJoined, own } from './ownEntry.js'

type Args = { readonly context: CallContext; readonly event: CallEvent }

/** The call machine's guards: the hold slot's rules, the requests it takes, and what Graph told of the call. */
export const callGuards = {
  // --- requests
  keyInUse: ({ context, event }: Args) => {
    const r = requested(event)
    if (r === undefined) return false
    return (
      own(context.inFlight, r.clientContext) !== undefined ||
      hasJoined(context.joiners, r.clientContext) ||
      context.queue.some((q) => q.clientContext === r.clientContext)
    )
  },
  isStartHold: ({ event }: Args) => requested(event)?.action === 'startHoldMusic',
  isStopHold: ({ event }: Args) => requested(event)?.action === 'stopHoldMusic',
  isHeldParticipant: ({ context, event }: Args) => {
    const r = requested(event)
    return r !== undefined && context.hold !== undefined && r.participantId === context.hold.participantId
  },
  // The startHoldMusic that took the slot can still answer: a second request for the participant joins it.
  holdPending: ({ context }: Args) => {
    const f = context.hold === undefined ? undefined : own(context.inFlight, context.hold.holdKey)
    return f !== undefined && f.timedOut === undefined
  },
  holdConfirmed: ({ context }: Args) => context.hold?.operation !== undefined,
  // The attempt this ended (or late) operation is, is the only one left that may hold the participant.
  isLastAttempt: ({ context, event }: Args) => {
    const key = ended(event)?.clientContext ?? late(event)?.clientContext
    return key !== undefined && context.hold !== undefined && context.hold.attempts.every((k) => k === key)
  },
  // A request may carry its own policy; otherwise the call's applies.
  policyIs: ({ context, event }: Args, params: { policy: HoldPolicy }) => (requested(event)?.holdPolicy ?? context.holdPolicy) === params.policy,
  // The swap's stopHoldMusic needs a clientContext of its own, not one already in use.
  canSwap: ({ context, event }: Args) => {
    const key = requested(event)?.swapClientContext
    return key !== undefined && own(context.inFlight, key) === undefined && !hasJoined(context.joiners, key)
  },
  isUnmuteInOneToOneCall: ({ context, event }: Args) => context.kind === 'peerToPeer' && requested(event)?.action === 'unmute',
  sameMuteInFlight: ({ context, event }: Args) => {
    const a = requested(event)?.action
    if (a !== 'unmute' && a !== 'mute') return false
    return Object.values(context.inFlight).some((f) => f.action === a && f.timedOut === undefined)
  },

  // --- outcomes
  // One of the slot's hold attempts ended (the newest, or one still pending after an older one's late success).
  endsAttempt: ({ context, event }: Args) => {
    const key = ended(event)?.clientContext
    return key !== undefined && context.hold !== undefined && context.hold.attempts.includes(key)
  },
  endsRelease: ({ context, event }: Args) => context.hold !== undefined && ended(event)?.clientContext === context.hold.stopKey,
  resultSucceeded: ({ event }: Args) => ended(event)?.result.ok === true,
  failureIsDefinite: ({ event }: Args) => {
    const e = ended(event)
    const f = e === undefined ? undefined : failureOf(e.result)
    return f !== undefined && isDefiniteFailure(f)
  },
  lateIsAttempt: ({ context, event }: Args) => {
    const l = late(event)
    return l !== undefined && context.hold !== undefined && context.hold.attempts.includes(l.clientContext)
  },
  // A release that timed out succeeded after all: the attempts sent before it are off hold.
  lateReleaseSucceeded: ({ context, event }: Args) => lateRelease(context, event) !== undefined,
  lateReleaseFreesAll: ({ context, event }: Args) => {
    const stop = lateRelease(context, event)
    return stop !== undefined && context.hold !== undefined && context.hold.attempts.every((k) => stop.covers.includes(k))
  },
  lateReleaseCoversHold: ({ context, event }: Args) => {
    const key = context.hold?.operation?.clientContext
    return key !== undefined && lateRelease(context, event)?.covers.includes(key) === true
  },
  lateSucceeded: ({ event }: Args) => late(event)?.succeeded === true,

  // --- the roster
  heldParticipantLeft: ({ context, event }: Args) =>
    event.type === 'roster.removed' && context.hold !== undefined && event.participantIds.includes(context.hold.participantId),
  hasQueuedHold: ({ context }: Args) => context.queue.length > 0,
  // Graph resends the whole roster on every change (a hold, a mute): most updates change no entry.
  rosterChanges: ({ context, event }: Args) =>
    event.type === 'roster.updated' && (event.participants.some((p) => !sameEntry(own(context.roster, p.id), p)) || missingFromRoster(context, event).length > 0),

  // --- the call's lifecycle
  startsIncoming: ({ context }: Args) => context.incoming !== undefined,
  // A call the bot created starts where Graph's 201 said it is.
  startsOutgoing: ({ context }: Args) => context.graphState === 'establishing',
  // Graph's callState of a call.updated (lower-cased by the notification pipeline).
  stateIs: ({ event }: Args, params: { state: string }) => event.type === 'call.updated' && event.state === params.state,
  answerDeadlinePassed: ({ context, event }: Args) => event.type === 'deadline.reached' && context.answerBy !== undefined && context.answerBy <= event.now,
}
