import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeOptions } from '../codecs/options/decodeOptions.js'
import { strictObject } from '../codecs/options/strictObject.js'
import type { InvalidRequest } from '../domain/CallOpsError.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { Mutable } from '../domain/Mutable.js'
import { validatePathId } from '../graph/pathId.js'
import { CallKind } from './CallKind.js'
import type { CallRegistration } from './CallOrchestrator.js'
import { HoldPolicy } from './HoldPolicy.js'

// callId is checked by validatePathId afterwards: its messages never echo an id (it may hold
// control characters meant to mislead a reader of the logs).
const Registration = strictObject('a call registration (an object with callId)', { callId: t.unknown }, { kind: CallKind, holdPolicy: HoldPolicy })

/**
 * Checks what `registerCall` is given: a plain object with a safe `callId`, `kind` exactly
 * `group`, `peerToPeer` or `unknown`, `holdPolicy` exactly `reject`, `queue` or `swap`, and no
 * other key.
 *
 * @returns the registration, or an `InvalidRequest` whose `path` names the refused field.
 * @example
 * ```ts
 * decodeCallRegistration({ callId, kind: 'bogus' })
 * // Left(InvalidRequest at 'kind': Invalid option `kind`: got "bogus"; expected one of "group", "peerToPeer", "unknown".)
 * ```
 */
export const decodeCallRegistration = (reg: unknown): E.Either<InvalidRequest, CallRegistration> => {
  const r = decodeOptions(Registration, reg)
  if (E.isLeft(r)) {
    const first = r.left.issues[0]
    return E.left(first.path === '' ? invalidRequest(r.left.message) : invalidRequest(r.left.message, first.path))
  }
  const callId = validatePathId('callId', r.right.callId)
  if (E.isLeft(callId)) return callId
  const decoded: Mutable<CallRegistration> = { callId: callId.right }
  if (r.right.kind !== undefined) decoded.kind = r.right.kind
  if (r.right.holdPolicy !== undefined) decoded.holdPolicy = r.right.holdPolicy
  return E.right(decoded)
}
