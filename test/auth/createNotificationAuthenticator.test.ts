import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import { type CryptoKey, exportJWK, exportSPKI, generateKeyPair, importJWK, type JWTPayload, SignJWT } from 'jose'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { Logger } from '../../src/logging/Logger.js'
import {
  type AuthClaims,
  type AuthFailure,
  createNotificationAuthenticator,
  type NotificationAuthOptions,
} from '../../src/notifications/auth/index.js'
import { type OpenIdServer, startOpenIdServer } from './openIdServer.js'

const APP_ID = '3b2a8c0e-5f8e-4a39-9a3b-1c2d3e4f5a6b'
const TENANT = '0f1e2d3c-4b5a-4697-8877-665544332211'
const OTHER_TENANT = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee'
const ISSUER = 'https://graph.microsoft.com'
const T0 = Date.UTC(2025, 5, 1, 12, 0, 0)
const sec = (ms: number): number => Math.floor(ms / 1000)

interface SigningKey {
  readonly kid: string
  readonly privateKey: CryptoKey
  readonly publicJwk: object
  readonly spki: string
}

const makeKey = async (kid: string): Promise<SigningKey> => {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  return { kid, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, use: 'sig' }, spki: await exportSPKI(publicKey) }
}

let key1: SigningKey
let key2: SigningKey
let stranger: SigningKey // never published

beforeAll(async () => {
  ;[key1, key2, stranger] = await Promise.all([makeKey('key-1'), makeKey('key-2'), makeKey('key-1')])
})

interface LogEntry {
  readonly level: 'debug' | 'info' | 'warn' | 'error'
  readonly obj: Record<string, unknown>
  readonly msg: string | undefined
}

const capturingLogger = (): { logger: Logger; entries: LogEntry[] } => {
  const entries: LogEntry[] = []
  const at = (level: LogEntry['level']) => (obj: Record<string, unknown>, msg?: string) => {
    entries.push({ level, obj, msg })
  }
  return { logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }, entries }
}

// Serialises Errors too (JSON.stringify drops their message and stack).
const serialise = (entries: readonly LogEntry[]): string =>
  JSON.stringify(entries, (_k, v: unknown) =>
    v instanceof Error ? { name: v.name, message: v.message, stack: v.stack, cause: v.cause } : v,
  )

let server: OpenIdServer
let clock: number
let log: ReturnType<typeof capturingLogger>

beforeEach(async () => {
  server = await startOpenIdServer({ keys: [key1.publicJwk] })
  clock = T0
  log = capturingLogger()
})

afterEach(async () => {
  await server.close()
})

const authenticator = (options: Partial<NotificationAuthOptions> = {}) =>
  createNotificationAuthenticator(
    { appId: APP_ID, openIdConfigUrl: server.metadataUrl, ...options },
    { now: () => clock, logger: log.logger },
  )

const claims = (overrides: JWTPayload = {}): JWTPayload => ({
  iss: ISSUER,
  aud: APP_ID,
  tid: TENANT,
  iat: sec(clock),
  nbf: sec(clock) - 60,
  exp: sec(clock) + 3600,
  ...overrides,
})

// WebCrypto keys are bound to one algorithm: RSA-PSS signing needs the private key imported as such.
const sign = async (payload: JWTPayload, key: SigningKey = key1, alg = 'RS256'): Promise<string> => {
  const privateKey = alg === 'RS256' ? key.privateKey : await importJWK(await exportJWK(key.privateKey), alg)
  return new SignJWT(payload).setProtectedHeader({ alg, kid: key.kid, typ: 'JWT' }).sign(privateKey)
}

const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url')

const expectAccepted = (r: E.Either<AuthFailure, AuthClaims>): AuthClaims => {
  if (E.isLeft(r)) throw new Error(`expected the token to be accepted, got ${r.left._tag}: ${r.left.reason}`)
  return r.right
}

