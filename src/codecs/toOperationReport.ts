import * as E from 'fp-ts/lib/Either.js'
import { canonicalId } from '../domain/canonicalId.js'
import type { Mutable } from '../domain/Mutable.js'
import type { OperationReport } from '../domain/Operation.js'
import { validateClientContext } from './ClientContext.js'
import type { AnyOperation } from './CommsOperation.js'

/** Turns a decoded operation into the report the machines read: ids canonical, nulls and foreign clientContexts dropped. */
export const toOperationReport = (op: AnyOperation, operationIdFromUrl?: string): OperationReport => {
  // Filled field by field rather than with conditional spreads: one object instead of one per field
  // (this runs for every answer and every operation notification, issue 8).
  const report: Mutable<OperationReport> = {}
  const id = op.id === undefined || op.id === null ? (op.id === null ? null : operationIdFromUrl) : canonicalId(op.id)
  if (id !== undefined) report.id = id
  if (op.status !== undefined) report.status = op.status
  // A clientContext callops would refuse to send (too long, control characters, `constructor`...)
  // is not one of ours: dropped, so it cannot reach a lookup keyed by clientContext.
  if (op.clientContext !== undefined && op.clientContext !== null && E.isRight(validateClientContext(op.clientContext))) {
    report.clientContext = op.clientContext
  }
  if (op.resultInfo !== undefined && op.resultInfo !== null) report.resultInfo = op.resultInfo
  if (op.completionReason !== undefined && op.completionReason !== null) report.completionReason = op.completionReason
  if (op.recordingLocation !== undefined && op.recordingLocation !== null) report.recordingLocation = op.recordingLocation
  return report
}
