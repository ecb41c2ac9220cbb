import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createSimulator, isLoopbackUrl } from '../../src/simulator/index.js'
import type { Simulator } from '../../src/simulator/index.js'
import { postGraph, startCallbackServer } from './callbackServer.js'
import type { CallbackServer } from './callbackServer.js'

let sim: Simulator
let callback: CallbackServer

beforeAll(async () => {
  sim = await createSimulator({ seed: 5 })
  callback = await startCallbackServer()
})
afterAll(async () => {
  await sim.close()
  await callback.close()
})

const admin = async (method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const res = await fetch(`${sim.url}/_sim/${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  })
  const parsed: unknown = await res.json()
  return { status: res.status, body: typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {} }
}

describe('the admin API over HTTP', () => {
  test('creates a call, shows it, joins and removes participants, lists holds and hangs up', async () => {
    const created = await admin('POST', 'calls', { callId: 'call-1', callbackUrl: callback.url, participants: [{ id: 'alice', displayName: 'Alice' }, {}] })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({ callId: 'call-1', state: 'established', group: true })
    expect(created.body['participants']).toEqual([
      { id: 'alice', displayName: 'Alice', isMuted: false, onHold: false },
      expect.objectContaining({ displayName: 'Participant 2' }),
    ])
    expect((await admin('POST', 'calls', { callId: 'call-1', callbackUrl: callback.url })).status).toBe(409)

    const joined = await admin('POST', 'calls/call-1/participants', { id: 'bob' })
    expect(joined).toEqual({ status: 201, body: { id: 'bob', displayName: 'Participant 3', isMuted: false, onHold: false } })

    await postGraph(sim.graphUrl, 'call-1/participants/bob/startHoldMusic', {})
    await sim.idle()
    const holds = await fetch(`${sim.url}/_sim/calls/call-1/holds`).then((r) => r.json() as Promise<unknown>)
    expect(holds).toEqual([{ participantId: 'bob', start: expect.any(Number) }])

    expect((await admin('DELETE', 'calls/call-1/participants/bob')).status).toBe(200)
    expect((await admin('DELETE', 'calls/call-1/participants/bob')).status).toBe(404)
    const shown = await admin('GET', 'calls/call-1')
    expect((shown.body['participants'] as unknown[]).length).toBe(2)
    expect(shown.body['holds']).toEqual([{ participantId: 'bob', start: expect.any(Number), end: expect.any(Number) }])

    const hungUp = await admin('DELETE', 'calls/call-1')
    expect(hungUp.status).toBe(200)
    expect(hungUp.body['state']).toBe('terminated')
    expect(callback.notifications().some((n) => n['resourceUrl'] === '/communications/calls/call-1' && n['changeType'] === 'deleted')).toBe(true)
    expect((await admin('GET', 'calls/call-1')).body['state']).toBe('terminated')
    expect((await admin('GET', 'calls/nope')).status).toBe(404)
  })

  test('refuses malformed bodies with 400', async () => {
    expect((await admin('POST', 'calls', { participants: [] })).status).toBe(400)
    expect((await admin('POST', 'calls', { callbackUrl: callback.url, callId: '../etc' })).status).toBe(400)
    expect((await admin('POST', 'calls', { callbackUrl: callback.url, faults: { dropRate: 2 } })).status).toBe(400)
  })

  test('changes faults for the simulator and for one call', async () => {
    const call = sim.createCall({ callbackUrl: callback.url, callId: 'faulty' })
    expect(E.isRight(call)).toBe(true)
    const perCall = await admin('PATCH', 'calls/faulty/faults', { throttleRate: 1, retryAfterSeconds: 0 })
    expect(perCall.body).toMatchObject({ throttleRate: 1, retryAfterSeconds: 0 })
    const throttled = await postGraph(sim.graphUrl, 'faulty/mute', {})
    expect(throttled.status).toBe(429)
    expect(throttled.headers.get('retry-after')).toBe('0')
    expect((await admin('PATCH', 'faults', { failRate: 0 })).status).toBe(200)
    expect((await admin('PATCH', 'faults', { failRate: -1 })).status).toBe(400)
  })

  test('counts requests by action and status, and notifications', async () => {
    const stats = await admin('GET', 'stats')
    expect(stats.status).toBe(200)
    expect(stats.body['requests']).toMatchObject({ startHoldMusic: { '202': 1 }, mute: { '429': 1 } })
    expect(stats.body['throttled']).toBe(1)
    expect(stats.body['notifications']).toMatchObject({ sent: expect.any(Number), dropped: 0, duplicated: 0 })
    expect(sim.stats().calls.created).toBeGreaterThanOrEqual(2)
  })
})

describe('nothing is ever sent outside loopback', () => {
  const refused = [
    'https://bot.contoso.com/api/calls',
    'http://10.0.0.1/callback',
    'http://[::2]/callback',
    'http://127.0.0.1.nip.io/callback',
    'http://user:secret@127.0.0.1/callback',
    'ftp://127.0.0.1/callback',
    'file:///etc/passwd',
    'not a url',
  ]
  const accepted = ['http://127.0.0.1:9/a', 'https://127.200.3.4/b', 'http://localhost:8080/c', 'http://[::1]:3000/d']

  test.each(refused.map((u) => [u]))('refuses the callback %s in-process and over HTTP', async (callbackUrl) => {
    expect(isLoopbackUrl(callbackUrl)).toBe(false)
    const call = sim.createCall({ callbackUrl })
    expect(E.isLeft(call) && call.left._tag).toBe('InvalidRequest')
    const res = await admin('POST', 'calls', { callbackUrl })
    expect(res.status).toBe(400)
    expect(JSON.stringify(res.body)).toContain('loopback')
  })

  test('accepts 127.0.0.0/8, localhost and [::1]', () => {
    for (const u of accepted) expect(isLoopbackUrl(u)).toBe(true)
  })
})
