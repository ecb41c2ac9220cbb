import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { base64url, decodeProtectedHeader, generateKeyPair, SignJWT } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/index.js'
import { createSimulator, SIMULATOR_ISSUER, type Simulator } from '../../src/simulator/index.js'
import { batch, terminated } from '../support/notifications.js'
import { capturingLogger, type CapturingLogger } from './capturingLogger.js'

/** The bot's callback: the orchestrator's webhook, noting the answer to every POST. */
interface Callback {
  readonly url: string
  readonly answered: { status: number; authorization: string | undefined }[]
  close(): Promise<void>
}

const serveCallback = async (orchestrator: CallOrchestrator): Promise<Callback> => {
  const answered: Callback['answered'] = []
  const server = http.createServer((req, res) => {
    const authorization = req.headers.authorization
    res.on('finish', () => answered.push({ status: res.statusCode, authorization }))
    orchestrator.webhook(req, res)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/callback`,
    answered,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const postTo = async (url: string, body: string, headers: Record<string, string>): Promise<number> => {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body })
  await res.arrayBuffer()
  return res.status
}

let sim: Simulator
let log: CapturingLogger
let orchestrator: CallOrchestrator
let callback: Callback
let callId: string

beforeAll(async () => {
  sim = await createSimulator({ seed: 11 })
  log = capturingLogger()
  orchestrator = createCallOrchestrator({
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'graph-token' },
    notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl, tenantIds: [sim.tenantId] },
    logger: log.logger,
  })
  callback = await serveCallback(orchestrator)
  const call = sim.createCall({ callbackUrl: callback.url, participants: [{ id: 'alice' }, { id: 'bob' }] })
  if (E.isLeft(call)) throw new Error(call.left.message)
  callId = call.right.callId
})
afterAll(async () => {
  await orchestrator.close()
  await callback.close()
  await sim.close()
})

/** The newest token of the simulator that was accepted (tokens are valid for 10 minutes). */
const capturedToken = (): string => {
  const auth = callback.answered.filter((a) => a.status === 202).at(-1)?.authorization ?? ''
  expect(auth).toMatch(/^Bearer /)
  return auth.slice('Bearer '.length)
}

describe('an orchestrator with notificationAuth, end to end against the simulator', () => {
  it('accepts the signed notifications of the simulator (202) and follows the call by them', async () => {
    const held = await orchestrator.startHoldMusic({ callId, participantId: 'alice' })
    expect(E.isRight(held) && held.right.status).toBe('completed')
    await sim.idle()
    expect(callback.answered.length).toBeGreaterThanOrEqual(2)
    expect(callback.answered.every((a) => a.status === 202 && a.authorization?.startsWith('Bearer ') === true)).toBe(true)
    expect(orchestrator.getCall(callId)?.hold).toEqual({ participantId: 'alice', phase: 'held' })
  })

  it('refuses unsigned and forged POSTs with 401, and the call is unchanged', async () => {
    const token = capturedToken()
    const { kid } = decodeProtectedHeader(token)
    const [, payload] = token.split('.')
    const claims = { tid: sim.tenantId }
    const stranger = await generateKeyPair('RS256')
    const signed = (key: Parameters<SignJWT['sign']>[0], alg: string) =>
      new SignJWT(claims)
        .setProtectedHeader({ alg, kid: kid ?? '' })
        .setIssuer(SIMULATOR_ISSUER)
        .setAudience(sim.appId)
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(key)
    const jwks = (await (await fetch(sim.jwksUrl)).json()) as { keys: { n: string }[] }
    const forged: readonly (readonly [string, Record<string, string>])[] = [
      ['no Authorization header', {}],
      ['an empty bearer', { authorization: 'Bearer ' }],
      ['another scheme', { authorization: `Basic ${token}` }],
      ['garbage', { authorization: 'Bearer not.a.token' }],
      ['alg none', { authorization: `Bearer ${base64url.encode(JSON.stringify({ alg: 'none', kid }))}.${payload}.` }],
      ['the right kid, signed by another key', { authorization: `Bearer ${await signed(stranger.privateKey, 'RS256')}` }],
      ['HS256 keyed with the public key', { authorization: `Bearer ${await signed(new TextEncoder().encode(jwks.keys[0]?.n ?? ''), 'HS256')}` }],
      ['a valid token with its signature cut', { authorization: `Bearer ${token.slice(0, token.lastIndexOf('.') + 1)}` }],
      ['a valid token with its payload swapped', { authorization: `Bearer ${token.split('.')[0]}.${base64url.encode(JSON.stringify({ ...claims, aud: sim.appId, iss: SIMULATOR_ISSUER, exp: 4_000_000_000 }))}.${token.split('.')[2]}` }],
    ]
    const before = JSON.stringify([orchestrator.getCall(callId), orchestrator.stats()])
    const hangUp = JSON.stringify(batch(terminated(callId)))
    for (const [what, headers] of forged) {
      expect(await postTo(callback.url, hangUp, headers), what).toBe(401)
      // Nor does an unauthenticated sender learn anything about how bodies are checked.
      expect(await postTo(callback.url, '{"value": [', headers), `${what}, broken JSON`).toBe(401)
    }
    expect(JSON.stringify([orchestrator.getCall(callId), orchestrator.stats()])).toBe(before)
    // 401s are what anyone can cause: they are logged at debug level only.
    expect(log.entries.filter((e) => e.level !== 'debug' && e.msg === 'notification refused')).toEqual([])
  })

  it('refuses a valid token of another tenant with 403', async () => {
    const other = createCallOrchestrator({
      graph: { baseUrl: sim.graphUrl, getToken: async () => 'graph-token' },
      notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl, tenantIds: ['00000000-0000-4000-8000-000000000000'] },
    })
    const r = await other.handleNotification(JSON.stringify(batch(terminated(callId))), { 'content-type': 'application/json', authorization: `Bearer ${capturedToken()}` })
    expect(r.status).toBe(403)
    await other.close()
  })

  it('fails closed with 503 when the OpenID metadata cannot be fetched', async () => {
    const closed = http.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const { port } = closed.address() as AddressInfo
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const other = createCallOrchestrator({
      graph: { baseUrl: sim.graphUrl, getToken: async () => 'graph-token' },
      notificationAuth: { appId: sim.appId, openIdConfigUrl: `http://127.0.0.1:${port}/.well-known/openid-configuration`, fetchTimeoutMs: 2_000 },
    })
    const body = JSON.stringify(batch(terminated(callId)))
    const r = await other.handleNotification(body, { 'content-type': 'application/json', authorization: `Bearer ${capturedToken()}` })
    expect(r.status).toBe(503)
    await other.close()
  })

  it('applies any body that comes with a valid token: the token proves the sender, not the body', async () => {
    // Graph's tokens do not sign the body. A token that leaks (a proxy's log, say) lets its holder
    // post anything until it expires; this is why tokens must never be logged.
    const status = await postTo(callback.url, JSON.stringify(batch(terminated(callId))), { authorization: `Bearer ${capturedToken()}` })
    expect(status).toBe(202)
    expect(orchestrator.getCall(callId)?.state).toBe('terminated')
  })
})

describe('turning authentication off', () => {
  it('is explicit: without notificationAuth the orchestrator is not created', () => {
    expect(() => createCallOrchestrator({ graph: { baseUrl: sim.graphUrl, getToken: async () => 't' } } as never)).toThrow(/notificationAuth/)
  })

  it('logs a warning at start when it is false', async () => {
    const warned = capturingLogger()
    const off = createCallOrchestrator({ graph: { baseUrl: sim.graphUrl, getToken: async () => 't' }, notificationAuth: false, logger: warned.logger })
    expect(warned.entries.filter((e) => e.level === 'warn').map((e) => e.msg)).toEqual([expect.stringMatching(/authentication is OFF/)])
    await off.close()
  })
})
