import type { CallOpsError } from '../src/domain/CallOpsError.js'

/**
 * Whether a failure proves Graph did not (and will not) carry out the request. Only then may a
 * hold slot be freed: after a timeout, a cancel, a network error or a 5xx the participant may be
 * on hold anyway, and freeing the slot could put two participants on hold.
 *
 * @example
 * ```ts
 * isDefiniteFailure({ _tag: 'Http', status: 404, message: 'HTTP 404' }) // true
 * isDefiniteFailure({ _tag: 'Http', status: 503, message: 'HTTP 503' }) // false
 * ```
 */
export const isDefiniteFailure = (error: CallOpsError): boolean => {
  switch (error._tag) {
    case 'OperationFailed':
    case 'InvalidRequest':
    case 'Credential':
    case 'HoldConflict':
    case 'CallEnded':
    case 'NotSent':
      return true
    case 'Http':
      if (error.unprocessed === true) return true
      return error.status !== undefined && error.status >= 400 && error.status < 500 && error.status !== 408
    default:
      return false
  }
}
