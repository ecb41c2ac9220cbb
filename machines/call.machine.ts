import { and, assign, enqueueActions, not, or, setup } from 'xstate'
import {
  callEnded,
  cancelled,
  holdConflict,
  invalidRequest,
  timeout,
  type CallOpsError,
} from '../src/domain/CallOpsError.js'
import type { OperationReport } from '../src/domain/Operation.js'
import type {
  CallContext,
  CallEmitted,
  CallEvent,
  CallInput,
  HoldPolicy,
  InFlight,
  OperationRequested,
  QueuedHold,
  RosterEntry,
  SettledResult,
  TimedOutStop,
} from './callTypes.js'
import { operationMachine, type OperationResult } from './operation.machine.js'
import { isDefiniteFailure } from './isDefiniteFailure.js'
import { isFinalReport } from './operationReport.js'
import { dueOperations } from './callQueries.js'
import { own } from './ownEntry.js'

export { isDefiniteFailure }

// --- helpers (pure)

type Ev<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>

const requested = (e: CallEvent): OperationRequested | undefined => (e.type === 'operation.requested' ? e : undefined)

const ended = (e: CallEvent): Ev<'operation.ended'> | undefined => (e.type === 'operation.ended' ? e : undefined)

const late = (e: CallEvent): Ev<'operation.late'> | undefined => (e.type === 'operation.late' ? e : undefined)


// Assignment makes an own entry of every key but `__proto__`, which Object.prototype's setter turns
// into the record's prototype: a participant of that id would vanish. Only that key pays for defineProperty.
const setEntry = <V>(record: Record<string, V>, key: string, value: V): void => {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  else record[key] = value
}

const without = <V>(record: Readonly<Record<string, V>>, key: string): Record<string, V> => {
  const { [key]: _dropped, ...rest } = record
  return rest
}

/** The earliest deadline the runtime must arm a timer for, or `undefined` when none is pending. */
export const nextDeadline = (context: CallContext): number | undefined => {
  let next: number | undefined
  for (const key in context.inFlight) {
    const f = own(context.inFlight, key)
    if (f !== undefined && f.timedOut === undefined && (next === undefined || f.deadline < next)) next = f.deadline
  }
  for (const q of context.queue) if (next === undefined || q.deadline < next) next = q.deadline
  return next
}

const sameEntry = (a: RosterEntry | undefined, b: RosterEntry): boolean =>
  a !== undefined && a.displayName === b.displayName && a.isMuted === b.isMuted && a.isInLobby === b.isInLobby

const failureOf = (r: SettledResult | OperationResult): CallOpsError | undefined => (r.ok ? undefined : r.error)

// --- the machine

const queuePolicy = { type: 'policyIs', params: { policy: 'queue' } } as const
const swapPolicy = { type: 'policyIs', params: { policy: 'swap' } } as const

/**
 * One call: its roster, the bot's mute state, its operations as named child actors, and its
 * single hold slot. The `active` sub-states (`free`, `holding`, `held`, `releasing`) are the hold
 * slot, so the single-participant-on-hold rule can be read off the diagram.
 *
 * It never does I/O: it emits `effect.http` for each request to send and `operation.settled`
 * exactly once for each `operation.requested`; the runtime does the rest.
 */
