import { exportJWK, generateKeyPair, SignJWT } from 'jose'
import type { JWK } from 'jose'

/** Signs the simulator's notification POSTs the way Graph does: an RS256 JWT in `Authorization`. */
export interface NotificationSigner {
  /** The key id in every token's header and in the JWKS. */
  readonly kid: string
  /** The public key set served at `/_sim/openid/keys`. */
  readonly jwks: { readonly keys: readonly JWK[] }
  /** A fresh token (iat/nbf now, exp in 10 minutes). */
  readonly sign: () => Promise<string>
}

/** Who the tokens are for and from. */
export interface SignerClaims {
  readonly issuer: string
  readonly appId: string
  readonly tenantId: string
}

/**
 * Generates an RS256 key pair and returns a signer for it.
 *
 * @example
 * ```ts
 * const signer = await createNotificationSigner({ issuer: SIMULATOR_ISSUER, appId, tenantId })
 * headers.authorization = `Bearer ${await signer.sign()}`
 * ```
 */
export const createNotificationSigner = async (claims: SignerClaims, kid: string): Promise<NotificationSigner> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const jwk = await exportJWK(publicKey)
  return {
    kid,
    jwks: { keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] },
    sign: () => {
      const now = Math.floor(Date.now() / 1000)
      return new SignJWT({ tid: claims.tenantId })
        .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
        .setIssuer(claims.issuer)
        .setAudience(claims.appId)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + 600)
        .sign(privateKey)
    },
  }
}
