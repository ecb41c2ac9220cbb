import type { Operation, OperationReport } from '../src/domain/Operation.js'
import type { Mutable } from '../src/domain/Mutable.js'
import { copyOperation } from './literalCopies.js'

/** True when a report carries an end status (`completed` or `failed`): no notification follows it. */
export const isFinalReport = (r: OperationReport): boolean => r.status === 'completed' || r.status === 'failed'

/**
 * True when a final report means success: `completed`, a 2xx (or absent) resultInfo code, and a
 * completionReason that is not a cancellation (`completed` alone is not success, see the docs).
 */
export const isSuccessReport = (r: OperationReport): boolean => {
  if (r.status !== 'completed') return false
  const code = r.resultInfo?.code
  if (code !== undefined && (code < 200 || code > 299)) return false
  return r.completionReason === undefined || !/cancel/i.test(r.completionReason)
}

/** The operation with what a report told about it; fields the report lacks are kept. */
export const mergeReport = (op: Operation, r: OperationReport): Operation => {
  const next: Mutable<Operation> = copyOperation(op)
  if (r.id !== undefined && r.id !== null) next.id = r.id
  else if (r.id === null && next.id === undefined) next.id = null
  if (r.status !== undefined) next.status = r.status
  if (r.resultInfo !== undefined) next.resultInfo = r.resultInfo
  if (r.completionReason !== undefined) next.completionReason = r.completionReason
  if (r.recordingLocation !== undefined) next.recordingLocation = r.recordingLocation
  if (r.recordingAccessToken !== undefined) next.recordingAccessToken = r.recordingAccessToken
  return next
}
