import * as E from 'fp-ts/lib/Either.js'
import { callEnded, holdConflict, operationFailed, type CallOpsError } from '../domain/CallOpsError.js'
import type { Operation } from '../domain/Operation.js'
import type { CallView } from '../orchestrator/CallView.js'
import type { OrchestratorStats } from '../orchestrator/CallOrchestrator.js'
import type { OrchestratorEvent, OrchestratorListener } from '../runtime/OrchestratorEvent.js'
import type { LiveViewSource } from '../view/createLiveView.js'
import type { SimulatorStats } from './createSimulatorStats.js'
import { holdConflictInfo } from './operationOutcome.js'
import type { SimCall, SimOperation } from './SimCall.js'
import type { SimChange } from './SimChange.js'

/** What the feed reads of the simulator: its calls, by id, and its counters. */
export interface SimulatorFeedDeps {
  readonly get: (callId: string) => SimCall | undefined
  readonly stats: () => SimulatorStats
}

/** The simulator's calls as a {@link LiveViewSource}, fed by the core's changes. */
export interface SimulatorFeed extends LiveViewSource {
  /** The core's observer: turns each change into the events a live view shows. */
  readonly observe: (change: SimChange) => void
}

type Transition = Extract<OrchestratorEvent, { type: 'transition' }>

const onHold = (call: SimCall): string | undefined => {
  for (const p of call.participants.values()) if (p.holdIndex >= 0) return p.id
  return undefined
}

// The call machine's states the simulator's call can be in: it has no `holding`/`releasing` phase
// (a hold exists once Graph completed it) and no queue (its rule refuses the second hold).
const holdOf = (call: SimCall): string => (onHold(call) === undefined ? 'established.hold.free' : 'established.hold.held')
const stateOf = (call: SimCall): string => {
  switch (call.state) {
    case 'incoming':
      return 'incoming.awaitingAnswer'
    case 'established':
      return holdOf(call)
    case 'transferring':
      return `${holdOf(call)} + established.transfer.transferring`
    default:
      return call.state
  }
}

// An operation the client sent without clientContext is keyed by the simulator's operation id.
const keyOf = (op: { readonly id: string; readonly clientContext: string | null }): string => op.clientContext ?? op.id

const toCallView = (call: SimCall): CallView => {
  const held = onHold(call)
  return {
    callId: call.id,
    state: stateOf(call),
    kind: call.group ? 'group' : 'peerToPeer',
    holdPolicy: 'reject',
    ...(held === undefined ? {} : { hold: { participantId: held, phase: 'held' as const } }),
    holdQueue: [],
    roster: [...call.participants.values()].map((p) => ({ id: p.id, displayName: p.displayName, isMuted: p.isMuted })),
    botMuted: call.bot.isMuted,
    operations: [...call.pending.values()].map((op) => ({
      clientContext: keyOf(op),
      action: op.action,
      ...(op.participantId === undefined ? {} : { participantId: op.participantId }),
      id: op.id,
      state: 'running',
      // The simulator sets no deadline: an operation runs until its drawn latency has passed.
      deadline: Number.POSITIVE_INFINITY,
    })),
  }
}

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)

const operationOf = (call: SimCall, op: SimOperation, status: Operation['status'], extra: Readonly<Record<string, unknown>>, resultInfo: Operation['resultInfo']): Operation => {
  const completionReason = text(extra['completionReason'])
  const recordingLocation = text(extra['recordingLocation'])
  return {
    clientContext: keyOf(op),
    action: op.action,
    callId: call.id,
    ...(op.participantId === undefined ? {} : { participantId: op.participantId }),
    id: op.idNull ? null : op.id,
    status,
    ...(resultInfo === undefined ? {} : { resultInfo }),
    ...(completionReason === undefined ? {} : { completionReason }),
    ...(recordingLocation === undefined ? {} : { recordingLocation }),
  }
}

/**
 * Creates the feed of the simulator's calls for callops's live view: calls created and ended,
 * participants put on hold and released, operations requested, completed, failed or refused, each
 * as the events an orchestrator would publish, and each call as a {@link CallView} (the call
 * machine's lifecycle states, with `established.hold.free` or `established.hold.held`, never
 * `holding`, `releasing` or a queue). A
 * hold the simulator's single-hold rule refused is a `HoldConflict` naming who held the slot. With
 * no subscriber a change costs one comparison.
 */
