import type { SnapshotFrom } from 'xstate'
import type { CallMachine } from './call.machine.js'
import type { CallContext, HttpEffect, PendingCallAction } from './callTypes.js'
import { own } from './ownEntry.js'

// Pure readings of a call's snapshot for the runtime, so the shell never re-derives the machine's
// rules from its context or reads an operation's private context.

/**
 * Whether the request `clientContext` was sent and its HTTP answer is still to be processed: it is
 * in flight and has not timed out.
 */
export const isAwaitingAnswer = (context: CallContext, clientContext: string): boolean => {
  const f = own(context.inFlight, clientContext)
  return f !== undefined && f.timedOut === undefined
}

/** The deadline of request `clientContext` while it is in flight (epoch ms), or `undefined`. */
export const deadlineOf = (context: CallContext, clientContext: string): number | undefined => own(context.inFlight, clientContext)?.deadline

/** The request to send again for `clientContext` (same action, participant and body), while it awaits its answer. */
export const requestToResend = (context: CallContext, clientContext: string): HttpEffect | undefined => {
  const f = own(context.inFlight, clientContext)
  if (f === undefined || f.timedOut !== undefined) return undefined
  return {
    type: 'effect.http',
    clientContext,
    action: f.action,
    ...(f.participantId === undefined ? {} : { participantId: f.participantId }),
    ...(f.body === undefined ? {} : { body: f.body }),
  }
}

/** Whether Graph already told the outcome of `clientContext` in a notification that beat the HTTP answer. */
export const knowsOutcomeBeforeAnswer = (snapshot: SnapshotFrom<CallMachine>, clientContext: string): boolean =>
  own(snapshot.context.inFlight, clientContext)?.op.context.early !== undefined

/** The operation machine's state of request `clientContext` (`running`, `failed.timedOut`, ...), or `unknown`. */
export const operationStateOf = (snapshot: SnapshotFrom<CallMachine>, clientContext: string): unknown =>
  own(snapshot.context.inFlight, clientContext)?.op.value ?? 'unknown'

/** The clientContexts of the operations whose deadline is at or before `now` (in flight and not timed out yet, or queued). */
export const dueOperations = (context: CallContext, now: number): string[] => {
  const due: string[] = []
  for (const key in context.inFlight) {
    const f = own(context.inFlight, key)
    if (f !== undefined && f.timedOut === undefined && f.deadline <= now) due.push(key)
  }
  for (const q of context.queue) if (q.deadline <= now) due.push(q.clientContext)
  return due
}

/**
 * Whether the call is peer-to-peer as far as callops knows: registered so, or an incoming call that
 * rang the bot with no chatInfo or meetingInfo (those mark group calls and meetings).
 */
export const wasPeerToPeer = (context: CallContext): boolean =>
  context.kind === 'peerToPeer' ||
  (context.kind === 'unknown' && context.incoming !== undefined && context.incoming.chatInfo === undefined && context.incoming.meetingInfo === undefined)

/** The participants the call knows that a full roster (`full`) no longer lists; none for a roster of changes. */
export const missingFromRoster = (context: CallContext, event: { readonly type: string; readonly participants?: readonly { readonly id: string }[]; readonly full?: true }): readonly string[] => {
  if (event.type !== 'roster.updated' || event.full !== true || event.participants === undefined) return []
  const listed = new Set(event.participants.map((p) => p.id))
  return Object.keys(context.roster).filter((id) => !listed.has(id))
}

/** The call action `clientContext` while it was sent and Graph's HTTP answer is still to come (it is pending and not accepted). */
export const callActionAwaitingAnswer = (context: CallContext, clientContext: string): PendingCallAction | undefined => {
  const p = own(context.callActions ?? {}, clientContext)
  return p === undefined || p.accepted === true ? undefined : p
}