const expectRefused = (r: E.Either<AuthFailure, AuthClaims>, status: 401 | 403 | 503): AuthFailure => {
  if (E.isRight(r)) throw new Error(`expected a ${status} refusal, but the token was accepted`)
  expect(r.left.status).toBe(status)
  return r.left
}

describe('a valid notification token', () => {
  it('is accepted and its tenant, issuer, app id and key id are returned', async () => {
    const r = await authenticator().authenticate(`Bearer ${await sign(claims())}`)
    expect(expectAccepted(r)).toEqual({ tenantId: TENANT, issuer: ISSUER, appId: APP_ID, keyId: 'key-1', expiresAt: (sec(T0) + 3600) * 1000 })
  })

  it('is accepted from either default issuer, with any case of the Bearer scheme', async () => {
    const auth = authenticator()
    expectAccepted(await auth.authenticate(`bearer ${await sign(claims({ iss: 'https://api.botframework.com' }))}`))
    expectAccepted(await auth.authenticate(`BEARER ${await sign(claims())}`))
  })

  it('is accepted when it expired less than the clock tolerance ago', async () => {
    const token = await sign(claims({ exp: sec(T0) - 200 }))
    expectAccepted(await authenticator().authenticate(`Bearer ${token}`))
  })

  it('is accepted when signed with PS256 by a published key', async () => {
    const token = await sign(claims(), key1, 'PS256')
    expectAccepted(await authenticator().authenticate(`Bearer ${token}`))
  })

  it('fetches the metadata and the key set once for many requests, and once for concurrent first requests', async () => {
    const auth = authenticator()
    const token = await sign(claims())
    const first = await Promise.all(Array.from({ length: 10 }, () => auth.authenticate(`Bearer ${token}`)))
    first.forEach(expectAccepted)
    for (let i = 0; i < 5; i++) expectAccepted(await auth.authenticate(`Bearer ${token}`))
    expect(server.counts).toEqual({ metadata: 1, jwks: 1 })
  })
})

