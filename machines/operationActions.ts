import { callEnded, cancelled, invalidRequest, timeout } from '../src/domain/CallOpsError.js'
import { callSetup } from './callSetup.js'
import { advance, copyRecord, emptyRecord, withEntry, setEntry, ended, keepOrphan, late, matchOperation, refuse, requested, startOperation, withId, without, join } from './callHelpers.js'
import type { Mutable } from '../src/domain/Mutable.js'
import type { CallContext, InFlight } from './callTypes.js'
import { dueOperations, wasPeerToPeer } from './callQueries.js'
import { isFinalReport } from './operationReport.js'
import { copyInFlight } from './literalCopies.js'
import { isEmptyRecord, own } from './ownEntry.js'

const timedOutEntry = (f: InFlight): InFlight => {
  const next = copyInFlight(f)
  next.timedOut = true
  return next
}

/** The call machine's actions for any operation: start it, hand it Graph's answers, settle it. */
export const operationActions = {
  // --- requests
  startRequestedOperation: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r === undefined) return
    startOperation(enqueue, context, {}, r.clientContext, r.action, r.participantId, r.body, r.deadline)
  }),
  joinInFlight: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r === undefined) return
    const target = Object.keys(context.inFlight).find((k) => {
      const f = own(context.inFlight, k)
      return f !== undefined && f.action === r.action && f.timedOut === undefined
    })
    if (target !== undefined) enqueue.assign({ joiners: join(context.joiners, target, r.clientContext) })
  }),
  refuseOneToOneUnmute: callSetup.enqueueActions(({ event, enqueue }) => {
    const r = requested(event)
    if (r !== undefined) refuse(enqueue, r.clientContext, invalidRequest('unmute is supported in group calls only'))
  }),
  refuseDuplicateKey: callSetup.enqueueActions(({ event, enqueue }) => {
    const r = requested(event)
    if (r !== undefined) refuse(enqueue, r.clientContext, invalidRequest(`clientContext ${r.clientContext} is already in use`, 'clientContext'))
  }),
  refuseCallEnded: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r !== undefined) refuse(enqueue, r.clientContext, callEnded(context.callId))
  }),
  // --- answers and notifications
  forwardHttpAnswer: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'http.accepted' && event.type !== 'http.rejected') return
    const key = event.clientContext
    const f = own(context.inFlight, key)
    if (f === undefined) return
    if (event.type === 'http.rejected') {
      const next = advance(enqueue, f, key, { type: 'http.rejected', error: event.error })
      if (next !== f) enqueue.assign({ inFlight: withEntry(context.inFlight, key, next) })
      return
    }
    let next = advance(enqueue, withId(f, event.report.id), key, { type: 'http.accepted', report: event.report })
    const id = event.report.id
    const orphan = id === undefined || id === null || isEmptyRecord(context.orphans) ? undefined : own(context.orphans, id)
    if (id === undefined || id === null || orphan === undefined) {
      if (next !== f) enqueue.assign({ inFlight: withEntry(context.inFlight, key, next) })
      return
    }
    // A final answer has already ended the operation: it takes no more events.
    if (!isFinalReport(event.report)) next = advance(enqueue, next, key, { type: 'notification.operation', report: orphan })
    enqueue.assign({ inFlight: withEntry(context.inFlight, key, next), orphans: without(context.orphans, id) })
  }),
  routeNotification: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'notification.operation') return
    const key = matchOperation(context, event.report.clientContext, event.report.id)
    const f = key === undefined ? undefined : own(context.inFlight, key)
    if (key === undefined || f === undefined) {
      const id = event.report.id
      if (id !== undefined && id !== null && isFinalReport(event.report)) enqueue.assign({ orphans: keepOrphan(context.orphans, id, event.report) })
      enqueue.emit({ type: 'notification.unmatched', report: event.report })
      return
    }
    const next = advance(enqueue, withId(f, event.report.id), key, { type: 'notification.operation', report: event.report })
    if (next !== f) enqueue.assign({ inFlight: withEntry(context.inFlight, key, next) })
  }),
  forwardDeadline: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'deadline.reached') return
    const { only } = event
    const due = dueOperations(context, event.now).filter((key) => only === undefined || only.includes(key))
    let inFlight: Record<string, InFlight> | undefined
    for (const key of due) {
      const f = own(context.inFlight, key)
      if (f === undefined) continue
      const next = advance(enqueue, f, key, { type: 'deadline.reached', now: event.now })
      if (next !== f) setEntry((inFlight ??= copyRecord(context.inFlight)), key, next)
    }
    const expired = context.queue.filter((q) => due.includes(q.clientContext))
    if (inFlight === undefined && expired.length === 0) return
    enqueue.assign({ ...(inFlight === undefined ? {} : { inFlight }), ...(expired.length === 0 ? {} : { queue: context.queue.filter((q) => !expired.includes(q)) }) })
    for (const q of expired) refuse(enqueue, q.clientContext, timeout(q.clientContext, q.deadline))
  }),
  cancelOperation: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'operation.cancel') return
    const reason = event.reason ?? 'operation cancelled'
    const f = own(context.inFlight, event.clientContext)
    if (f !== undefined) {
      const next = advance(enqueue, f, event.clientContext, { type: 'cancel', reason })
      if (next !== f) enqueue.assign({ inFlight: withEntry(context.inFlight, event.clientContext, next) })
      return
    }
    if (!context.queue.some((q) => q.clientContext === event.clientContext)) return
    enqueue.assign({ queue: context.queue.filter((q) => q.clientContext !== event.clientContext) })
    refuse(enqueue, event.clientContext, cancelled(reason))
  }),
  // --- outcomes
  settleOperation: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const e = ended(event)
    const f = e === undefined ? undefined : own(context.inFlight, e.clientContext)
    if (e === undefined || f === undefined) return
    const { clientContext, result } = e
    const joined = isEmptyRecord(context.joiners) ? undefined : own(context.joiners, clientContext)
    enqueue.emit({ type: 'operation.settled', clientContext, result })
    for (const key of joined ?? []) enqueue.emit({ type: 'operation.settled', clientContext: key, result })
    // A timed-out operation stays alive to record a late outcome; so does a cancelled hold attempt,
    // whose request had left: its 4xx must still free the slot, its success confirm it.
    const timedOut = !result.ok && (result.error._tag === 'Timeout' || (result.error._tag === 'Cancelled' && f.action === 'startHoldMusic'))
    // Built field by field, not with conditional spreads: this runs for every settled operation.
    const changes: Mutable<Partial<CallContext>> = {
      joiners: joined === undefined ? context.joiners : without(context.joiners, clientContext),
      inFlight: timedOut ? withEntry(context.inFlight, clientContext, timedOutEntry(f)) : without(context.inFlight, clientContext),
    }
    const done = result.ok ? result.operation.action : undefined
    if (done === 'unmute') changes.botMuted = false
    else if (done === 'mute') changes.botMuted = true
    else if (done === 'inviteParticipants' && wasPeerToPeer(context)) changes.groupByInvite = true
    enqueue.assign(changes)
  }),
  recordLateOutcome: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const l = late(event)
    if (l === undefined || own(context.inFlight, l.clientContext) === undefined) return
    enqueue.emit({ type: 'operation.lateOutcome', clientContext: l.clientContext, operation: l.operation, ...(l.error === undefined ? {} : { error: l.error }) })
    enqueue.assign({ inFlight: without(context.inFlight, l.clientContext) })
    // A timed-out release has told all it will: it can no longer free the slot.
    const hold = context.hold
    const stops = hold?.timedOutStops
    if (hold !== undefined && stops?.some((t) => t.clientContext === l.clientContext) === true) {
      const rest = stops.filter((t) => t.clientContext !== l.clientContext)
      const { timedOutStops: _gone, ...kept } = hold
      enqueue.assign({ hold: rest.length === 0 ? kept : { ...kept, timedOutStops: rest } })
    }
  }),
  endAllOperations: callSetup.enqueueActions(({ context, enqueue }) => {
    // A timed-out operation has told all it will; every other one ends with CallEnded.
    const inFlight = emptyRecord<InFlight>()
    for (const key in context.inFlight) {
      const f = own(context.inFlight, key)
      if (f === undefined || f.timedOut === true) continue
      setEntry(inFlight, key, advance(enqueue, f, key, { type: 'call.ended' }))
    }
    for (const q of context.queue) refuse(enqueue, q.clientContext, callEnded(context.callId))
    enqueue.assign({ queue: [], inFlight, hold: undefined })
  }),
  // Graph runs call operations only on an established call (redirect and answer come before, but are no operations).
  refuseNotEstablished: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r !== undefined) refuse(enqueue, r.clientContext, invalidRequest(`call ${context.callId} is not established (${context.graphState ?? 'no state told yet'}): ${r.action} needs an established call`, 'callId'))
  }),
}
