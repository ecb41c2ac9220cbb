import * as E from 'fp-ts/lib/Either.js'
import { ClientContext } from '../codecs/ClientContext.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { InvalidRequest } from '../domain/CallOpsError.js'

// The longest id callops puts into a URL path; Graph's ids are GUIDs (36 characters).
const MAX_PATH_ID_LENGTH = 128

// Characters that could change which resource a path names (separators, query, fragment, escapes)
// and anything outside visible ASCII: no Graph id has it, and whitespace, controls, look-alikes
// (U+FF0F `／`) or invisible format characters (U+202E, U+200B) only serve to mislead a server or
// a reader of the logs. `..` is checked on its own.
const forbidden = /[^\x21-\x7e]|[/\\?#%]/
const control = /[\u0000-\u001f\u007f-\u009f]/

const describeForbidden = (value: string): string => {
  const m = forbidden.exec(value)
  if (m === null) return 'must not contain ".."'
  const ch = m[0]
  const code = `U+${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0').toUpperCase()}`
  if (control.test(ch) || /\s/.test(ch)) return `must not contain whitespace or control characters (${code})`
  return ch.charCodeAt(0) > 0x7e ? `must contain visible ASCII characters only (${code})` : `must not contain "${ch}"`
}

// Names an object already answers through Object.prototype (`constructor`, `__proto__`, `toString`):
// a key spelled so would find something where nothing was stored.
const prototypeNames: ReadonlySet<string> = new Set(Object.getOwnPropertyNames(Object.prototype))

/**
 * Checks an id that goes into a URL path (a call id, a participant id) before any request leaves:
 * a non-empty string of at most 128 visible ASCII characters without `/`, `\`, `?`, `#`, `%` or
 * `..` (so no whitespace, control or non-ASCII character). The refusal names the field; it never
 * echoes the value.
 *
 * @param field - The name reported in the error's `path`, e.g. `callId`.
 * @example
 * ```ts
 * validatePathId('callId', '../x') // Left({ _tag: 'InvalidRequest', path: 'callId', ... })
 * validatePathId('callId', 'e141b67c-90fd-455d-858b-b48a40b9cc8d') // Right('e141b67c-...')
 * ```
 */
export const validatePathId = (field: string, value: unknown): E.Either<InvalidRequest, string> => {
  if (typeof value !== 'string') return E.left(invalidRequest(`${field} must be a string, got ${value === null ? 'null' : typeof value}`, field))
  if (value.length === 0) return E.left(invalidRequest(`${field} must not be empty`, field))
  if (value.length > MAX_PATH_ID_LENGTH) {
    return E.left(invalidRequest(`${field} must be at most ${MAX_PATH_ID_LENGTH} characters, got ${value.length}`, field))
  }
  if (forbidden.test(value) || value.includes('..')) return E.left(invalidRequest(`${field} ${describeForbidden(value)}`, field))
  return E.right(value)
}

const undashed = /^[0-9a-fA-F]{32}$/
const dashed = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/

/**
 * Maps Graph's two spellings of one GUID to one key: 32 hex digits without dashes (any case) become
 * lower-case `8-4-4-4-12`; a dashed GUID becomes lower case; anything else is returned unchanged.
 * Graph's documented notifications use both spellings for the same kind of id.
 *
 * @example
 * ```ts
 * canonicalId('57DAB8B1894C409AB240BD8BEAE78896') // '57dab8b1-894c-409a-b240-bd8beae78896'
 * canonicalId('57DAB8B1-894C-409A-B240-BD8BEAE78896') // '57dab8b1-894c-409a-b240-bd8beae78896'
 * canonicalId('not-a-guid') // 'not-a-guid'
 * ```
 */
export const canonicalId = (id: string): string => {
  if (id.length === 36 && dashed.test(id)) return id.toLowerCase()
  if (id.length === 32 && undashed.test(id)) {
    const s = id.toLowerCase()
    return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
  }
  return id
}

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