describe('refused with 401', () => {
  it('a missing or empty Authorization header', async () => {
    const auth = authenticator()
    expect(expectRefused(await auth.authenticate(undefined), 401).reason).toMatch(/missing/)
    expectRefused(await auth.authenticate(''), 401)
    expectRefused(await auth.authenticate('   '), 401)
  })

  it('a header that is not a Bearer token', async () => {
    const token = await sign(claims())
    const auth = authenticator()
    for (const header of [`Basic ${token}`, token, `Bearer`, `Bearer ${token} extra`, `Bearer: ${token}`]) {
      expectRefused(await auth.authenticate(header), 401)
    }
  })

  it('a malformed token', async () => {
    const auth = authenticator()
    const valid = await sign(claims())
    const [, payload = '', signature = ''] = valid.split('.')
    for (const token of ['abc', 'a.b', 'a.b.c.d', `!!!.${payload}.${signature}`, `${b64url('not an object')}.${payload}.${signature}`, `e30.${payload}.${signature}`]) {
      expectRefused(await auth.authenticate(`Bearer ${token}`), 401)
    }
    // Nothing that fails before the signature check makes a request for keys.
    expect(server.counts).toEqual({ metadata: 0, jwks: 0 })
  })

  it('a token whose payload or signature was tampered with', async () => {
    const [header = '', , signature = ''] = (await sign(claims())).split('.')
    const forged = `${header}.${b64url(claims({ tid: OTHER_TENANT }))}.${signature}`
    expect(expectRefused(await authenticator().authenticate(`Bearer ${forged}`), 401).reason).toMatch(/signature/)
  })

  it('a token signed by an unpublished key that claims a published kid', async () => {
    const token = await sign(claims(), stranger) // stranger.kid === key1.kid
    expect(expectRefused(await authenticator().authenticate(`Bearer ${token}`), 401).reason).toMatch(/signature/)
  })

  it('a token expired beyond the clock tolerance', async () => {
    const token = await sign(claims({ exp: sec(T0) - 301 }))
    expect(expectRefused(await authenticator().authenticate(`Bearer ${token}`), 401).reason).toMatch(/expired/)
    // With a smaller tolerance a more recent expiry is refused too.
    const recent = await sign(claims({ exp: sec(T0) - 20 }))
    expectRefused(await authenticator({ clockToleranceSec: 10 }).authenticate(`Bearer ${recent}`), 401)
  })

  it('a token that becomes expired as the clock moves on', async () => {
    const auth = authenticator()
    const token = await sign(claims({ exp: sec(T0) + 60 }))
    expectAccepted(await auth.authenticate(`Bearer ${token}`))
    clock = T0 + (60 + 301) * 1000
    expect(expectRefused(await auth.authenticate(`Bearer ${token}`), 401).reason).toMatch(/expired/)
  })

  it('a token without an expiry', async () => {
    const { exp: _exp, ...noExp } = claims()
    expectRefused(await authenticator().authenticate(`Bearer ${await sign(noExp)}`), 401)
  })

  it('a token not yet valid beyond the clock tolerance', async () => {
    const token = await sign(claims({ nbf: sec(T0) + 600 }))
    expect(expectRefused(await authenticator().authenticate(`Bearer ${token}`), 401).reason).toMatch(/not yet valid/)
  })

  it('a token for another audience', async () => {
    const token = await sign(claims({ aud: 'another-app' }))
    expect(expectRefused(await authenticator().authenticate(`Bearer ${token}`), 401).reason).toMatch(/audience/)
    const noAud = claims()
    delete noAud.aud
    expectRefused(await authenticator().authenticate(`Bearer ${await sign(noAud)}`), 401)
  })

  it('a token from another issuer, and one without an issuer', async () => {
    const token = await sign(claims({ iss: 'https://login.microsoftonline.com/evil/v2.0' }))
    expect(expectRefused(await authenticator().authenticate(`Bearer ${token}`), 401).reason).toMatch(/issuer/)
    const noIss = claims()
    delete noIss.iss
    expectRefused(await authenticator().authenticate(`Bearer ${await sign(noIss)}`), 401)
    // Configured issuers replace the defaults.
    const graph = await sign(claims())
    expectRefused(await authenticator({ issuers: ['https://sovereign.example'] }).authenticate(`Bearer ${graph}`), 401)
  })

  it('a token without a tenant id claim, or with an empty one', async () => {
    const noTid = claims()
    delete noTid.tid
    expect(expectRefused(await authenticator().authenticate(`Bearer ${await sign(noTid)}`), 401).reason).toMatch(/tenant/)
    expectRefused(await authenticator().authenticate(`Bearer ${await sign(claims({ tid: '' }))}`), 401)
    expectRefused(await authenticator().authenticate(`Bearer ${await sign(claims({ tid: 42 }))}`), 401)
  })

  it('an unsigned token (alg none), without fetching any key', async () => {
    const token = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claims())}.`
    const auth = authenticator()
    expect(expectRefused(await auth.authenticate(`Bearer ${token}`), 401).reason).toMatch(/"none" is not allowed/)
    // The same with a kid of a published key and a junk signature.
    const withKid = `${b64url({ alg: 'none', kid: 'key-1' })}.${b64url(claims())}.${b64url('x')}`
    expectRefused(await auth.authenticate(`Bearer ${withKid}`), 401)
    expect(server.counts).toEqual({ metadata: 0, jwks: 0 })
  })

  it('an HS256 token whose secret is the published RSA public key', async () => {
    const auth = authenticator()
    for (const secret of [new TextEncoder().encode(key1.spki), new TextEncoder().encode(JSON.stringify(key1.publicJwk))]) {
      const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'HS256', kid: 'key-1' }).sign(secret)
      expect(expectRefused(await auth.authenticate(`Bearer ${token}`), 401).reason).toMatch(/HS256/)
    }
  })

  it('a token signed with an RSA algorithm outside the allowed list', async () => {
    // PS512 is a valid RSA signature with a published key, but not one Microsoft uses.
    const token = await sign(claims(), key1, 'PS512')
    expectRefused(await authenticator().authenticate(`Bearer ${token}`), 401)
  })

  it('a token without a kid', async () => {
    const token = await new SignJWT(claims()).setProtectedHeader({ alg: 'RS256' }).sign(key1.privateKey)
    expect(expectRefused(await authenticator().authenticate(`Bearer ${token}`), 401).reason).toMatch(/kid/)
  })
})

describe('an unknown kid', () => {
  it('refreshes the keys once, then is 401; a second unknown kid within a minute fetches nothing', async () => {
    const auth = authenticator()
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`))
    expect(server.counts).toEqual({ metadata: 1, jwks: 1 })
    clock += 60_000

    const unknown = await sign(claims(), key2) // key-2 is not published
    expect(expectRefused(await auth.authenticate(`Bearer ${unknown}`), 401).reason).toMatch(/unknown signing key/)
    expect(server.counts).toEqual({ metadata: 2, jwks: 2 })

    clock += 59_000
    const otherUnknown = await sign(claims(), { ...key2, kid: 'key-3' })
    expectRefused(await auth.authenticate(`Bearer ${otherUnknown}`), 401)
    expectRefused(await auth.authenticate(`Bearer ${unknown}`), 401)
    expect(server.counts).toEqual({ metadata: 2, jwks: 2 })

    // A minute after the last refresh, an unknown kid may refresh again.
    clock += 1_000
    expectRefused(await auth.authenticate(`Bearer ${otherUnknown}`), 401)
    expect(server.counts).toEqual({ metadata: 3, jwks: 3 })
  })

  it('concurrent unknown kids share one refresh', async () => {
    const auth = authenticator()
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`))
    clock += 120_000
    const tokens = await Promise.all(['a', 'b', 'c', 'd'].map((kid) => sign(claims(), { ...key2, kid })))
    const rs = await Promise.all(tokens.map((t) => auth.authenticate(`Bearer ${t}`)))
    rs.forEach((r) => expectRefused(r, 401))
    expect(server.counts).toEqual({ metadata: 2, jwks: 2 })
  })
})

describe('key rotation', () => {
  it('accepts a token of a newly published key after the refresh, and refuses a withdrawn key', async () => {
    const auth = authenticator()
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`))

    server.setJwks({ keys: [key2.publicJwk] })
    clock += 5 * 60_000
    const rotated = await sign(claims(), key2)
    const r = expectAccepted(await auth.authenticate(`Bearer ${rotated}`))
    expect(r.keyId).toBe('key-2')
    expect(server.counts.jwks).toBe(2)

    // key-1 is gone from the refreshed set, and the refresh limit keeps it from being fetched again.
    expectRefused(await auth.authenticate(`Bearer ${await sign(claims(), key1)}`), 401)
    expect(server.counts.jwks).toBe(2)
  })

  it('fetches keys older than a day again, and keeps using them if that fetch fails', async () => {
    const auth = authenticator()
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`))
    clock += 24 * 60 * 60_000
    server.setMode('status500')
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`))
    expect(server.counts.metadata).toBe(2)
    server.setMode('ok')
    server.setJwks({ keys: [key2.publicJwk] })
    clock += 60_000
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims(), key2)}`))
    // The day-old key-1 was dropped by the successful refresh.
    expectRefused(await auth.authenticate(`Bearer ${await sign(claims(), key1)}`), 401)
  })
})

const withoutNbf = (overrides: JWTPayload): JWTPayload => {
  const { nbf: _nbf, ...rest } = claims(overrides)
  return rest
}

describe('the same token again (verified tokens are remembered)', () => {
  it('is refused once it expired, by the controlled clock, though it was accepted before', async () => {
    const auth = authenticator()
    const token = await sign(claims({ exp: sec(T0) + 60 }))
    for (let i = 0; i < 3; i++) expectAccepted(await auth.authenticate(`Bearer ${token}`))
    clock = T0 + (60 + 300) * 1000 - 1
    expectAccepted(await auth.authenticate(`Bearer ${token}`))
    clock += 1
    expect(expectRefused(await auth.authenticate(`Bearer ${token}`), 401).reason).toBe('token expired')
  })

  it('does not confuse a token never verified with one that was: a forged signature on the same header and claims is refused', async () => {
    const auth = authenticator()
    const token = await sign(claims())
    expectAccepted(await auth.authenticate(`Bearer ${token}`))
    const [head, body, signature = ''] = token.split('.')
    const forged = `${head ?? ''}.${body ?? ''}.${signature.slice(0, -4)}${signature.slice(-4) === 'AAAA' ? 'BBBB' : 'AAAA'}`
    expect(expectRefused(await auth.authenticate(`Bearer ${forged}`), 401).reason).toBe('bad signature')
    expectRefused(await auth.authenticate(`Bearer ${token}x`), 401)
    expectRefused(await auth.authenticate(`Bearer ${token.slice(0, -1)}`), 401)
    // Signed by an unpublished key under the same kid, with the same claims: a different token.
    expect(expectRefused(await auth.authenticate(`Bearer ${await sign(claims(), stranger)}`), 401).reason).toBe('bad signature')
    expectAccepted(await auth.authenticate(`Bearer ${token}`))
  })

  it('is refused once its key is withdrawn from the key set, as soon as a fresh verification would refuse it', async () => {
    const auth = authenticator()
    const old = await sign(claims())
    expectAccepted(await auth.authenticate(`Bearer ${old}`))
    server.setJwks({ keys: [key2.publicJwk] })
    clock += 61_000
    // Until the keys are fetched again, a token of key-1 never seen before is accepted too.
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims({ jti: 'never seen' }))}`))
    expectAccepted(await auth.authenticate(`Bearer ${old}`))
    // A token of the new key makes the authenticator fetch the keys: key-1 is gone.
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims(), key2)}`))
    expect(expectRefused(await auth.authenticate(`Bearer ${old}`), 401).reason).toBe('unknown signing key id (kid)')
  })

  it('is verified again when its kid is published with another key: the old signature no longer holds', async () => {
    const auth = authenticator()
    const old = await sign(claims())
    expectAccepted(await auth.authenticate(`Bearer ${old}`))
    server.setJwks({ keys: [stranger.publicJwk, key2.publicJwk] })
    clock += 61_000
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims(), key2)}`))
    expect(expectRefused(await auth.authenticate(`Bearer ${old}`), 401).reason).toBe('bad signature')
  })

  it('refuses, at any time, every token a fresh verification refuses at that time, and accepts the others', async () => {
    // Tokens signed once (RSA is slow); then the clock wanders over their windows.
    const offsets = [-400, -301, -299, -1, 0, 1, 60, 299, 301, 400]
    const tokens = await Promise.all(
      offsets.flatMap((exp) => [undefined, -301, 0, 299, 301].map((nbf) => sign(nbf === undefined ? withoutNbf({ exp: sec(T0) + exp }) : claims({ exp: sec(T0) + exp, nbf: sec(T0) + nbf })))),
    )
    const remembering = authenticator()
    const fresh = (at: number) => createNotificationAuthenticator({ appId: APP_ID, openIdConfigUrl: server.metadataUrl }, { now: () => at })
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(tokens.length - 1), fc.integer({ min: -800_000, max: 800_000 })), { minLength: 1, maxLength: 6 }), async (steps) => {
        for (const [i, offsetMs] of steps) {
          const token = tokens[i] ?? ''
          clock = T0 + offsetMs
          const expected = await fresh(clock).authenticate(`Bearer ${token}`)
          const got = await remembering.authenticate(`Bearer ${token}`)
          expect(E.isRight(got)).toBe(E.isRight(expected))
        }
      }),
      { numRuns: 60 },
    )
  })
})