export const callMachine = setup({
  types: {
    input: {} as CallInput,
    context: {} as CallContext,
    events: {} as CallEvent,
    emitted: {} as CallEmitted,
  },
  actors: { operation: operationMachine },
  guards: {
    keyInUse: ({ context, event }) => {
      const r = requested(event)
      if (r === undefined) return false
      return (
        own(context.inFlight, r.clientContext) !== undefined ||
        Object.values(context.joiners).some((keys) => keys.includes(r.clientContext)) ||
        context.queue.some((q) => q.clientContext === r.clientContext)
      )
    },
    isStartHold: ({ event }) => requested(event)?.action === 'startHoldMusic',
    isStopHold: ({ event }) => requested(event)?.action === 'stopHoldMusic',
    isHeldParticipant: ({ context, event }) => {
      const r = requested(event)
      return r !== undefined && context.hold !== undefined && r.participantId === context.hold.participantId
    },
    // The startHoldMusic that took the slot can still answer: a second request for the participant joins it.
    holdPending: ({ context }) => {
      const f = context.hold === undefined ? undefined : own(context.inFlight, context.hold.holdKey)
      return f !== undefined && f.timedOut === undefined
    },
    holdConfirmed: ({ context }) => context.hold?.operation !== undefined,
    // The attempt this ended (or late) operation is, is the only one left that may hold the participant.
    isLastAttempt: ({ context, event }) => {
      const key = ended(event)?.clientContext ?? late(event)?.clientContext
      return key !== undefined && context.hold !== undefined && context.hold.attempts.every((k) => k === key)
    },
    // A request may carry its own policy; otherwise the call's applies.
    policyIs: ({ context, event }, params: { policy: HoldPolicy }) =>
      (requested(event)?.holdPolicy ?? context.holdPolicy) === params.policy,
    // The swap's stopHoldMusic needs a clientContext of its own, not one already in use.
    canSwap: ({ context, event }) => {
      const key = requested(event)?.swapClientContext
      return key !== undefined && own(context.inFlight, key) === undefined && !Object.values(context.joiners).some((keys) => keys.includes(key))
    },
    isUnmuteInOneToOneCall: ({ context, event }) => context.kind === 'peerToPeer' && requested(event)?.action === 'unmute',
    sameMuteInFlight: ({ context, event }) => {
      const a = requested(event)?.action
      if (a !== 'unmute' && a !== 'mute') return false
      return Object.values(context.inFlight).some((f) => f.action === a && f.timedOut === undefined)
    },
    // One of the slot's hold attempts ended (the newest, or one still pending after an older one's late success).
    endsAttempt: ({ context, event }) => {
      const key = ended(event)?.clientContext
      return key !== undefined && context.hold !== undefined && context.hold.attempts.includes(key)
    },
    endsRelease: ({ context, event }) => context.hold !== undefined && ended(event)?.clientContext === context.hold.stopKey,
    resultSucceeded: ({ event }) => ended(event)?.result.ok === true,
    failureIsDefinite: ({ event }) => {
      const e = ended(event)
      const f = e === undefined ? undefined : failureOf(e.result)
      return f !== undefined && isDefiniteFailure(f)
    },
    lateIsAttempt: ({ context, event }) => {
      const l = late(event)
      return l !== undefined && context.hold !== undefined && context.hold.attempts.includes(l.clientContext)
    },
    // A release that timed out succeeded after all: the attempts sent before it are off hold.
    lateReleaseSucceeded: ({ context, event }) => lateRelease(context, event) !== undefined,
    lateReleaseFreesAll: ({ context, event }) => {
      const stop = lateRelease(context, event)
      return stop !== undefined && context.hold !== undefined && context.hold.attempts.every((k) => stop.covers.includes(k))
    },
    lateReleaseCoversHold: ({ context, event }) => {
      const key = context.hold?.operation?.clientContext
      return key !== undefined && lateRelease(context, event)?.covers.includes(key) === true
    },
    lateSucceeded: ({ event }) => late(event)?.succeeded === true,
    heldParticipantLeft: ({ context, event }) =>
      event.type === 'roster.removed' && context.hold !== undefined && event.participantIds.includes(context.hold.participantId),
    hasQueuedHold: ({ context }) => context.queue.length > 0,
    // Graph resends the whole roster on every change (a hold, a mute): most updates change no entry.
    rosterChanges: ({ context, event }) =>
      event.type === 'roster.updated' && event.participants.some((p) => !sameEntry(own(context.roster, p.id), p)),
  },
  actions: {
    // --- requests
    startRequestedOperation: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r === undefined) return
      startOperation(enqueue, context, {}, r.clientContext, r.action, r.participantId, r.body, r.deadline)
    }),
    takeHoldSlot: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r === undefined || r.participantId === undefined) return
      const hold = { participantId: r.participantId, holdKey: r.clientContext, attempts: [r.clientContext] }
      startOperation(enqueue, context, { hold }, r.clientContext, r.action, r.participantId, r.body, r.deadline)
    }),
    // The earlier attempts ended with no outcome (timeout, cancel, network): the bot asks again, so
    // callops sends again. Each earlier one may still have put the participant on hold, so all stay
    // counted. A release that timed out covers only the attempts sent before it, not this one.
    retakeHoldSlot: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r === undefined || context.hold === undefined) return
      const attempts = [...context.hold.attempts.filter((k) => k !== r.clientContext), r.clientContext]
      const hold = { ...context.hold, holdKey: r.clientContext, attempts }
      startOperation(enqueue, context, { hold }, r.clientContext, r.action, r.participantId, r.body, r.deadline)
    }),
    startRelease: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r === undefined || context.hold === undefined) return
      const hold = { ...context.hold, stopKey: r.clientContext }
      startOperation(enqueue, context, { hold }, r.clientContext, 'stopHoldMusic', r.participantId, r.body, r.deadline)
    }),
    startSwap: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      const hold = context.hold
      if (r === undefined || hold === undefined || r.participantId === undefined || r.swapClientContext === undefined) return
      const waiting: QueuedHold = { ...queued(r), swapFrom: hold.participantId }
      const changes = { hold: { ...hold, stopKey: r.swapClientContext }, queue: [waiting, ...context.queue] }
      startOperation(enqueue, context, changes, r.swapClientContext, 'stopHoldMusic', hold.participantId, undefined, r.deadline)
    }),
    startQueuedHold: enqueueActions(({ context, enqueue }) => {
      const [next, ...rest] = context.queue
      if (next === undefined) return
      // Later requests for the same participant join this one, as they would had it been sent at once.
      const same = rest.filter((q) => q.participantId === next.participantId).map((q) => q.clientContext)
      const changes = {
        queue: rest.filter((q) => q.participantId !== next.participantId),
        hold: { participantId: next.participantId, holdKey: next.clientContext, attempts: [next.clientContext] },
        ...(same.length === 0 ? {} : { joiners: { ...context.joiners, [next.clientContext]: same } }),
      }
      startOperation(enqueue, context, changes, next.clientContext, 'startHoldMusic', next.participantId, next.body, next.deadline)
    }),
    enqueueHold: assign({
      queue: ({ context, event }) => {
        const r = requested(event)
        if (r === undefined) return context.queue
        // Under swap, a request queued behind a release waits for that release and fails with it.
        const swapFrom = (r.holdPolicy ?? context.holdPolicy) === 'swap' ? context.hold?.participantId : undefined
        return [...context.queue, swapFrom === undefined ? queued(r) : { ...queued(r), swapFrom }]
      },
    }),
    joinInFlight: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r === undefined) return
      const target = Object.keys(context.inFlight).find((k) => {
        const f = own(context.inFlight, k)
        return f !== undefined && f.action === r.action && f.timedOut === undefined
      })
      if (target !== undefined) enqueue.assign({ joiners: join(context.joiners, target, r.clientContext) })
    }),
    joinHold: assign({
      joiners: ({ context, event }) => {
        const r = requested(event)
        return r === undefined || context.hold === undefined ? context.joiners : join(context.joiners, context.hold.holdKey, r.clientContext)
      },
    }),
    joinRelease: assign({
      joiners: ({ context, event }) => {
        const r = requested(event)
        const stopKey = context.hold?.stopKey
        return r === undefined || stopKey === undefined ? context.joiners : join(context.joiners, stopKey, r.clientContext)
      },
    }),
    answerWithHeldOperation: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      const op = context.hold?.operation
      if (r === undefined || op === undefined) return
      enqueue.emit({ type: 'operation.settled', clientContext: r.clientContext, result: { ok: true, operation: op } })
    }),
    refuseHoldConflict: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r === undefined || context.hold === undefined) return
      refuse(enqueue, r.clientContext, holdConflict(context.callId, r.participantId ?? '', context.hold.participantId))
    }),
    refuseStopNotOnHold: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r === undefined) return
      refuse(enqueue, r.clientContext, invalidRequest(`participant ${r.participantId ?? ''} is not on hold in call ${context.callId}`, 'participantId'))
    }),
    refuseOneToOneUnmute: enqueueActions(({ event, enqueue }) => {
      const r = requested(event)
      if (r !== undefined) refuse(enqueue, r.clientContext, invalidRequest('unmute is supported in group calls only'))
    }),
    refuseDuplicateKey: enqueueActions(({ event, enqueue }) => {
      const r = requested(event)
      if (r !== undefined) refuse(enqueue, r.clientContext, invalidRequest(`clientContext ${r.clientContext} is already in use`, 'clientContext'))
    }),
    refuseCallEnded: enqueueActions(({ context, event, enqueue }) => {
      const r = requested(event)
      if (r !== undefined) refuse(enqueue, r.clientContext, callEnded(context.callId))
    }),

    // --- answers and notifications
    forwardHttpAnswer: enqueueActions(({ context, event, enqueue }) => {
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
    routeNotification: enqueueActions(({ context, event, enqueue }) => {
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
    forwardDeadline: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'deadline.reached') return
      const { only } = event
      const due = dueOperations(context, event.now).filter((key) => only === undefined || only.includes(key))
      for (const key of due) if (own(context.inFlight, key) !== undefined) enqueue.sendTo(key, { type: 'deadline.reached', now: event.now })
      const expired = context.queue.filter((q) => due.includes(q.clientContext))
      if (expired.length === 0) return
      enqueue.assign({ queue: context.queue.filter((q) => !expired.includes(q)) })
      for (const q of expired) refuse(enqueue, q.clientContext, timeout(q.clientContext, q.deadline))
    }),
    cancelOperation: enqueueActions(({ context, event, enqueue }) => {
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
    settleOperation: enqueueActions(({ context, event, enqueue }) => {
      const e = ended(event)
      if (e === undefined || own(context.inFlight, e.clientContext) === undefined) return
      const { clientContext, result } = e
      for (const key of [clientContext, ...(own(context.joiners, clientContext) ?? [])]) {
        enqueue.emit({ type: 'operation.settled', clientContext: key, result })
      }
      const f = own(context.inFlight, clientContext)
      const timedOut = !result.ok && result.error._tag === 'Timeout'
      enqueue.assign({
        joiners: without(context.joiners, clientContext),
        // A timed-out operation stays alive to record a late outcome.
        inFlight: timedOut && f !== undefined ? { ...context.inFlight, [clientContext]: { ...f, timedOut: true } } : without(context.inFlight, clientContext),
        ...(result.ok && result.operation.action === 'unmute' ? { botMuted: false } : {}),
        ...(result.ok && result.operation.action === 'mute' ? { botMuted: true } : {}),
      })
      if (!timedOut) enqueue.stopChild(clientContext)
    }),
    recordLateOutcome: enqueueActions(({ context, event, enqueue }) => {
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
    confirmHold: assign({
      hold: ({ context, event }) => {
        const e = ended(event)
        return context.hold === undefined || e === undefined || !e.result.ok ? context.hold : { ...context.hold, operation: e.result.operation }
      },
    }),
    confirmLateHold: assign({
      hold: ({ context, event }) => {
        const l = late(event)
        return context.hold === undefined || l === undefined ? context.hold : { ...context.hold, holdKey: l.clientContext, operation: l.operation }
      },
    }),
    // This attempt failed for certain; others may still have put the participant on hold.
    dropAttempt: assign({
      hold: ({ context, event }) => {
        const key = ended(event)?.clientContext ?? late(event)?.clientContext
        return context.hold === undefined ? undefined : { ...context.hold, attempts: context.hold.attempts.filter((k) => k !== key) }
      },
    }),
    // Only the attempts sent after the release that succeeded late may still hold the participant.
    forgetCoveredAttempts: assign({
      hold: ({ context, event }) => {
        const hold = context.hold
        const stop = lateRelease(context, event)
        if (hold === undefined || stop === undefined) return hold
        const { operation, timedOutStops, ...rest } = hold
        const stops = (timedOutStops ?? []).filter((t) => t !== stop)
        const attempts = hold.attempts.filter((k) => !stop.covers.includes(k))
        const covered = operation !== undefined && stop.covers.includes(operation.clientContext)
        return {
          ...rest,
          attempts,
          holdKey: covered ? (attempts.at(-1) ?? hold.holdKey) : hold.holdKey,
          ...(stops.length === 0 ? {} : { timedOutStops: stops }),
          ...(operation === undefined || covered ? {} : { operation }),
        }
      },
    }),
    keepHoldAfterFailedRelease: enqueueActions(({ context, event, enqueue }) => {
      const hold = context.hold
      if (hold === undefined) return
      const { stopKey, ...kept } = hold
      // A release that timed out may still succeed: its late success frees the slot (see held).
      const e = ended(event)
      const timedOut = e !== undefined && !e.result.ok && e.result.error._tag === 'Timeout'
      enqueue.assign({
        hold: timedOut && stopKey !== undefined ? { ...kept, timedOutStops: [...(kept.timedOutStops ?? []), { clientContext: stopKey, covers: kept.attempts }] } : kept,
        queue: context.queue.filter((q) => q.swapFrom !== hold.participantId),
      })
      // A swap waits for the release: when the release fails, the swap cannot happen.
      for (const q of context.queue) {
        if (q.swapFrom === hold.participantId) refuse(enqueue, q.clientContext, holdConflict(context.callId, q.participantId, hold.participantId))
      }
    }),
    // assign merges: a key left out would stay, so the slot is set to undefined.
    releaseSlot: assign({ hold: undefined }),

    // --- roster and call
    mergeRoster: assign({
      roster: ({ context, event }) => {
        if (event.type !== 'roster.updated') return context.roster
        const next: Record<string, RosterEntry> = { ...context.roster }
        for (const p of event.participants) setEntry(next, p.id, p)
        return next
      },
    }),
    removeFromRoster: enqueueActions(({ context, event, enqueue }) => {
      if (event.type !== 'roster.removed') return
      let roster = context.roster
      for (const id of event.participantIds) roster = without(roster, id)
      const gone = context.queue.filter((q) => event.participantIds.includes(q.participantId))
      enqueue.assign({ roster, queue: context.queue.filter((q) => !event.participantIds.includes(q.participantId)) })
      for (const q of gone) refuse(enqueue, q.clientContext, invalidRequest(`participant ${q.participantId} left call ${context.callId}`, 'participantId'))
    }),
    // What the bot knows of the call (registerCall) wins over what callops assumed.
    registerCallInfo: assign({
      kind: ({ context, event }) => (event.type === 'call.registered' && event.kind !== undefined ? event.kind : context.kind),
      holdPolicy: ({ context, event }) => (event.type === 'call.registered' && event.holdPolicy !== undefined ? event.holdPolicy : context.holdPolicy),
    }),
    updateCallInfo: assign({
      kind: ({ context, event }) => (event.type === 'call.updated' && event.kind !== undefined ? event.kind : context.kind),
    }),
    endAllOperations: enqueueActions(({ context, enqueue }) => {
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
    }),
  },
}).createMachine({
  id: 'call',
  initial: 'active',
  context: ({ input }) => ({
    callId: input.callId,
    holdPolicy: input.holdPolicy ?? 'reject',
    kind: input.kind ?? 'unknown',
    roster: {},
    queue: [],
    inFlight: {},
    joiners: {},
    orphans: {},
  }),
  states: {
    active: {
      initial: 'free',
      on: {
        // Each hold sub-state refuses a clientContext in use first, so it is not repeated here.
        'operation.requested': [
          { guard: 'isUnmuteInOneToOneCall', actions: 'refuseOneToOneUnmute' },
          { guard: 'sameMuteInFlight', actions: 'joinInFlight' },
          { actions: 'startRequestedOperation' },
        ],
        'http.accepted': { actions: 'forwardHttpAnswer' },
        'http.rejected': { actions: 'forwardHttpAnswer' },
        'notification.operation': { actions: 'routeNotification' },
        'deadline.reached': { actions: 'forwardDeadline' },
        'operation.cancel': { actions: 'cancelOperation' },
        'operation.ended': { actions: 'settleOperation' },
        'operation.late': { actions: 'recordLateOutcome' },
        'roster.updated': { guard: 'rosterChanges', actions: 'mergeRoster' },
        'roster.removed': { actions: 'removeFromRoster' },
        'call.updated': { actions: 'updateCallInfo' },
        'call.registered': { actions: 'registerCallInfo' },
        'call.terminated': { target: 'ended', actions: 'endAllOperations' },
      },
      states: {
        free: {
          always: { guard: 'hasQueuedHold', target: 'holding', actions: 'startQueuedHold' },
          on: {
            'operation.requested': [
              { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
              { guard: 'isStartHold', target: 'holding', actions: 'takeHoldSlot' },
              { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
            ],
          },
        },
        holding: {
          on: {
            'operation.requested': [
              { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
              { guard: and(['isStartHold', 'isHeldParticipant', 'holdPending']), actions: 'joinHold' },
              { guard: and(['isStartHold', 'isHeldParticipant']), actions: 'retakeHoldSlot' },
              { guard: and(['isStartHold', queuePolicy]), actions: 'enqueueHold' },
              { guard: 'isStartHold', actions: 'refuseHoldConflict' },
              { guard: and(['isStopHold', 'isHeldParticipant']), target: 'releasing', actions: 'startRelease' },
              { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
            ],
            // Every attempt counts: the slot is freed when the last one that may hold has failed for certain.
            'operation.ended': [
              { guard: and(['endsAttempt', 'resultSucceeded']), target: 'held', actions: ['settleOperation', 'confirmHold'] },
              { guard: and(['endsAttempt', 'failureIsDefinite', 'isLastAttempt']), target: 'free', actions: ['settleOperation', 'releaseSlot'] },
              { guard: and(['endsAttempt', 'failureIsDefinite']), actions: ['settleOperation', 'dropAttempt'] },
            ],
            'operation.late': [
              { guard: and(['lateIsAttempt', 'lateSucceeded']), target: 'held', actions: ['confirmLateHold', 'recordLateOutcome'] },
              { guard: and(['lateIsAttempt', 'isLastAttempt']), target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
              { guard: 'lateIsAttempt', actions: ['recordLateOutcome', 'dropAttempt'] },
              { guard: 'lateReleaseFreesAll', target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
              { guard: 'lateReleaseSucceeded', actions: ['forgetCoveredAttempts', 'recordLateOutcome'] },
            ],
            'roster.removed': { guard: 'heldParticipantLeft', target: 'free', actions: ['removeFromRoster', 'releaseSlot'] },
          },
        },
        held: {
          on: {
            'operation.requested': [
              { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
              { guard: and(['isStartHold', 'isHeldParticipant']), actions: 'answerWithHeldOperation' },
              { guard: and(['isStartHold', queuePolicy]), actions: 'enqueueHold' },
              { guard: and(['isStartHold', swapPolicy, 'canSwap']), target: 'releasing', actions: 'startSwap' },
              { guard: 'isStartHold', actions: 'refuseHoldConflict' },
              { guard: and(['isStopHold', 'isHeldParticipant']), target: 'releasing', actions: 'startRelease' },
              { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
            ],
            // An attempt still pending when an older one's late success confirmed the hold.
            'operation.ended': { guard: and(['endsAttempt', 'failureIsDefinite']), actions: ['settleOperation', 'dropAttempt'] },
            'operation.late': [
              { guard: 'lateReleaseFreesAll', target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
              // The hold was confirmed before that release; an attempt sent after it may still hold.
              { guard: and(['lateReleaseSucceeded', 'lateReleaseCoversHold']), target: 'holding', actions: ['forgetCoveredAttempts', 'recordLateOutcome'] },
            ],
            'roster.removed': { guard: 'heldParticipantLeft', target: 'free', actions: ['removeFromRoster', 'releaseSlot'] },
          },
        },
        releasing: {
          on: {
            'operation.requested': [
              { guard: 'keyInUse', actions: 'refuseDuplicateKey' },
              {
                guard: and(['isStartHold', or([queuePolicy, swapPolicy])]),
                actions: 'enqueueHold',
              },
              { guard: 'isStartHold', actions: 'refuseHoldConflict' },
              { guard: and(['isStopHold', 'isHeldParticipant']), actions: 'joinRelease' },
              { guard: 'isStopHold', actions: 'refuseStopNotOnHold' },
            ],
            'operation.ended': [
              { guard: and(['endsRelease', 'resultSucceeded']), target: 'free', actions: ['settleOperation', 'releaseSlot'] },
              // A failed or unanswered release leaves the participant on hold, or being put on hold
              // when the startHoldMusic was never confirmed (the release was asked for while holding).
              { guard: and(['endsRelease', 'holdConfirmed']), target: 'held', actions: ['settleOperation', 'keepHoldAfterFailedRelease'] },
              { guard: 'endsRelease', target: 'holding', actions: ['settleOperation', 'keepHoldAfterFailedRelease'] },
              // The startHoldMusic can still end while its release is in flight.
              { guard: and(['endsAttempt', 'resultSucceeded']), actions: ['settleOperation', 'confirmHold'] },
              { guard: and(['endsAttempt', 'failureIsDefinite', 'isLastAttempt']), target: 'free', actions: ['settleOperation', 'releaseSlot'] },
              { guard: and(['endsAttempt', 'failureIsDefinite']), actions: ['settleOperation', 'dropAttempt'] },
            ],
            // The release was asked for while the hold was unconfirmed: its attempts still count.
            'operation.late': [
              { guard: and(['lateIsAttempt', 'lateSucceeded', not('holdConfirmed')]), actions: ['confirmLateHold', 'recordLateOutcome'] },
              { guard: and(['lateIsAttempt', 'isLastAttempt', not('holdConfirmed')]), target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
              { guard: 'lateIsAttempt', actions: ['recordLateOutcome', 'dropAttempt'] },
              // An earlier release that timed out succeeded after all.
              { guard: 'lateReleaseFreesAll', target: 'free', actions: ['recordLateOutcome', 'releaseSlot'] },
              { guard: 'lateReleaseSucceeded', actions: ['forgetCoveredAttempts', 'recordLateOutcome'] },
            ],
            'roster.removed': { guard: 'heldParticipantLeft', target: 'free', actions: ['removeFromRoster', 'releaseSlot'] },
          },
        },
      },
    },
    ended: {
      on: {
        'operation.requested': { actions: 'refuseCallEnded' },
        'operation.ended': { actions: 'settleOperation' },
        'roster.updated': { guard: 'rosterChanges', actions: 'mergeRoster' },
        'roster.removed': { actions: 'removeFromRoster' },
      },
    },
  },
})

/** The call machine's type, for typing snapshots and actors. */
export type CallMachine = typeof callMachine

// --- action helpers

type OperationChild = { src: 'operation'; logic: typeof operationMachine; id: string | undefined }
type Enqueue = Parameters<
  Parameters<typeof enqueueActions<CallContext, CallEvent, undefined, CallEvent, OperationChild, never, never, never, CallEmitted>>[0]
>[0]['enqueue']

/** Registers an operation, spawns its child and asks for its request; `changes` join the one assign (each assign copies the snapshot). */
function startOperation(
  enqueue: Enqueue,
  context: CallContext,
  changes: Partial<Omit<CallContext, 'inFlight'>>,
  clientContext: string,
  action: InFlight['action'],
  participantId: string | undefined,
  body: unknown,
  deadline: number,
): void {
  const entry: InFlight = {
    action,
    deadline,
    ...(participantId === undefined ? {} : { participantId }),
    ...(body === undefined ? {} : { body }),
  }
  enqueue.assign({ ...changes, inFlight: { ...context.inFlight, [clientContext]: entry } })
  const input = { clientContext, action, callId: context.callId, deadline, reportsToCall: true as const, ...(participantId === undefined ? {} : { participantId }) }
  enqueue.spawnChild('operation', { id: clientContext, input })
  enqueue.emit({
    type: 'effect.http',
    clientContext,
    action,
    ...(participantId === undefined ? {} : { participantId }),
    ...(body === undefined ? {} : { body }),
  })
}

function refuse(enqueue: Enqueue, clientContext: string, error: CallOpsError): void {
  enqueue.emit({ type: 'operation.settled', clientContext, result: { ok: false, error } })
}

function queued(r: OperationRequested): QueuedHold {
  return {
    clientContext: r.clientContext,
    participantId: r.participantId ?? '',
    deadline: r.deadline,
    ...(r.body === undefined ? {} : { body: r.body }),
  }
}

function join(joiners: CallContext['joiners'], target: string, key: string): CallContext['joiners'] {
  return { ...joiners, [target]: [...(own(joiners, target) ?? []), key] }
}

/** The timed-out release this late success is, if it is one. */
function lateRelease(context: CallContext, event: CallEvent): TimedOutStop | undefined {
  const l = late(event)
  if (l === undefined || !l.succeeded) return undefined
  return context.hold?.timedOutStops?.find((t) => t.clientContext === l.clientContext)
}

function withId(inFlight: CallContext['inFlight'], key: string, id: string | null | undefined): CallContext['inFlight'] {
  const f = own(inFlight, key)
  if (f === undefined || id === undefined || id === null || f.id === id) return inFlight
  return { ...inFlight, [key]: { ...f, id } }
}

const MAX_ORPHANS = 16

function keepOrphan(orphans: CallContext['orphans'], id: string, report: OperationReport): CallContext['orphans'] {
  const ids = Object.keys(orphans)
  const kept = ids.length < MAX_ORPHANS ? orphans : without(orphans, ids[0] ?? '')
  return { ...kept, [id]: report }
}

function matchOperation(context: CallContext, clientContext: string | undefined, id: string | null | undefined): string | undefined {
  if (clientContext !== undefined && own(context.inFlight, clientContext) !== undefined) return clientContext
  if (id === undefined || id === null) return undefined
  for (const key in context.inFlight) if (own(context.inFlight, key)?.id === id) return key
  return undefined
}
