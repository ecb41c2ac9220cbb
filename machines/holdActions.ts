import { holdConflict, invalidRequest } from '../src/domain/CallOpsError.js'
import type { QueuedHold } from './callTypes.js'
import { callSetup } from './callSetup.js'
import { copyHoldSlot } from './literalCopies.js'
import { ended, join, late, lateRelease, queued, refuse, requested, startOperation, withEntry } from './callHelpers.js'

/** The call machine's actions of the single hold slot: take it, release it, queue or swap for it. */
export const holdActions = {
  takeHoldSlot: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r === undefined || r.participantId === undefined) return
    const hold = { participantId: r.participantId, holdKey: r.clientContext, attempts: [r.clientContext] }
    startOperation(enqueue, context, { hold }, r.clientContext, r.action, r.participantId, r.body, r.deadline)
  }),
  // The earlier attempts ended with no outcome (timeout, cancel, network): the bot asks again, so
  // callops sends again. Each earlier one may still have put the participant on hold, so all stay
  // counted. A release that timed out covers only the attempts sent before it, not this one.
  retakeHoldSlot: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r === undefined || context.hold === undefined) return
    const attempts = [...context.hold.attempts.filter((k) => k !== r.clientContext), r.clientContext]
    const hold = copyHoldSlot(context.hold)
    hold.holdKey = r.clientContext
    hold.attempts = attempts
    startOperation(enqueue, context, { hold }, r.clientContext, r.action, r.participantId, r.body, r.deadline)
  }),
  startRelease: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r === undefined || context.hold === undefined) return
    const hold = copyHoldSlot(context.hold)
    hold.stopKey = r.clientContext
    startOperation(enqueue, context, { hold }, r.clientContext, 'stopHoldMusic', r.participantId, r.body, r.deadline)
  }),
  startSwap: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    const hold = context.hold
    if (r === undefined || hold === undefined || r.participantId === undefined || r.swapClientContext === undefined) return
    const waiting: QueuedHold = { ...queued(r), swapFrom: hold.participantId }
    const swapping = copyHoldSlot(hold)
    swapping.stopKey = r.swapClientContext
    const changes = { hold: swapping, queue: [waiting, ...context.queue] }
    startOperation(enqueue, context, changes, r.swapClientContext, 'stopHoldMusic', hold.participantId, undefined, r.deadline)
  }),
  startQueuedHold: callSetup.enqueueActions(({ context, enqueue }) => {
    const [next, ...rest] = context.queue
    if (next === undefined) return
    // Later requests for the same participant join this one, as they would had it been sent at once.
    const same = rest.filter((q) => q.participantId === next.participantId).map((q) => q.clientContext)
    const changes = {
      queue: rest.filter((q) => q.participantId !== next.participantId),
      hold: { participantId: next.participantId, holdKey: next.clientContext, attempts: [next.clientContext] },
      ...(same.length === 0 ? {} : { joiners: withEntry(context.joiners, next.clientContext, same) }),
    }
    startOperation(enqueue, context, changes, next.clientContext, 'startHoldMusic', next.participantId, next.body, next.deadline)
  }),
  enqueueHold: callSetup.assign({
    queue: ({ context, event }) => {
      const r = requested(event)
      if (r === undefined) return context.queue
      // Under swap, a request queued behind a release waits for that release and fails with it.
      const swapFrom = (r.holdPolicy ?? context.holdPolicy) === 'swap' ? context.hold?.participantId : undefined
      return [...context.queue, swapFrom === undefined ? queued(r) : { ...queued(r), swapFrom }]
    },
  }),
  joinHold: callSetup.assign({
    joiners: ({ context, event }) => {
      const r = requested(event)
      return r === undefined || context.hold === undefined ? context.joiners : join(context.joiners, context.hold.holdKey, r.clientContext)
    },
  }),
  joinRelease: callSetup.assign({
    joiners: ({ context, event }) => {
      const r = requested(event)
      const stopKey = context.hold?.stopKey
      return r === undefined || stopKey === undefined ? context.joiners : join(context.joiners, stopKey, r.clientContext)
    },
  }),
  answerWithHeldOperation: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    const op = context.hold?.operation
    if (r === undefined || op === undefined) return
    enqueue.emit({ type: 'operation.settled', clientContext: r.clientContext, result: { ok: true, operation: op } })
  }),
  refuseHoldConflict: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r === undefined || context.hold === undefined) return
    refuse(enqueue, r.clientContext, holdConflict(context.callId, r.participantId ?? '', context.hold.participantId))
  }),
  refuseStopNotOnHold: callSetup.enqueueActions(({ context, event, enqueue }) => {
    const r = requested(event)
    if (r === undefined) return
    refuse(enqueue, r.clientContext, invalidRequest(`participant ${r.participantId ?? ''} is not on hold in call ${context.callId}`, 'participantId'))
  }),
  confirmHold: callSetup.assign({
    hold: ({ context, event }) => {
      const e = ended(event)
      if (context.hold === undefined || e === undefined || !e.result.ok) return context.hold
      const hold = copyHoldSlot(context.hold)
      hold.operation = e.result.operation
      return hold
    },
  }),
  confirmLateHold: callSetup.assign({
    hold: ({ context, event }) => {
      const l = late(event)
      if (context.hold === undefined || l === undefined) return context.hold
      const hold = copyHoldSlot(context.hold)
      hold.holdKey = l.clientContext
      hold.operation = l.operation
      return hold
    },
  }),
  // This attempt failed for certain; others may still have put the participant on hold.
  dropAttempt: callSetup.assign({
    hold: ({ context, event }) => {
      const key = ended(event)?.clientContext ?? late(event)?.clientContext
      if (context.hold === undefined) return undefined
      const hold = copyHoldSlot(context.hold)
      hold.attempts = context.hold.attempts.filter((k) => k !== key)
      return hold
    },
  }),
  // Only the attempts sent after the release that succeeded late may still hold the participant.
  forgetCoveredAttempts: callSetup.assign({
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
  keepHoldAfterFailedRelease: callSetup.enqueueActions(({ context, event, enqueue }) => {
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
  releaseSlot: callSetup.assign({ hold: undefined }),
}
