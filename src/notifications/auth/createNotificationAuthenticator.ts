import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { decodeProtectedHeader, errors, jwtVerify } from 'jose'
import { type Logger, silentLogger } from '../../logging/Logger.js'
import { type AuthFailure, forbidden, unauthorized } from './AuthFailure.js'
import { checkAuthorizationHeader } from './checkAuthorizationHeader.js'
import { createSigningKeyCache } from './createSigningKeyCache.js'
import { createVerifiedTokenCache } from './createVerifiedTokenCache.js'
import { optionsOrThrow } from '../../codecs/options/decodeOptions.js'
import { DEFAULT_ISSUERS, DEFAULT_OPENID_CONFIG_URL, NotificationAuthOptions } from './NotificationAuthOptions.js'

export { DEFAULT_ISSUERS, DEFAULT_OPENID_CONFIG_URL } from './NotificationAuthOptions.js'
export type { NotificationAuthOptions } from './NotificationAuthOptions.js'

/** What a valid notification token says about its sender. */
export interface AuthClaims {
  /** The `tid` claim: the tenant the notification belongs to. */
  readonly tenantId: string
  /** The `iss` claim. */
  readonly issuer: string
  /** The audience that matched: the configured app id. */
  readonly appId: string
  /** The `kid` of the key that signed the token. */
  readonly keyId: string
  /** The `exp` claim, in epoch milliseconds. */
  readonly expiresAt: number
}

/** Checks notification tokens. */
export interface NotificationAuthenticator {
  /**
   * Checks an `Authorization` header value. Resolves to the token's claims, or to an
   * {@link AuthFailure} whose `status` is the HTTP answer (401, 403 or 503). Never rejects.
   */
  authenticate(authorizationHeader: string | undefined): Promise<E.Either<AuthFailure, AuthClaims>>
}

/** Injected effects: the clock (epoch ms) and the logger. */
export interface NotificationAuthDeps {
  readonly now?: () => number
  readonly logger?: Logger
}

/** RSA signatures only: refuses `none`, HMAC (the public-key-as-secret confusion) and anything unexpected. */
const ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256']

// Distinct valid tokens remembered: Graph reuses one token for many notifications, so a few are live at once.
const VERIFIED_TOKENS_KEPT = 1_000

const ProtectedHeader = t.intersection([t.type({ alg: t.string }), t.partial({ kid: t.string })])
const NonEmptyString = t.refinement(t.string, (s) => s.length > 0, 'NonEmptyString')
const VerifiedClaims = t.intersection([t.type({ iss: t.string, exp: t.number }), t.partial({ nbf: t.number })])
// The raw `tid` claim; the C# samples read it as the long claim type their JWT handler maps `tid` to,
// and accept that long name as well, so both spellings are read.
const TenantClaim = t.union([
  t.type({ tid: NonEmptyString }),
  t.type({ 'http://schemas.microsoft.com/identity/claims/tenantid': NonEmptyString }),
])

/**
 * Creates the authenticator of inbound Graph notifications: it verifies the bearer JWT against the
 * signing keys of the OpenID metadata (fetched on first use, cached, refreshed on an unknown `kid`
 * at most once a minute), its issuer, audience (= appId), expiry and tenant. When the keys cannot
 * be fetched it fails closed with 503. Bad options throw a `TypeError` at once.
 *
 * @param options - what to accept; see {@link NotificationAuthOptions}.
 * @param deps - the clock and logger; defaults `Date.now` and a silent logger.
 * @example
 * ```ts
 * const auth = createNotificationAuthenticator({ appId: process.env.APP_ID!, tenantIds: [tenantId] }, { logger })
 * const r = await auth.authenticate(req.headers.authorization)
 * if (E.isLeft(r)) return res.writeHead(r.left.status).end()
 * ```
 */