describe('a metadata or key set outage fails closed with 503', () => {
  const outages: ReadonlyArray<readonly [string, (s: OpenIdServer) => void]> = [
    ['the metadata answers 500', (s) => s.setMode('status500')],
    ['the metadata is not JSON', (s) => s.setMode('badJson')],
    ['the metadata has no jwks_uri', (s) => s.setMode('noJwksUri')],
    ['the key set is not a key set', (s) => s.setJwks({ keys: 'nope' } as unknown as { keys: object[] })],
    ['the key set is empty', (s) => s.setJwks({ keys: [] })],
  ]

  for (const [name, breakIt] of outages) {
    it(`when ${name}`, async () => {
      breakIt(server)
      const token = await sign(claims())
      const failure = expectRefused(await authenticator().authenticate(`Bearer ${token}`), 503)
      expect(failure._tag).toBe('AuthUnavailable')
      const errors = log.entries.filter((e) => e.level === 'error')
      expect(errors).toHaveLength(1)
      expect(errors[0]?.obj.openIdConfigUrl).toBe(server.metadataUrl)
      expect(errors[0]?.obj.err).toBeInstanceOf(Error)
      expect(errors[0]?.msg).toMatch(/signing keys unavailable/)
    })
  }

  it('when the metadata server is down, and recovers when it is back', async () => {
    const url = server.metadataUrl
    await server.close()
    const auth = createNotificationAuthenticator({ appId: APP_ID, openIdConfigUrl: url }, { now: () => clock, logger: log.logger })
    const token = await sign(claims())
    expectRefused(await auth.authenticate(`Bearer ${token}`), 503)
    const err = log.entries.find((e) => e.level === 'error')
    expect(String((err?.obj.err as Error).message)).toMatch(/ECONNREFUSED/)
    // Within 5 s no new attempt is made; still 503, never accepted.
    expectRefused(await auth.authenticate(`Bearer ${token}`), 503)
    expect(log.entries.filter((e) => e.level === 'error')).toHaveLength(1)
  })

  it('until the keys can be fetched again', async () => {
    server.setMode('status500')
    const auth = authenticator()
    const token = await sign(claims())
    expectRefused(await auth.authenticate(`Bearer ${token}`), 503)
    server.setMode('ok')
    clock += 4_000
    expectRefused(await auth.authenticate(`Bearer ${token}`), 503)
    expect(server.counts.metadata).toBe(1)
    clock += 1_000
    expectAccepted(await auth.authenticate(`Bearer ${token}`))
    expect(server.counts.metadata).toBe(2)
  })

  it('for an unknown kid while keys are cached, while tokens of cached keys still pass', async () => {
    const auth = authenticator()
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`))
    server.setMode('status500')
    clock += 60_000
    const unknown = await sign(claims(), key2)
    expectRefused(await auth.authenticate(`Bearer ${unknown}`), 503)
    expectRefused(await auth.authenticate(`Bearer ${unknown}`), 503)
    expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`))
  })

  it('when the metadata server does not answer within fetchTimeoutMs', async () => {
    server.setMode('hang')
    const started = performance.now()
    const r = await authenticator({ fetchTimeoutMs: 200 }).authenticate(`Bearer ${await sign(claims())}`)
    expectRefused(r, 503)
    expect(performance.now() - started).toBeLessThan(5_000)
  })

  it('when the injected fetch throws', async () => {
    const fetch = (() => {
      throw new Error('no network')
    }) as typeof globalThis.fetch
    expectRefused(await authenticator({ fetch }).authenticate(`Bearer ${await sign(claims())}`), 503)
  })

  it('when the jwks_uri is plain http to a non-loopback host', async () => {
    // The fake provider is on loopback; point jwks_uri elsewhere through a custom fetch answering the metadata.
    const fetch = (async (input: string | URL | Request) =>
      String(input) === server.metadataUrl
        ? new Response(JSON.stringify({ jwks_uri: 'http://keys.example/keys' }), { status: 200 })
        : new Response('{}', { status: 404 })) as typeof globalThis.fetch
    expectRefused(await authenticator({ fetch }).authenticate(`Bearer ${await sign(claims())}`), 503)
    expect(String((log.entries.find((e) => e.level === 'error')?.obj.err as Error).message)).toMatch(/not https/)
  })
})

