import { and, assign, enqueueActions, setup } from 'xstate'
import {
  operationContextOf,
  operationGuards as g,
  operationReports as report,
  operationUpdates as u,
  type OperationContext,
  type OperationEvent,
  type OperationInput,
} from './operationLogic.js'

export type { OperationContext, OperationEvent, OperationInput, OperationReportToCall, OperationResult } from './operationLogic.js'

// What an operation that ended without an outcome (timed out, cancelled) still listens for. Graph
// refusing the request after the caller was told Timeout or Cancelled must reach the call, or a
// refused hold keeps the slot forever.
const lateListening = {
  'notification.operation': { guard: 'reportIsFinal', target: 'lateOutcome', actions: 'recordLateOutcome' },
  'http.accepted': { guard: 'reportIsFinal', target: 'lateOutcome', actions: 'recordLateOutcome' },
  'http.rejected': { guard: 'rejectionIsDefinite', target: 'lateOutcome', actions: 'recordLateRejection' },
} as const

/**
 * One commsOperation: `requested → running → completed | failed`. Pure: it never sends anything
 * itself; the call machine asks the runtime for the HTTP request and feeds the answers back.
 * `failed` has sub-states telling why; `failed.timedOut` and `failed.cancelled` still listen, so a
 * completion, or an HTTP refusal (4xx), that arrives after the deadline or the cancel is recorded as a late outcome instead of
 * being dropped.
 */
export const operationMachine = setup({
  types: {
    input: {} as OperationInput,
    context: {} as OperationContext,
    events: {} as OperationEvent,
  },
  // Each guard and action is one of operationLogic.ts's functions: the call machine's stepping of
  // its operations (operationStep.ts) calls the same ones along this machine's transitions.
  guards: {
    reportSucceeded: ({ context, event }) => g.reportSucceeded(context, event),
    reportIsFinal: ({ context, event }) => g.reportIsFinal(context, event),
    earlyOutcomeSucceeded: ({ context, event }) => g.earlyOutcomeSucceeded(context, event),
    hasEarlyOutcome: ({ context, event }) => g.hasEarlyOutcome(context, event),
    deadlinePassed: ({ context, event }) => g.deadlinePassed(context, event),
    rejectionIsDefinite: ({ context, event }) => g.rejectionIsDefinite(context, event),
  },
  actions: {
    recordReport: assign(({ context, event }) => u.recordReport(context, event)),
    keepEarlyOutcome: assign(({ context, event }) => u.keepEarlyOutcome(context, event)),
    applyEarlyOutcome: assign(({ context, event }) => u.applyEarlyOutcome(context, event)),
    markFailedByReport: assign(({ context, event }) => u.markFailedByReport(context, event)),
    markRejected: assign(({ context, event }) => u.markRejected(context, event)),
    markTimedOut: assign(({ context, event }) => u.markTimedOut(context, event)),
    markCancelled: assign(({ context, event }) => u.markCancelled(context, event)),
    markCallEnded: assign(({ context, event }) => u.markCallEnded(context, event)),
    recordLateOutcome: assign(({ context, event }) => u.recordLateOutcome(context, event)),
    recordLateRejection: assign(({ context, event }) => u.recordLateRejection(context, event)),
    reportEnd: enqueueActions(({ context, enqueue }) => {
      const r = report.reportEnd(context)
      if (r !== undefined) enqueue.sendParent(r)
    }),
    reportLateOutcome: enqueueActions(({ context, enqueue }) => {
      const r = report.reportLateOutcome(context)
      if (r !== undefined) enqueue.sendParent(r)
    }),
  },
}).createMachine({
  id: 'operation',
  initial: 'requested',
  context: ({ input }) => operationContextOf(input),
  on: {
    cancel: { target: '.failed.cancelled', actions: 'markCancelled' },
    'call.ended': { target: '.failed.callEnded', actions: 'markCallEnded' },
    'deadline.reached': { guard: 'deadlinePassed', target: '.failed.timedOut', actions: 'markTimedOut' },
  },
  states: {
    requested: {
      on: {
        'http.accepted': [
          { guard: 'reportSucceeded', target: 'completed', actions: 'recordReport' },
          { guard: 'reportIsFinal', target: 'failed.operationFailed', actions: 'recordReport' },
          { guard: 'earlyOutcomeSucceeded', target: 'completed', actions: ['recordReport', 'applyEarlyOutcome'] },
          { guard: 'hasEarlyOutcome', target: 'failed.operationFailed', actions: ['recordReport', 'applyEarlyOutcome'] },
          { target: 'running', actions: 'recordReport' },
        ],
        // The request may have been carried out although its answer was lost: the notification is the truth.
        'http.rejected': [
          { guard: 'earlyOutcomeSucceeded', target: 'completed', actions: 'applyEarlyOutcome' },
          { guard: 'hasEarlyOutcome', target: 'failed.operationFailed', actions: 'applyEarlyOutcome' },
          { target: 'failed.rejected', actions: 'markRejected' },
        ],
        'notification.operation': { guard: 'reportIsFinal', actions: 'keepEarlyOutcome' },
        // The answer never came but the notification did: it is the outcome, not a timeout.
        'deadline.reached': [
          { guard: and(['deadlinePassed', 'earlyOutcomeSucceeded']), target: 'completed', actions: 'applyEarlyOutcome' },
          { guard: and(['deadlinePassed', 'hasEarlyOutcome']), target: 'failed.operationFailed', actions: 'applyEarlyOutcome' },
        ],
      },
    },
    running: {
      on: {
        'notification.operation': [
          { guard: 'reportSucceeded', target: 'completed', actions: 'recordReport' },
          { guard: 'reportIsFinal', target: 'failed.operationFailed', actions: 'recordReport' },
          { actions: 'recordReport' },
        ],
      },
    },
    // Not `type: 'final'` on purpose: a final child sends its parent `xstate.done.actor.<id>`, a new
    // event type per operation, and XState memoises transition candidates per event type forever
    // (about 470 bytes leaked per operation, measured). The call stops the child once it reported.
    completed: { entry: 'reportEnd', on: { cancel: {}, 'call.ended': {}, 'deadline.reached': {} } },
    failed: {
      initial: 'operationFailed',
      // Once failed, nothing but a late outcome of a timed-out operation changes it.
      on: { cancel: {}, 'call.ended': {}, 'deadline.reached': {} },
      states: {
        operationFailed: { entry: ['markFailedByReport', 'reportEnd'] },
        rejected: { entry: 'reportEnd' },
        // A cancelled request may have left: like a timed-out one it still listens (the call keeps
        // only cancelled hold attempts alive, so their outcome frees or confirms the slot).
        cancelled: { entry: 'reportEnd', on: lateListening },
        callEnded: { entry: 'reportEnd' },
        timedOut: { entry: 'reportEnd', on: lateListening },
        lateOutcome: { entry: 'reportLateOutcome' },
      },
    },
  },
})

/** The operation machine's type, for typing snapshots and actors. */
export type OperationMachine = typeof operationMachine