export const createNotificationAuthenticator = (
  options: NotificationAuthOptions,
  deps: NotificationAuthDeps = {},
): NotificationAuthenticator => {
  const settings = validate(options)
  const now = deps.now ?? Date.now
  const logger = deps.logger ?? silentLogger
  const keys = createSigningKeyCache({
    openIdConfigUrl: settings.openIdConfigUrl,
    fetch: settings.fetch,
    fetchTimeoutMs: settings.fetchTimeoutMs,
    now,
    logger,
  })
  const verifiedTokens = createVerifiedTokenCache<AuthClaims>({ maxEntries: VERIFIED_TOKENS_KEPT, clockToleranceSec: settings.clockToleranceSec })

  // The same token again, within its exp/nbf window, signed by a key of the same key set: what a fresh
  // verification would accept. The key lookup is the one a fresh verification makes, so a refreshed
  // key set (a key rotated or withdrawn) sends the token through a fresh verification again.
  const verify = async (authorizationHeader: string | undefined): Promise<E.Either<AuthFailure, AuthClaims>> => {
    const token = checkAuthorizationHeader(authorizationHeader)
    if (typeof token !== 'string') return E.left(token)
    const hit = verifiedTokens.get(token, now())
    if (hit === undefined) return verifyFresh(token)
    const resolver = await keys.keyFor(hit.value.keyId)
    if (E.isLeft(resolver)) return resolver
    if (resolver.right === hit.keys) return E.right(hit.value)
    verifiedTokens.delete(token)
    return verifyFresh(token)
  }

  const verifyFresh = async (token: string): Promise<E.Either<AuthFailure, AuthClaims>> => {
    let rawHeader: unknown
    try {
      rawHeader = decodeProtectedHeader(token)
    } catch {
      return E.left(unauthorized('malformed token header'))
    }
    const header = ProtectedHeader.decode(rawHeader)
    if (E.isLeft(header)) return E.left(unauthorized('malformed token header'))
    const { alg, kid } = header.right
    // Checked before any key is fetched, so garbage tokens cannot make us call the metadata server.
    if (!ALGORITHMS.includes(alg)) return E.left(unauthorized(`algorithm ${JSON.stringify(alg.slice(0, 16))} is not allowed`))
    if (kid === undefined) return E.left(unauthorized('token has no key id (kid)'))

    const resolver = await keys.keyFor(kid)
    if (E.isLeft(resolver)) return resolver

    let payload: unknown
    try {
      const verified = await jwtVerify(token, resolver.right, {
        algorithms: ALGORITHMS,
        issuer: [...settings.issuers],
        audience: settings.appId,
        clockTolerance: settings.clockToleranceSec,
        currentDate: new Date(now()),
        requiredClaims: ['exp'],
      })
      payload = verified.payload
    } catch (err) {
      return E.left(unauthorized(refusalReason(err)))
    }

    const claims = VerifiedClaims.decode(payload)
    if (E.isLeft(claims)) return E.left(unauthorized('token claims malformed'))
    const tenant = TenantClaim.decode(payload)
    if (E.isLeft(tenant)) return E.left(unauthorized('token has no tenant id claim (tid)'))
    const tenantId = 'tid' in tenant.right ? tenant.right.tid : tenant.right['http://schemas.microsoft.com/identity/claims/tenantid']
    if (settings.tenantIds !== undefined && !settings.tenantIds.has(tenantId.toLowerCase())) {
      return E.left(forbidden(`tenant ${tenantId.slice(0, 64)} is not accepted`))
    }
    const verified: AuthClaims = { tenantId, issuer: claims.right.iss, appId: settings.appId, keyId: kid, expiresAt: claims.right.exp * 1000 }
    const { exp, nbf } = claims.right
    verifiedTokens.set(token, { value: verified, keys: resolver.right, exp, ...(nbf === undefined ? {} : { nbf }) })
    return E.right(verified)
  }

  const authenticate = async (authorizationHeader: string | undefined): Promise<E.Either<AuthFailure, AuthClaims>> => {
    let r: E.Either<AuthFailure, AuthClaims>
    try {
      r = await verify(authorizationHeader)
    } catch (err) {
      // Not expected; refuse rather than throw. The error is jose's or ours, never the token.
      logger.warn({ err }, 'notification token check failed unexpectedly')
      r = E.left(unauthorized('token could not be verified'))
    }
    if (E.isLeft(r)) {
      const { _tag, status, reason } = r.left
      // 401s are what anyone on the internet can cause: debug, so they cannot flood the logs.
      if (status === 401) logger.debug({ _tag, status, reason }, 'notification refused')
      else logger.warn({ _tag, status, reason }, 'notification refused')
    }
    return r
  }

  return { authenticate }
}

const refusalReason = (err: unknown): string => {
  if (err instanceof errors.JWTExpired) return 'token expired'
  if (err instanceof errors.JWTClaimValidationFailed) {
    if (err.claim === 'nbf') return 'token not yet valid (nbf)'
    if (err.claim === 'iss') return 'wrong issuer'
    if (err.claim === 'aud') return 'wrong audience'
    return `invalid ${JSON.stringify(err.claim)} claim: ${err.reason}`
  }
  if (err instanceof errors.JWSSignatureVerificationFailed) return 'bad signature'
  if (err instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed'
  if (err instanceof errors.JWKSNoMatchingKey || err instanceof errors.JWKSMultipleMatchingKeys) return 'no usable key for this token'
  if (err instanceof errors.JWSInvalid || err instanceof errors.JWTInvalid) return 'malformed token'
  return 'token could not be verified'
}

interface Settings {
  readonly appId: string
  readonly tenantIds: ReadonlySet<string> | undefined
  readonly openIdConfigUrl: string
  readonly issuers: readonly string[]
  readonly clockToleranceSec: number
  readonly fetchTimeoutMs: number
  readonly fetch: typeof fetch
}

const validate = (options: NotificationAuthOptions): Settings => {
  const o = optionsOrThrow(NotificationAuthOptions, options)
  const issuers = o.issuers ?? DEFAULT_ISSUERS
  return {
    appId: o.appId,
    tenantIds: o.tenantIds === undefined ? undefined : new Set(o.tenantIds.map((id) => id.toLowerCase())),
    openIdConfigUrl: o.openIdConfigUrl ?? DEFAULT_OPENID_CONFIG_URL,
    issuers: [...issuers],
    clockToleranceSec: o.clockToleranceSec ?? 300,
    fetchTimeoutMs: o.fetchTimeoutMs ?? 5000,
    fetch: o.fetch ?? globalThis.fetch,
  }
}
