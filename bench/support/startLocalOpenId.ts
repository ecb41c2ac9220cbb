import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { exportJWK, generateKeyPair, SignJWT } from 'jose'

/** A local stand-in for Microsoft's OpenID metadata, with a token it signed. */
export interface LocalOpenId {
  readonly openIdConfigUrl: string
  readonly appId: string
  /** `Bearer <JWT>`: RS256, issuer api.botframework.com, audience appId, a tenant id, valid 1 hour. */
  readonly authorization: string
  readonly close: () => Promise<void>
}

/** Generates an RS256 key pair, serves its metadata and key set on 127.0.0.1, and signs one token. */
export const startLocalOpenId = async (): Promise<LocalOpenId> => {
  const appId = '00000000-0000-4000-8000-00000000b0b0'
  const kid = 'bench-key'
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const jwks = JSON.stringify({ keys: [{ ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }] })
  let base = ''
  const server = createServer((req, res) => {
    const body = req.url === '/keys' ? jwks : req.url === '/openid' ? JSON.stringify({ issuer: base, jwks_uri: `${base}/keys` }) : undefined
    if (body === undefined) res.writeHead(404).end()
    else res.writeHead(200, { 'content-type': 'application/json' }).end(body)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  const now = Math.floor(Date.now() / 1000)
  const token = await new SignJWT({ tid: '11111111-1111-4111-8111-111111111111' })
    .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
    .setIssuer('https://api.botframework.com')
    .setAudience(appId)
    .setIssuedAt(now)
    .setNotBefore(now)
    .setExpirationTime(now + 3600)
    .sign(privateKey)
  return {
    openIdConfigUrl: `${base}/openid`,
    appId,
    authorization: `Bearer ${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
