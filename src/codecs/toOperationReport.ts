import * as E from 'fp-ts/lib/Either.js'
import { canonicalId } from '../domain/canonicalId.js'
import type { Mutable } from '../domain/Mutable.js'
import type { OperationReport } from '../domain/Operation.js'
import { statusWithCompletion } from '../domain/statusWithCompletion.js'
import { validateClientContext } from './ClientContext.js'
import type { AnyOperation } from './CommsOperation.js'
import { toResultInfo } from './ResultInfo.js'

const present = (...values: readonly (string | null | undefined)[]): string | undefined => {
  for (const v of values) if (typeof v === 'string') return v
  return undefined
}

/**
 * Turns a decoded operation into the report the machines read: ids canonical, nulls and foreign
 * clientContexts dropped, a `completed` status with an error completionReason reported as `failed`
 * ({@link statusWithCompletion}), the historical record fields (`recordResourceLocation`,
 * `recordResourceAccessToken`) read as `recordingLocation` and `recordingAccessToken`.
 *
 * @example
 * ```ts
 * toOperationReport({ status: 'completed', completionReason: 'unknown', id: 'D36F' }) // { id: 'd36f', status: 'failed', completionReason: 'unknown' }
 * ```
 */
export const toOperationReport = (op: AnyOperation, operationIdFromUrl?: string): OperationReport => {
  // Filled field by field rather than with conditional spreads: one object instead of one per field
  // (this runs for every answer and every operation notification, issue 8).
  const report: Mutable<OperationReport> = {}
  const id = op.id === undefined || op.id === null ? (op.id === null ? null : operationIdFromUrl) : canonicalId(op.id)
  if (id !== undefined) report.id = id
  const completionReason = present(op.completionReason)
  const status = statusWithCompletion(op.status, completionReason)
  if (status !== undefined) report.status = status
  // A clientContext callops would refuse to send (too long, control characters, `constructor`...)
  // is not one of ours: dropped, so it cannot reach a lookup keyed by clientContext.
  if (op.clientContext !== undefined && op.clientContext !== null && E.isRight(validateClientContext(op.clientContext))) {
    report.clientContext = op.clientContext
  }
  if (op.resultInfo !== undefined && op.resultInfo !== null) report.resultInfo = toResultInfo(op.resultInfo)
  if (completionReason !== undefined) report.completionReason = completionReason
  const location = present(op.recordingLocation, op.recordResourceLocation)
  if (location !== undefined) report.recordingLocation = location
  const token = present(op.recordingAccessToken, op.recordResourceAccessToken)
  if (token !== undefined) report.recordingAccessToken = token
  return report
}