describe('tenants', () => {
  it('a valid token of a tenant outside tenantIds is 403', async () => {
    const auth = authenticator({ tenantIds: [TENANT] })
    const r = expectRefused(await auth.authenticate(`Bearer ${await sign(claims({ tid: OTHER_TENANT }))}`), 403)
    expect(r._tag).toBe('Forbidden')
  })

  it('a token of a listed tenant is accepted, whatever the case of the configured id', async () => {
    const auth = authenticator({ tenantIds: [OTHER_TENANT, TENANT.toUpperCase()] })
    expect(expectAccepted(await auth.authenticate(`Bearer ${await sign(claims())}`)).tenantId).toBe(TENANT)
  })

  it('an invalid token of a listed tenant is still 401, not 403', async () => {
    const auth = authenticator({ tenantIds: [TENANT] })
    expectRefused(await auth.authenticate(`Bearer ${await sign(claims({ aud: 'x' }))}`), 401)
  })
})

describe('secrets in logs', () => {
  it('no token, nor any part of one, appears in anything logged, at any level', async () => {
    const auth = authenticator({ tenantIds: [TENANT] })
    const tokens = [
      await sign(claims()),
      await sign(claims({ exp: sec(T0) - 1000 })),
      await sign(claims({ aud: 'x' })),
      await sign(claims({ tid: OTHER_TENANT })),
      await sign(claims(), key2),
      await sign(claims(), stranger),
      `${b64url({ alg: 'none' })}.${b64url(claims())}.`,
    ]
    for (const t of tokens) await auth.authenticate(`Bearer ${t}`)
    await auth.authenticate(`Basic ${tokens[0] ?? ''}`)
    server.setMode('status500')
    clock += 120_000
    await auth.authenticate(`Bearer ${tokens[4] ?? ''}`)

    const levels = new Set(log.entries.map((e) => e.level))
    expect(levels).toEqual(new Set(['debug', 'info', 'warn', 'error']))
    const text = serialise(log.entries)
    for (const t of tokens) {
      for (const part of t.split('.').filter((p) => p.length > 0)) expect(text).not.toContain(part)
    }
  })
})

