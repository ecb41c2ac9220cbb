import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { invalidRequest, type InvalidRequest } from '../domain/CallOpsError.js'

/** The brand of a valid clientContext. */
export interface ClientContextBrand {
  readonly ClientContext: unique symbol
}

/** Graph's `clientContext`: a unique string of 1 to 256 characters that correlates an operation. */
export const ClientContext = t.brand(
  t.string,
  (s): s is t.Branded<string, ClientContextBrand> => s.length >= 1 && s.length <= 256,
  'ClientContext',
)
/** A string known to be a valid clientContext. */
export type ClientContext = t.TypeOf<typeof ClientContext>

const control = /[\u0000-\u001f\u007f-\u009f]/

// Names an object already answers through Object.prototype (`constructor`, `__proto__`, `toString`):
// a key spelled so would find something where nothing was stored.
const prototypeNames: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype))

/**
 * Checks a clientContext before it is sent: a string of 1 to 256 characters (Graph's limit) without
 * control characters, and not the name of an `Object.prototype` member (`constructor`, `__proto__`,
 * ...), since callops keys its operations by clientContext. It goes into the JSON body only, never
 * into a URL, so `/`, `?` or `#` are allowed.
 *
 * @example
 * ```ts
 * validateClientContext('hold-1') // Right('hold-1')
 * validateClientContext('x'.repeat(257)) // Left(InvalidRequest at path 'clientContext')
 * ```
 */
export const validateClientContext = (value: unknown): E.Either<InvalidRequest, ClientContext> => {
  if (!ClientContext.is(value)) {
    const detail = typeof value === 'string' ? `got ${value.length} characters` : `got ${value === null ? 'null' : typeof value}`
    return E.left(invalidRequest(`clientContext must be a string of 1 to 256 characters, ${detail}`, 'clientContext'))
  }
  if (control.test(value)) return E.left(invalidRequest('clientContext must not contain control characters', 'clientContext'))
  if (prototypeNames.has(value)) return E.left(invalidRequest(`clientContext must not be ${JSON.stringify(value)}: it names a member of Object.prototype`, 'clientContext'))
  return E.right(value)
}
