import * as E from 'fp-ts/lib/Either.js'
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
