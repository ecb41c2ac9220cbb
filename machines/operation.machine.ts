import { and, assign, enqueueActions, setup } from 'xstate'
import {
  callEnded,
  cancelled,
  operationFailed,
  timeout,
  type CallOpsError,
  type GraphError,
} from '../src/domain/CallOpsError.js'
import type { Operation, OperationReport } from '../src/domain/Operation.js'
import type { OperationResult } from '../src/domain/OperationResult.js'
import type { ActionName } from '../src/domain/ActionName.js'
import { isDefiniteFailure } from './isDefiniteFailure.js'
import { isFinalReport, isSuccessReport, mergeReport } from './operationReport.js'

/** What starts an operation machine: the request callops is about to send. */
export interface OperationInput {
  readonly clientContext: string
  readonly action: ActionName
  readonly callId: string
  readonly participantId?: string
  /** Epoch milliseconds after which the operation fails with `Timeout`. */
  readonly deadline: number
  /**
   * Set when a call machine runs this operation as its child: the outcome is sent to the parent.
   * Alone (tests, the inspector, a diagram) there is no one to tell.
   */
  readonly reportsToCall?: true
}

export type { OperationResult }

/** The operation machine's context. */
export interface OperationContext {
  readonly operation: Operation
  readonly deadline: number
  /** A final notification that beat the HTTP answer: applied when the answer arrives. */
  readonly early?: OperationReport
  readonly error?: CallOpsError
  /** The real outcome when it arrived after the deadline (the operation had already timed out). */
  readonly late?: Operation
  /** See {@link OperationInput.reportsToCall}. */
  readonly reportsToCall?: true
  /** Why, when that late outcome was an HTTP refusal (a 4xx) rather than a final report. */
  readonly lateError?: GraphError
}

/** Events the operation machine accepts; the runtime (through the call machine) sends them. */
export type OperationEvent =
  | { readonly type: 'http.accepted'; readonly report: OperationReport }
  | { readonly type: 'http.rejected'; readonly error: GraphError }
  | { readonly type: 'notification.operation'; readonly report: OperationReport }
  | { readonly type: 'deadline.reached'; readonly now: number }
  | { readonly type: 'cancel'; readonly reason?: string }
  | { readonly type: 'call.ended' }

/** What an operation tells its call (its parent) when it ends, or when a late outcome arrives. */
export type OperationReportToCall =
  | { readonly type: 'operation.ended'; readonly clientContext: string; readonly result: OperationResult }
  | {
      readonly type: 'operation.late'
      readonly clientContext: string
      readonly operation: Operation
      readonly succeeded: boolean
      /** The HTTP refusal, when the late outcome was one. */
      readonly error?: GraphError
    }

const resultOf = (c: OperationContext): OperationResult =>
  c.error === undefined ? { ok: true, operation: c.operation } : { ok: false, operation: c.operation, error: c.error }

const reportOf = (e: OperationEvent): OperationReport | undefined =>
  e.type === 'http.accepted' || e.type === 'notification.operation' ? e.report : undefined

const withStatus = (op: Operation, status: Operation['status']): Operation => ({ ...op, status })

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
  guards: {
    reportSucceeded: ({ event }) => {
      const r = reportOf(event)
      return r !== undefined && isSuccessReport(r)
    },
    reportIsFinal: ({ event }) => {
      const r = reportOf(event)
      return r !== undefined && isFinalReport(r)
    },
    earlyOutcomeSucceeded: ({ context }) => context.early !== undefined && isSuccessReport(context.early),
    hasEarlyOutcome: ({ context }) => context.early !== undefined,
    deadlinePassed: ({ context, event }) => event.type === 'deadline.reached' && event.now >= context.deadline,
    // A 4xx proves the request was not carried out; a 5xx or a network error proves nothing.
    rejectionIsDefinite: ({ event }) => event.type === 'http.rejected' && isDefiniteFailure(event.error),
  },
  actions: {
    recordReport: assign({
      operation: ({ context, event }) => {
        const r = reportOf(event)
        return r === undefined ? context.operation : mergeReport(context.operation, r)
      },
    }),
    keepEarlyOutcome: assign({
      early: ({ context, event }) => reportOf(event) ?? context.early,
      operation: ({ context, event }) => {
        const r = reportOf(event)
        // Only the id is taken now; the outcome waits for the HTTP answer.
        return r?.id === undefined || r.id === null ? context.operation : { ...context.operation, id: r.id }
      },
    }),
    applyEarlyOutcome: assign({
      operation: ({ context }) => (context.early === undefined ? context.operation : mergeReport(context.operation, context.early)),
    }),
    markFailedByReport: assign({ error: ({ context }) => operationFailed(context.operation) }),
    markRejected: assign({
      error: ({ event }) => (event.type === 'http.rejected' ? event.error : cancelled('rejected')),
      operation: ({ context }) => withStatus(context.operation, 'failed'),
    }),
    markTimedOut: assign({
      error: ({ context }) => timeout(context.operation.clientContext, context.deadline),
    }),
    markCancelled: assign({
      error: ({ event }) => cancelled(event.type === 'cancel' && event.reason !== undefined ? event.reason : 'operation cancelled'),
    }),
    markCallEnded: assign({ error: ({ context }) => callEnded(context.operation.callId) }),
    recordLateOutcome: assign({
      late: ({ context, event }) => {
        const r = reportOf(event)
        return r === undefined ? context.late : mergeReport(context.operation, r)
      },
    }),
    recordLateRejection: assign({
      late: ({ context }) => withStatus(context.operation, 'failed'),
      lateError: ({ context, event }) => (event.type === 'http.rejected' ? event.error : context.lateError),
    }),
    reportEnd: enqueueActions(({ context, enqueue }) => {
      if (context.reportsToCall === undefined) return
      const report: OperationReportToCall = {
        type: 'operation.ended',
        clientContext: context.operation.clientContext,
        result: resultOf(context),
      }
      enqueue.sendParent(report)
    }),
    reportLateOutcome: enqueueActions(({ context, enqueue }) => {
      if (context.reportsToCall === undefined || context.late === undefined) return
      const report: OperationReportToCall = {
        type: 'operation.late',
        clientContext: context.operation.clientContext,
        operation: context.late,
        succeeded: context.lateError === undefined && isSuccessReport(context.late),
        ...(context.lateError === undefined ? {} : { error: context.lateError }),
      }
      enqueue.sendParent(report)
    }),
  },
}).createMachine({
  id: 'operation',
  initial: 'requested',
  context: ({ input }) => ({
    operation: {
      clientContext: input.clientContext,
      action: input.action,
      callId: input.callId,
      ...(input.participantId === undefined ? {} : { participantId: input.participantId }),
      status: 'notStarted',
    },
    deadline: input.deadline,
    ...(input.reportsToCall === undefined ? {} : { reportsToCall: input.reportsToCall }),
  }),
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
