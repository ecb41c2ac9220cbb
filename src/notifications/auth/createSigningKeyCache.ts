import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { createLocalJWKSet } from 'jose'
import { decode } from '../../codecs/decode.js'
import type { Logger } from '../../logging/Logger.js'
import { type AuthFailure, type AuthUnavailable, authUnavailable, unauthorized } from './AuthFailure.js'
import { JsonWebKeySet, OpenIdMetadata } from './openIdCodecs.js'

// An unknown `kid` refreshes the keys at most this often, so forged kids cannot hammer the metadata server.
const KEY_REFRESH_INTERVAL_MS = 60_000
// With no keys at all (the first fetch failed), the next fetch waits at least this long.
const KEY_RETRY_AFTER_FAILURE_MS = 5_000
// Keys older than this are fetched again, so a key the issuer withdrew stops being trusted.
const KEY_MAX_AGE_MS = 24 * 60 * 60 * 1000

/** Resolves a token's verification key: jose's key resolver over one fetched key set. */
export type KeyResolver = ReturnType<typeof createLocalJWKSet>

/** Settings of a {@link SigningKeyCache}; all already validated by the caller. */
export interface SigningKeyCacheOptions {
  readonly openIdConfigUrl: string
  readonly fetch: typeof fetch
  readonly fetchTimeoutMs: number
  readonly now: () => number
  readonly logger: Logger
}

/** The signing keys of an OpenID provider, fetched on first use and refreshed on an unknown `kid`. */
export interface SigningKeyCache {
  /**
   * The key resolver to verify a token signed with key `kid`. An unknown kid is 401 (after at most
   * one refresh a minute); keys that cannot be fetched are 503.
   */
  keyFor(kid: string): Promise<E.Either<AuthFailure, KeyResolver>>
}

interface KeySet {
  readonly kids: ReadonlySet<string>
  readonly resolve: KeyResolver
  readonly fetchedAt: number
}

/** Loopback may be plain http (tests, the simulator); anything else must be https so keys cannot be swapped in transit. */
export const isTrustedKeyUrl = (url: URL): boolean =>
  url.protocol === 'https:' ||
  (url.protocol === 'http:' && (url.hostname === 'localhost' || url.hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(url.hostname)))

/**
 * Creates the key cache behind the notification authenticator. Concurrent callers share one fetch;
 * a failed fetch never clears keys already held, and never yields a key.
 *
 * @example
 * ```ts
 * const cache = createSigningKeyCache({ openIdConfigUrl, fetch, fetchTimeoutMs: 5000, now: Date.now, logger })
 * const key = await cache.keyFor(header.kid)
 * ```
 */
export const createSigningKeyCache = (options: SigningKeyCacheOptions): SigningKeyCache => {
  const { openIdConfigUrl, now, logger } = options
  let keys: KeySet | undefined
  let lastAttemptAt: number | undefined
  let lastAttemptFailed = false
  let inflight: Promise<E.Either<AuthUnavailable, KeySet>> | undefined

  const fetchJson = async <A>(url: string, codec: t.Type<A, unknown, unknown>): Promise<E.Either<string, A>> => {
    let res: Response
    try {
      res = await options.fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.fetchTimeoutMs) })
    } catch (err) {
      return E.left(`GET ${url} failed: ${describeError(err)}`)
    }
    let text: string
    try {
      if (!res.ok) {
        await res.body?.cancel()
        return E.left(`GET ${url} answered HTTP ${res.status}`)
      }
      text = await res.text()
    } catch (err) {
      return E.left(`GET ${url}: reading the body failed: ${describeError(err)}`)
    }
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return E.left(`GET ${url}: the body is not JSON`)
    }
    const decoded = decode(codec, json)
    return E.isLeft(decoded) ? E.left(`GET ${url}: unexpected body: ${decoded.left.message}`) : decoded
  }

  const load = async (): Promise<E.Either<string, KeySet>> => {
    const metadata = await fetchJson(openIdConfigUrl, OpenIdMetadata)
    if (E.isLeft(metadata)) return metadata
    let jwksUrl: URL
    try {
      jwksUrl = new URL(metadata.right.jwks_uri, openIdConfigUrl)
    } catch {
      return E.left(`jwks_uri of ${openIdConfigUrl} is not a URL`)
    }
    if (!isTrustedKeyUrl(jwksUrl)) return E.left(`jwks_uri ${jwksUrl.href} is not https`)
    const jwks = await fetchJson(jwksUrl.href, JsonWebKeySet)
    if (E.isLeft(jwks)) return jwks
    const kids = new Set(jwks.right.keys.flatMap((k) => (k.kid === undefined ? [] : [k.kid])))
    if (kids.size === 0) return E.left(`${jwksUrl.href} holds no key with a kid`)
    let resolve: KeyResolver
    try {
      resolve = createLocalJWKSet(jwks.right)
    } catch (err) {
      return E.left(`${jwksUrl.href}: ${describeError(err)}`)
    }
    logger.info({ openIdConfigUrl, jwksUri: jwksUrl.href, kids: [...kids] }, 'notification signing keys loaded')
    return E.right({ kids, resolve, fetchedAt: now() })
  }

  const refresh = (): Promise<E.Either<AuthUnavailable, KeySet>> => {
    if (inflight !== undefined) return inflight
    lastAttemptAt = now()
    const attempt = load().then(
      (r): E.Either<AuthUnavailable, KeySet> => {
        inflight = undefined
        if (E.isRight(r)) {
          keys = r.right
          lastAttemptFailed = false
          return r
        }
        lastAttemptFailed = true
        logger.error(
          { openIdConfigUrl, err: new Error(r.left) },
          'notification signing keys unavailable: notifications are refused (503) until they can be fetched',
        )
        return E.left(authUnavailable('the signing keys of the OpenID metadata could not be fetched'))
      },
    )
    inflight = attempt
    return attempt
  }

  const keyFor = async (kid: string): Promise<E.Either<AuthFailure, KeyResolver>> => {
    if (inflight !== undefined) await inflight
    let current = keys
    if (current === undefined) {
      if (lastAttemptAt !== undefined && now() - lastAttemptAt < KEY_RETRY_AFTER_FAILURE_MS) {
        return E.left(authUnavailable('the signing keys could not be fetched recently; retrying shortly'))
      }
      const r = await refresh()
      if (E.isLeft(r)) return r
      current = r.right
    } else if (now() - current.fetchedAt >= KEY_MAX_AGE_MS && mayRefresh()) {
      // A failed refresh of old keys keeps them: they were fetched from the trusted source.
      const r = await refresh()
      if (E.isRight(r)) current = r.right
    }
    if (current.kids.has(kid)) return E.right(current.resolve)
    if (mayRefresh()) {
      const r = await refresh()
      if (E.isLeft(r)) return r
      return r.right.kids.has(kid) ? E.right(r.right.resolve) : E.left(unauthorized('unknown signing key id (kid)'))
    }
    return lastAttemptFailed
      ? E.left(authUnavailable('unknown signing key id (kid) and the signing keys could not be fetched recently'))
      : E.left(unauthorized('unknown signing key id (kid)'))
  }

  const mayRefresh = (): boolean => lastAttemptAt === undefined || now() - lastAttemptAt >= KEY_REFRESH_INTERVAL_MS

  return { keyFor }
}

const describeError = (err: unknown): string => {
  if (!(err instanceof Error)) return String(err)
  const cause: unknown = err.cause
  return cause instanceof Error ? `${err.message}: ${cause.message}` : err.message
}
