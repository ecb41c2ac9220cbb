import * as t from 'io-ts'
import type { OperationStatus as OperationStatusValue } from '../domain/OperationStatus.js'

/** The lifecycle status of a commsOperation, always lower camel case once decoded. */
export type OperationStatus = OperationStatusValue

const statuses: Readonly<Record<OperationStatus, null>> = { notStarted: null, running: null, completed: null, failed: null }

const byLowerCase = new Map<string, OperationStatus>(
  (Object.keys(statuses) as OperationStatus[]).map((s) => [s.toLowerCase(), s]),
)

/**
 * A commsOperation status. The docs spell it `Running` in one example, so any casing is accepted
 * and normalised (`Running` → `running`, `NOTSTARTED` → `notStarted`).
 */
export const OperationStatus = new t.Type<OperationStatus, string, unknown>(
  'OperationStatus',
  // `byLowerCase`, not `in`: `'constructor' in statuses` is true through Object.prototype.
  (u): u is OperationStatus => typeof u === 'string' && byLowerCase.get(u.toLowerCase()) === u,
  (u, c) => {
    if (typeof u !== 'string') return t.failure(u, c)
    const s = byLowerCase.get(u.toLowerCase())
    return s === undefined ? t.failure(u, c) : t.success(s)
  },
  (s) => s,
)
