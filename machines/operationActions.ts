import { callEnded, cancelled, invalidRequest, timeout } from '../src/domain/CallOpsError.js'
import { callSetup } from './callSetup.js'
import { ended, keepOrphan, late, matchOperation, refuse, requested, startOperation, withId, without, join } from './callHelpers.js'
import { dueOperations, wasPeerToPeer } from './callQueries.js'
import { isFinalReport } from './operationReport.js'
import { own } from './ownEntry.js'

/** The call machine's actions for any operation: start it, hand it Graph's answers, settle it. */
export const operationActions = {
  // --- requests
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
    if (own(context.inFlight, event.clientContext) === undefined) return
    if (event.type === 'http.accepted') {
      enqueue.assign({ inFlight: withId(context.inFlight, event.clientContext, event.report.id) })
      enqueue.sendTo(event.clientContext, { type: 'http.accepted', report: event.report })
      const id = event.report.id
      const orphan = id === undefined || id === null ? undefined : own(context.orphans, id)
      if (id !== undefined && id !== null && orphan !== undefined) {
        enqueue.assign({ orphans: without(context.orphans, id) })
        // A final answer has already ended the operation: its child takes no more events.
        if (!isFinalReport(event.report)) enqueue.sendTo(event.clientContext, { type: 'notification.operation', report: orphan })
      }
    } else {
      enqueue.sendTo(event.clientContext, { type: 'http.rejected', error: event.error })
    }
  }),
  routeNotification: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'notification.operation') return
    const key = matchOperation(context, event.report.clientContext, event.report.id)
    if (key === undefined) {
      const id = event.report.id
      if (id !== undefined && id !== null && isFinalReport(event.report)) enqueue.assign({ orphans: keepOrphan(context.orphans, id, event.report) })
      enqueue.emit({ type: 'notification.unmatched', report: event.report })
      return
    }
    enqueue.assign({ inFlight: withId(context.inFlight, key, event.report.id) })
    enqueue.sendTo(key, { type: 'notification.operation', report: event.report })
  }),
  forwardDeadline: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'deadline.reached') return
    const { only } = event
    const due = dueOperations(context, event.now).filter((key) => only === undefined || only.includes(key))
    for (const key of due) if (own(context.inFlight, key) !== undefined) enqueue.sendTo(key, { type: 'deadline.reached', now: event.now })
    const expired = context.queue.filter((q) => due.includes(q.clientContext))
    if (expired.length === 0) return
    enqueue.assign({ queue: context.queue.filter((q) => !expired.includes(q)) })
    for (const q of expired) refuse(enqueue, q.clientContext, timeout(q.clientContext, q.deadline))
  }),
  cancelOperation: callSetup.enqueueActions(({ context, event, enqueue }) => {
    if (event.type !== 'operation.cancel') return
    const reason = event.reason ?? 'operation cancelled'
    if (own(context.inFlight, event.clientContext) !== undefined) {
      enqueue.sendTo(event.clientContext, { type: 'cancel', reason })
      return
    }
    if (!context.queue.some((q) => q.clientContext === event.clientContext)) return
    enqueue.assign({ queue: context.queue.filter((q) => q.clientContext !== event.clientContext) })
    refuse(enqueue, event.clientContext, cancelled(reason))
  }),
  // --- outcomes
  settleOperation: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const e = ended(event)
    if (e === undefined || own(context.inFlight, e.clientContext) === undefined) return
    const { clientContext, result } = e
    for (const key of [clientContext, ...(own(context.joiners, clientContext) ?? [])]) {
      enqueue.emit({ type: 'operation.settled', clientContext: key, result })
    }
    const f = own(context.inFlight, clientContext)
    // A timed-out operation stays alive to record a late outcome; so does a cancelled hold attempt,
    // whose request had left: its 4xx must still free the slot, its success confirm it.
    const timedOut = !result.ok && (result.error._tag === 'Timeout' || (result.error._tag === 'Cancelled' && f?.action === 'startHoldMusic'))
    enqueue.assign({
      joiners: without(context.joiners, clientContext),
      inFlight: timedOut && f !== undefined ? { ...context.inFlight, [clientContext]: { ...f, timedOut: true } } : without(context.inFlight, clientContext),
      ...(result.ok && result.operation.action === 'unmute' ? { botMuted: false } : {}),
      ...(result.ok && result.operation.action === 'mute' ? { botMuted: true } : {}),
      ...(result.ok && result.operation.action === 'inviteParticipants' && wasPeerToPeer(context) ? { groupByInvite: true as const } : {}),
    })
    if (!timedOut) enqueue.stopChild(clientContext)
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
    enqueue.stopChild(l.clientContext)
  }),
  endAllOperations: callSetup.enqueueActions(({ context, enqueue }) => {
    for (const key in context.inFlight) {
      if (own(context.inFlight, key)?.timedOut === true) {
        enqueue.stopChild(key)
      } else {
        enqueue.sendTo(key, { type: 'call.ended' })
      }
    }
    for (const q of context.queue) refuse(enqueue, q.clientContext, callEnded(context.callId))
    const timedOut = Object.keys(context.inFlight).filter((k) => own(context.inFlight, k)?.timedOut === true)
    let inFlight = context.inFlight
    for (const k of timedOut) inFlight = without(inFlight, k)
    enqueue.assign({ queue: [], inFlight, hold: undefined })
  }),  // Graph runs call operations only on an established call (redirect and answer come before, but are no operations).
  refuseNotEstablished: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r !== undefined) refuse(enqueue, r.clientContext, invalidRequest(`call ${context.callId} is not established (${context.graphState ?? 'no state told yet'}): ${r.action} needs an established call`, 'callId'))
  }),
}
