import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { decodeShaped } from '../codecs/decode.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { InvalidRequest } from '../domain/CallOpsError.js'

/**
 * Checks a request body with its codec before anything is sent. Only the verdict is used: the body
 * itself is sent, not re-encoded, so fields the codec does not name reach Graph untouched.
 */
export const checkBody = (what: string, codec: t.Mixed, body: unknown): E.Either<InvalidRequest, unknown> => {
  const checked = decodeShaped(codec, body)
  if (E.isRight(checked)) return E.right(body)
  const at = checked.left.path === '' ? 'body' : `body.${checked.left.path}`
  return E.left(invalidRequest(`${what} body is invalid: ${checked.left.message}`, at))
}
