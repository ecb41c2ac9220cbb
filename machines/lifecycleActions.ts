import { invalidRequest } from '../src/domain/CallOpsError.js'
import type { CallContext, CallEvent, RosterEntry } from './callTypes.js'
import { isKnownCallState, isStaleCallState } from './callNews.js'
import { callSetup, type Enqueue } from './callSetup.js'
import { detailOf, refuse, setEntry, tell, without } from './callHelpers.js'
import { missingFromRoster } from './callQueries.js'
import { own } from './ownEntry.js'
import { flushTones, receiveTone } from './toneOrder.js'

/** Records Graph's new callState and tells bot code, once per change; a stale one (out of order) is dropped. */
const noteState = (enqueue: Enqueue, context: CallContext, state: string | undefined): void => {
  if (state === undefined || state === context.graphState || isStaleCallState(state, context.graphState)) return
  enqueue.assign({ graphState: state })
  tell(enqueue, { type: 'callState', state, ...(context.graphState === undefined ? {} : { previous: context.graphState }), known: isKnownCallState(state) })
}

/** The call machine's actions of the call itself: what Graph tells of its state, media, tones and roster. */
export const lifecycleActions = {
  // --- roster (joins and leaves are news for bot code)
  mergeRoster: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'roster.updated') return
    const next: Record<string, RosterEntry> = { ...context.roster }
    for (const p of event.participants) {
      if (own(context.roster, p.id) === undefined) tell(enqueue, { type: 'participantJoined', participant: p })
      setEntry(next, p.id, p)
    }
    enqueue.assign({ roster: next })
    // Those a full roster no longer lists have left: the same event as Graph's deleted entries, so a
    // held participant's slot is freed and their queued holds refused as when Graph says so.
    const gone = missingFromRoster(context, event)
    if (gone.length > 0) enqueue.raise({ type: 'roster.removed', participantIds: gone })
  }),
  removeFromRoster: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'roster.removed') return
    let roster = context.roster
    for (const id of event.participantIds) {
      const p = own(roster, id)
      if (p !== undefined) {
        tell(enqueue, { type: 'participantLeft', participantId: id, ...(p.identity === undefined ? {} : { identity: p.identity }), ...(p.displayName === undefined ? {} : { displayName: p.displayName }) })
      }
      roster = without(roster, id)
    }
    const gone = context.queue.filter((q) => event.participantIds.includes(q.participantId))
    enqueue.assign({ roster, queue: context.queue.filter((q) => !event.participantIds.includes(q.participantId)) })
    for (const q of gone) refuse(enqueue, q.clientContext, invalidRequest(`participant ${q.participantId} left call ${context.callId}`, 'participantId'))
  }),

  // --- the call
  // What the bot knows of the call (registerCall) wins over what callops assumed.
  registerCallInfo: callSetup.assign({
    kind: ({ context, event }) => (event.type === 'call.registered' && event.kind !== undefined ? event.kind : context.kind),
    holdPolicy: ({ context, event }) => (event.type === 'call.registered' && event.holdPolicy !== undefined ? event.holdPolicy : context.holdPolicy),
  }),
  // Every call.updated: kind, callState (any value, kept), media state and a tone, each told once.
  noteCallUpdate: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'call.updated') return
    if (event.kind !== undefined && event.kind !== context.kind) enqueue.assign({ kind: event.kind })
    noteState(enqueue, context, event.state)
    const audio = event.detail?.audio
    if (audio !== undefined && audio !== context.audio) {
      enqueue.assign({ audio })
      tell(enqueue, { type: 'mediaState', audio, ...(context.audio === undefined ? {} : { previous: context.audio }) })
    }
    if (event.tone !== undefined) {
      const step = receiveTone(context.tones, event.tone, event.receivedAt)
      enqueue.assign({ tones: step.log })
      for (const t of step.deliver) tell(enqueue, { type: 'tone', ...t })
    }
  }),
  // A tone kept waiting for a missing one waits no longer.
  flushToneGap: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const gap = context.tones?.gapUntil
    if (event.type !== 'deadline.reached' || context.tones === undefined || gap === undefined || gap > event.now) return
    const step = flushTones(context.tones)
    enqueue.assign({ tones: step.log })
    for (const t of step.deliver) tell(enqueue, { type: 'tone', ...t })
  }),
  announceIncoming: callSetup.enqueueActions(({ context, enqueue }) => {
    if (context.announced === true || context.incoming === undefined) return
    enqueue.assign({ announced: true })
    tell(enqueue, { type: 'incoming', incoming: context.incoming })
  }),
  // The answer deadline no longer applies: the call moved on, or the deadline passed.
  stopAnswerClock: callSetup.assign({ answerBy: undefined }),
  recordTransferFailure: callSetup.assign({
    transferFailure: ({ context, event }) => detailOf(event) ?? context.transferFailure ?? {},
  }),
  recordTermination: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const detail = detailOf(event) ?? {}
    noteState(enqueue, context, 'terminated')
    enqueue.assign({ termination: detail, answerBy: undefined })
    tell(enqueue, {
      type: 'terminated',
      ...(detail.resultInfo === undefined ? {} : { resultInfo: detail.resultInfo }),
      ...(detail.terminationReason === undefined ? {} : { terminationReason: detail.terminationReason }),
    })
  }),
}