export const createSimulatorFeed = (deps: SimulatorFeedDeps): SimulatorFeed => {
  const listeners = new Set<OrchestratorListener>()
  let refusals = 0
  const emit = (e: OrchestratorEvent): void => {
    for (const l of listeners) l(e)
  }
  const transition = (call: SimCall, event: Transition['event'], about: Partial<Pick<Transition, 'clientContext' | 'participantId' | 'action'>> = {}): void =>
    emit({ type: 'transition', callId: call.id, event, state: stateOf(call), ...about })
  const about = (op: SimOperation) => ({ clientContext: keyOf(op), action: op.action, ...(op.participantId === undefined ? {} : { participantId: op.participantId }) })
  const settled = (call: SimCall, op: SimOperation, result: E.Either<CallOpsError, Operation>): void =>
    emit({ type: 'settled', callId: call.id, ...about(op), result })

  const observe = (change: SimChange): void => {
    if (listeners.size === 0) return
    const call = change.call
    switch (change.type) {
      case 'call.created':
        return transition(call, 'call.registered')
      case 'call.ended':
        for (const op of call.pending.values()) settled(call, op, E.left(callEnded(call.id)))
        return transition(call, 'call.terminated')
      case 'roster.changed':
        return transition(call, 'roster.updated')
      case 'operation.requested': {
        const op = change.op
        emit({ type: 'request', callId: call.id, ...about(op) })
        emit({ type: 'answer', callId: call.id, ...about(op), httpStatus: change.status })
        return transition(call, 'http.accepted', about(op))
      }
      case 'operation.refused': {
        const key = change.clientContext ?? `refused-${++refusals}`
        const who = change.participantId === undefined ? {} : { participantId: change.participantId }
        const error: CallOpsError = { _tag: 'Http', status: change.status, message: change.message }
        emit({ type: 'request', callId: call.id, clientContext: key, action: change.action, ...who })
        emit({ type: 'answer', callId: call.id, clientContext: key, action: change.action, ...who, httpStatus: change.status, error })
        emit({ type: 'settled', callId: call.id, clientContext: key, action: change.action, ...who, result: E.left(error) })
        return transition(call, 'http.rejected', { clientContext: key, action: change.action, ...who })
      }
      case 'operation.ended': {
        const { op, outcome } = change
        const operation = operationOf(call, op, outcome.status, outcome.extra, outcome.resultInfo)
        const heldBy = onHold(call)
        const refusedHold = op.action === 'startHoldMusic' && outcome.resultInfo.subcode === holdConflictInfo.subcode && heldBy !== undefined
        settled(
          call,
          op,
          outcome.status === 'completed'
            ? E.right(operation)
            : refusedHold
              ? E.left(holdConflict(call.id, op.participantId ?? '', heldBy))
              : E.left(operationFailed(operation)),
        )
        return transition(call, 'notification.operation', about(op))
      }
    }
  }

  const stats = (): OrchestratorStats => {
    const s = deps.stats()
    return {
      calls: s.calls.created - s.calls.ended,
      pendingOperations: s.operations.started - s.operations.completed - s.operations.failed - s.operations.abandoned,
      // The simulator answers call actions at once and keeps no caller waiting for them.
      pendingCallActions: 0,
      unmatchedNotifications: 0,
      // The simulator applies none: it sends them. What the page counts is what reached the bot.
      notificationsApplied: s.notifications.sent,
      refusedNotifications: 0,
      legacyNotifications: 0,
      outcomeSubscription: { subscribed: true, lost: 0 },
      storeRollbacks: { detected: 0, repaired: 0 },
      sentAfterTimeout: 0,
      notSentAfterTimeout: 0,
      fenced: { now: false, refused: 0 },
    }
  }

  return {
    observe,
    subscribe: (listener) => {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getCall: (callId) => {
      const call = deps.get(callId)
      return call === undefined ? undefined : toCallView(call)
    },
    stats,
  }
}
