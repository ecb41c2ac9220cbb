import * as E from 'fp-ts/lib/Either.js'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createSimulator, SIMULATOR_APP_ID, SIMULATOR_ISSUER, SIMULATOR_TENANT_ID } from '../../src/simulator/index.js'
import type { Simulator } from '../../src/simulator/index.js'
import { postGraph, startCallbackServer } from './callbackServer.js'
import type { CallbackServer } from './callbackServer.js'

let sim: Simulator
let callback: CallbackServer

beforeAll(async () => {
  sim = await createSimulator({ seed: 3 })
  callback = await startCallbackServer()
})
afterAll(async () => {
  await sim.close()
  await callback.close()
})

const metadata = async (url: string): Promise<{ issuer: unknown; jwks_uri: unknown }> => {
  const body: unknown = await (await fetch(url)).json()
  return typeof body === 'object' && body !== null ? { issuer: Reflect.get(body, 'issuer'), jwks_uri: Reflect.get(body, 'jwks_uri') } : { issuer: undefined, jwks_uri: undefined }
}

const tokenOf = (authorization: string | undefined): string => {
  expect(authorization).toMatch(/^Bearer [\w-]+\.[\w-]+\.[\w-]+$/)
  return (authorization ?? '').slice('Bearer '.length)
}

test('every notification POST carries a JWT that verifies against the keys of the served OpenID metadata', async () => {
  const { issuer, jwks_uri } = await metadata(sim.openIdConfigUrl)
  expect(issuer).toBe(SIMULATOR_ISSUER)
  expect(jwks_uri).toBe(`${sim.url}/_sim/openid/keys`)
  const jwks = createRemoteJWKSet(new URL(String(jwks_uri)))

  const call = sim.createCall({ callbackUrl: callback.url, participants: [{ id: 'alice' }] })
  if (E.isLeft(call)) throw new Error(call.left.message)
  await postGraph(sim.graphUrl, `${call.right.callId}/participants/alice/startHoldMusic`, { clientContext: 'signed' })
  await sim.idle()
  expect(callback.received.length).toBeGreaterThanOrEqual(3) // established, completion, roster

  for (const r of callback.received) {
    const token = tokenOf(r.authorization)
    const { payload, protectedHeader } = await jwtVerify(token, jwks, { issuer: SIMULATOR_ISSUER, audience: SIMULATOR_APP_ID, algorithms: ['RS256'] })
    expect(protectedHeader.kid).toBeDefined()
    expect(payload['tid']).toBe(SIMULATOR_TENANT_ID)
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(600)
    expect(payload.nbf).toBe(payload.iat)
    expect(Math.abs((payload.iat ?? 0) - Date.now() / 1000)).toBeLessThan(30)
  }
})

test('a token checked for another audience or issuer is refused, so the checks above can fail', async () => {
  const jwks = createRemoteJWKSet(new URL(sim.jwksUrl))
  const token = tokenOf(callback.received[0]?.authorization)
  await expect(jwtVerify(token, jwks, { issuer: SIMULATOR_ISSUER, audience: 'someone-else' })).rejects.toThrow()
  await expect(jwtVerify(token, jwks, { issuer: 'https://graph.microsoft.com', audience: SIMULATOR_APP_ID })).rejects.toThrow()
})

test('the app id and tenant id options go into aud and tid, and each simulator has its own key', async () => {
  const other = await createSimulator({ seed: 4, appId: 'my-bot-app', tenantId: 'my-tenant' })
  const cb = await startCallbackServer()
  try {
    other.createCall({ callbackUrl: cb.url })
    await other.idle()
    const token = tokenOf(cb.received[0]?.authorization)
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(other.jwksUrl)), { issuer: SIMULATOR_ISSUER, audience: 'my-bot-app' })
    expect(payload['tid']).toBe('my-tenant')
    expect(decodeProtectedHeader(token).alg).toBe('RS256')
    // The first simulator's keys do not verify the second's tokens.
    await expect(jwtVerify(token, createRemoteJWKSet(new URL(sim.jwksUrl)), { audience: 'my-bot-app' })).rejects.toThrow()
  } finally {
    await other.close()
    await cb.close()
  }
})