describe('options', () => {
  it('are checked at creation with a clear message', () => {
    const make = (o: unknown) => () => createNotificationAuthenticator(o as NotificationAuthOptions)
    expect(make({})).toThrow(/`appId` is required/)
    expect(make({ appId: '  ' })).toThrow(/`appId` is required/)
    expect(make({ appId: APP_ID, tenantIds: [] })).toThrow(/`tenantIds` is empty/)
    expect(make({ appId: APP_ID, tenantIds: [''] })).toThrow(/`tenantIds`/)
    expect(make({ appId: APP_ID, openIdConfigUrl: 'not a url' })).toThrow(/`openIdConfigUrl` is not a URL/)
    expect(make({ appId: APP_ID, openIdConfigUrl: 'http://login.example/.well-known' })).toThrow(/https/)
    expect(make({ appId: APP_ID, issuers: [] })).toThrow(/`issuers`/)
    expect(make({ appId: APP_ID, clockToleranceSec: -1 })).toThrow(/`clockToleranceSec`/)
    expect(make({ appId: APP_ID, clockToleranceSec: Number.NaN })).toThrow(/`clockToleranceSec`/)
    expect(make({ appId: APP_ID, fetchTimeoutMs: 0 })).toThrow(/`fetchTimeoutMs`/)
    expect(make({ appId: APP_ID, fetch: 'yes' })).toThrow(/`fetch`/)
    expect(make({ appId: APP_ID })).not.toThrow()
  })
})
