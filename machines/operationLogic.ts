import { callEnded, cancelled, operationFailed, timeout, type CallOpsError, type GraphError } from '../src/domain/CallOpsError.js'
import type { Operation, OperationReport } from '../src/domain/Operation.js'
import type { OperationResult } from '../src/domain/OperationResult.js'
import type { ActionName } from '../src/domain/ActionName.js'
import type { Mutable } from '../src/domain/Mutable.js'
import { isDefiniteFailure } from './isDefiniteFailure.js'
import { copyOperation } from './literalCopies.js'
import { isFinalReport, isSuccessReport, mergeReport } from './operationReport.js'

// The one implementation of an operation's lifecycle logic: the guards, the context changes and
// the reports of `operationMachine` (operation.machine.ts), as plain functions. The machine's
// guards and actions call them; so does the call machine's stepping of its operations
// (operationStep.ts), which follows the machine's own transitions.

/** What starts an operation machine: the request callops is about to send. */
export interface OperationInput {
  readonly clientContext: string
  readonly action: ActionName
  readonly callId: string
  readonly participantId?: string
  /** Epoch milliseconds after which the operation fails with `Timeout`. */
  readonly deadline: number
  /**
   * Set when the operation belongs to a call machine: the outcome is reported to the call.
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

/** What an operation tells its call when it ends, or when a late outcome arrives. */
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

/** The operation machine's initial context for `input`. */
export const operationContextOf = (input: OperationInput): OperationContext => {
  // Field by field, not with conditional spreads: this runs for every operation.
  const operation: Mutable<Operation> = { clientContext: input.clientContext, action: input.action, callId: input.callId, status: 'notStarted' }
  if (input.participantId !== undefined) operation.participantId = input.participantId
  const context: Mutable<OperationContext> = { operation, deadline: input.deadline }
  if (input.reportsToCall !== undefined) context.reportsToCall = input.reportsToCall
  return context
}

const resultOf = (c: OperationContext): OperationResult =>
  c.error === undefined ? { ok: true, operation: c.operation } : { ok: false, operation: c.operation, error: c.error }

const reportOf = (e: OperationEvent): OperationReport | undefined =>
  e.type === 'http.accepted' || e.type === 'notification.operation' ? e.report : undefined

const withStatus = (op: Operation, status: Operation['status']): Operation => {
  const next = copyOperation(op)
  next.status = status
  return next
}

const withOperationId = (op: Operation, id: string): Operation => {
  const next = copyOperation(op)
  next.id = id
  return next
}

type Guard = (context: OperationContext, event: OperationEvent) => boolean

/** The operation machine's guards. */
export const operationGuards = {
  reportSucceeded: (_c, e) => {
    const r = reportOf(e)
    return r !== undefined && isSuccessReport(r)
  },
  reportIsFinal: (_c, e) => {
    const r = reportOf(e)
    return r !== undefined && isFinalReport(r)
  },
  earlyOutcomeSucceeded: (c, _e) => c.early !== undefined && isSuccessReport(c.early),
  hasEarlyOutcome: (c, _e) => c.early !== undefined,
  deadlinePassed: (c, e) => e.type === 'deadline.reached' && e.now >= c.deadline,
  // A 4xx proves the request was not carried out; a 5xx or a network error proves nothing.
  rejectionIsDefinite: (_c, e) => e.type === 'http.rejected' && isDefiniteFailure(e.error),
} satisfies Record<string, Guard>

type Update = (context: OperationContext, event: OperationEvent) => Partial<OperationContext>

/** The operation machine's context changes (each an `assign` in the machine). */
export const operationUpdates = {
  recordReport: (c, e) => {
    const r = reportOf(e)
    return { operation: r === undefined ? c.operation : mergeReport(c.operation, r) }
  },
  keepEarlyOutcome: (c, e) => {
    const r = reportOf(e)
    // Only the id is taken now; the outcome waits for the HTTP answer.
    const early = r ?? c.early
    return { ...(early === undefined ? {} : { early }), operation: r?.id === undefined || r.id === null ? c.operation : withOperationId(c.operation, r.id) }
  },
  applyEarlyOutcome: (c, _e) => ({ operation: c.early === undefined ? c.operation : mergeReport(c.operation, c.early) }),
  markFailedByReport: (c, _e) => ({ error: operationFailed(c.operation) }),
  markRejected: (c, e) => ({ error: e.type === 'http.rejected' ? e.error : cancelled('rejected'), operation: withStatus(c.operation, 'failed') }),
  markTimedOut: (c, _e) => ({ error: timeout(c.operation.clientContext, c.deadline) }),
  markCancelled: (_c, e) => ({ error: cancelled(e.type === 'cancel' && e.reason !== undefined ? e.reason : 'operation cancelled') }),
  markCallEnded: (c, _e) => ({ error: callEnded(c.operation.callId) }),
  recordLateOutcome: (c, e) => {
    const r = reportOf(e)
    return r === undefined ? {} : { late: mergeReport(c.operation, r) }
  },
  recordLateRejection: (c, e) => {
    const lateError = e.type === 'http.rejected' ? e.error : c.lateError
    return { late: withStatus(c.operation, 'failed'), ...(lateError === undefined ? {} : { lateError }) }
  },
} satisfies Record<string, Update>

type Report = (context: OperationContext) => OperationReportToCall | undefined

/** What the operation tells its call (the machine's `sendParent`), when it belongs to one. */
export const operationReports = {
  reportEnd: (c: OperationContext): OperationReportToCall | undefined =>
    c.reportsToCall === undefined ? undefined : { type: 'operation.ended', clientContext: c.operation.clientContext, result: resultOf(c) },
  reportLateOutcome: (c: OperationContext): OperationReportToCall | undefined =>
    c.reportsToCall === undefined || c.late === undefined
      ? undefined
      : {
          type: 'operation.late',
          clientContext: c.operation.clientContext,
          operation: c.late,
          succeeded: c.lateError === undefined && isSuccessReport(c.late),
          ...(c.lateError === undefined ? {} : { error: c.lateError }),
        },
} satisfies Record<string, Report>
