import { type Unauthorized, unauthorized } from './AuthFailure.js'

// Far above any real token; stops huge headers before any parsing.
const MAX_HEADER_LENGTH = 16 * 1024
const BEARER = /^Bearer +(\S+)\s*$/i
// JWS compact form; the signature may be empty so that `alg: none` is refused by name.
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/**
 * The bearer token of an `Authorization` header, or why the header cannot carry one (missing, too
 * long, not `Bearer`, not a compact JWS). Synchronous and cheap: the webhook calls it before it
 * reads a byte of the body, so a sender without a plausible token costs no memory.
 *
 * @example
 * ```ts
 * checkAuthorizationHeader(undefined)         // { _tag: 'Unauthorized', status: 401, reason: 'missing Authorization header' }
 * checkAuthorizationHeader('Bearer a.b.c')    // 'a.b.c'
 * ```
 */
export const checkAuthorizationHeader = (authorizationHeader: string | undefined): string | Unauthorized => {
  if (authorizationHeader === undefined || authorizationHeader.trim() === '') return unauthorized('missing Authorization header')
  if (authorizationHeader.length > MAX_HEADER_LENGTH) return unauthorized('Authorization header too long')
  const token = BEARER.exec(authorizationHeader)?.[1]
  if (token === undefined) return unauthorized('Authorization scheme is not Bearer')
  if (!COMPACT_JWS.test(token)) return unauthorized('malformed token')
  return token
}
