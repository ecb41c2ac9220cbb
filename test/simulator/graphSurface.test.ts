import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { CommsNotifications, decode, GraphErrorBody, operationCodecs } from '../../src/codecs/index.js'
import { actionCatalog, actionNames } from '../../src/graph/actionCatalog.js'
import type { ActionName } from '../../src/graph/actionCatalog.js'
import { createSimulator } from '../../src/simulator/index.js'
import type { Simulator, SimulatorFaults } from '../../src/simulator/index.js'
import { completions, postGraph, startCallbackServer } from './callbackServer.js'
import type { CallbackServer } from './callbackServer.js'

const prompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.contoso.com/a.wav' } }
const validBodies: Partial<Record<ActionName, Record<string, unknown>>> = {
  startHoldMusic: { customPrompt: prompt },
  playPrompt: { prompts: [prompt] },
  recordResponse: { prompts: [prompt], maxRecordDurationInSeconds: 10, playBeep: true },
  sendDtmfTones: { tones: ['tone1', 'pound'], delayBetweenTonesMs: 100 },
  updateRecordingStatus: { status: 'recording' },
  inviteParticipants: { participants: [{ identity: { user: { id: 'invitee-user', displayName: 'Invitee' } } }] },
}
const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

let sim: Simulator
let callback: CallbackServer

beforeAll(async () => {
  sim = await createSimulator({ seed: 1 })
  callback = await startCallbackServer()
})
afterAll(async () => {
  await sim.close()
  await callback.close()
})

const newCall = (group = true, faults: SimulatorFaults = {}): string => {
  const call = sim.createCall({ callbackUrl: callback.url, group, participants: [{ id: 'alice' }, { id: 'bob' }], faults })
  if (E.isLeft(call)) throw new Error(call.left.message)
  return call.right.callId
}

const pathOf = (callId: string, action: ActionName, participantId = 'alice'): string => {
  const spec = actionCatalog[action]
  return spec.scope === 'call' ? `${callId}/${spec.segment}` : `${callId}/participants/${participantId}/${spec.segment}`
}

describe('every action of the catalog is answered as the docs show', () => {
  test.each(actionNames.map((a) => [a]))('%s', async (action) => {
    const spec = actionCatalog[action]
    const callId = newCall()
    const clientContext = `cc-${action}-${callId}`
    const res = await postGraph(sim.graphUrl, pathOf(callId, action), { ...validBodies[action], clientContext })

    expect(res.status).toBe(spec.documentedAnswer.status)
    expect(res.body['@odata.type']).toBe(`#microsoft.graph.${spec.operationType}`)
    expect(res.body['id']).toMatch(guid)
    expect(res.body['status']).toBe(spec.documentedAnswer.final ? 'completed' : 'running')
    expect(res.body['clientContext']).toBe(clientContext)
    expect(res.headers.get('location')).toBe(`${sim.graphUrl}/communications/calls/${callId}/operations/${String(res.body['id'])}`)
    expect(E.isRight(decode(operationCodecs[spec.operationType], res.body))).toBe(true)

    if (!spec.documentedAnswer.final) {
      const all = await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === clientContext))
      const notification = all.find((n) => completions([n]).some((c) => c['clientContext'] === clientContext))
      expect(notification?.['resourceUrl']).toBe(`communications/calls/${callId}/operations/${String(res.body['id'])}`)
      const data = completions([notification ?? {}])[0] ?? {}
      expect(data['@odata.type']).toBe(`#microsoft.graph.${spec.operationType}`)
      expect(data['id']).toBe(res.body['id'])
      expect(['completed', 'failed']).toContain(data['status'])
      expect(E.isRight(decode(operationCodecs[spec.operationType], data))).toBe(true)
    }
  })

  test('every notification POST decodes with the CommsNotifications codec', async () => {
    await sim.idle()
    expect(callback.received.length).toBeGreaterThan(actionNames.length)
    for (const r of callback.received) expect(decode(CommsNotifications, r.body)).toEqual(expect.objectContaining({ _tag: 'Right' }))
  })
})

describe('completions carry what each subtype documents', () => {
  test('recordResponse gives a loopback recordingLocation that serves audio, and an access token', async () => {
    const callId = newCall()
    const res = await postGraph(sim.graphUrl, pathOf(callId, 'recordResponse'), { clientContext: 'rec-1' })
    const all = await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === 'rec-1'))
    const data = completions(all).find((c) => c['clientContext'] === 'rec-1') ?? {}
    expect(data['id']).toBe(res.body['id'])
    expect(data['status']).toBe('completed')
    expect(typeof data['recordingAccessToken']).toBe('string')
    const location = String(data['recordingLocation'])
    expect(location.startsWith(`${sim.url}/`)).toBe(true)
    const audio = await fetch(location)
    expect(audio.status).toBe(200)
    expect(audio.headers.get('content-type')).toBe('audio/wav')
  })

  test('sendDtmfTones completes with completionReason completedSuccessfully', async () => {
    const callId = newCall()
    await postGraph(sim.graphUrl, pathOf(callId, 'sendDtmfTones'), { tones: ['tone5'], clientContext: 'dtmf-1' })
    const all = await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === 'dtmf-1'))
    expect(completions(all).find((c) => c['clientContext'] === 'dtmf-1')?.['completionReason']).toBe('completedSuccessfully')
  })

  test('an invite completes with the real operation id, and the invitee joins the roster', async () => {
    const callId = newCall()
    const res = await postGraph(sim.graphUrl, pathOf(callId, 'inviteParticipants'), {
      participants: [{ identity: { user: { id: 'u-carol', displayName: 'Carol' } }, participantId: 'carol' }],
      clientContext: 'invite-1',
    })
    const all = await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === 'invite-1'))
    const data = completions(all).find((c) => c['clientContext'] === 'invite-1') ?? {}
    expect(data['id']).toBe(res.body['id'])
    expect(data['participants']).toEqual([{ identity: { user: { id: 'u-carol', displayName: 'Carol' } }, participantId: 'carol' }])
    const view = sim.call(callId)
    expect(E.isRight(view) && view.right.participants.map((p) => p.id)).toEqual(['alice', 'bob', 'carol'])
  })

  test('cancelMediaProcessing fails the pending playPrompt with resultInfo 400/8508', async () => {
    // A long latency keeps the prompt pending until it is cancelled; the cancel itself has none.
    const callId = newCall(true, { notificationLatencyMs: [60_000, 60_000] })
    await postGraph(sim.graphUrl, pathOf(callId, 'playPrompt'), { prompts: [prompt], clientContext: 'play-cancelled' })
    sim.setFaults({ notificationLatencyMs: [0, 0] }, callId)
    const cancel = await postGraph(sim.graphUrl, pathOf(callId, 'cancelMediaProcessing'), { clientContext: 'cancel-1' })
    expect(cancel.body['status']).toBe('completed')
    const all = await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === 'play-cancelled'))
    const data = completions(all).find((c) => c['clientContext'] === 'play-cancelled') ?? {}
    expect(data['status']).toBe('failed')
    expect(data['resultInfo']).toMatchObject({ code: 400, subcode: 8508 })
    const view = sim.call(callId)
    expect(E.isRight(view) && view.right.pendingOperations).toEqual([])
  })
})

describe('refusals are Graph-style error bodies', () => {
  const expectGraphError = (body: Record<string, unknown>, clientRequestId?: string): void => {
    const decoded = decode(GraphErrorBody, body)
    expect(E.isRight(decoded)).toBe(true)
    if (E.isLeft(decoded)) return
    expect(decoded.right.error.innerError?.['request-id']).toMatch(guid)
    expect(Number.isNaN(Date.parse(decoded.right.error.innerError?.date ?? ''))).toBe(false)
    if (clientRequestId !== undefined) expect(decoded.right.error.innerError?.['client-request-id']).toBe(clientRequestId)
  }

  test('a clientContext of 257 characters is refused with 400 and the client-request-id echoed', async () => {
    const callId = newCall()
    const res = await postGraph(sim.graphUrl, pathOf(callId, 'startHoldMusic'), { clientContext: 'x'.repeat(257) }, { 'client-request-id': 'crid-257' })
    expect(res.status).toBe(400)
    expectGraphError(res.body, 'crid-257')
    expect(JSON.stringify(res.body)).toContain('clientContext')
    expect(res.headers.get('client-request-id')).toBe('crid-257')
    const ok = await postGraph(sim.graphUrl, pathOf(callId, 'startHoldMusic'), { clientContext: 'x'.repeat(256) })
    expect(ok.status).toBe(202)
  })

  test('playPrompt with no prompt or with 21 prompts is refused with 400', async () => {
    const callId = newCall()
    expect((await postGraph(sim.graphUrl, pathOf(callId, 'playPrompt'), { prompts: [] })).status).toBe(400)
    expect((await postGraph(sim.graphUrl, pathOf(callId, 'playPrompt'), { prompts: Array(21).fill(prompt) })).status).toBe(400)
    expect((await postGraph(sim.graphUrl, pathOf(callId, 'playPrompt'), { prompts: Array(20).fill(prompt) })).status).toBe(200)
  })

  test('a body that is not JSON, or of the wrong shape, is refused with 400', async () => {
    const callId = newCall()
    const notJson = await postGraph(sim.graphUrl, pathOf(callId, 'stopHoldMusic'), '{"clientContext":')
    expect(notJson.status).toBe(400)
    expectGraphError(notJson.body)
    const wrong = await postGraph(sim.graphUrl, pathOf(callId, 'sendDtmfTones'), { tones: ['tone42'] })
    expect(wrong.status).toBe(400)
    expectGraphError(wrong.body)
  })

  test('an unknown call or participant is 404', async () => {
    const callId = newCall()
    const noCall = await postGraph(sim.graphUrl, pathOf('no-such-call', 'unmute'), {})
    expect(noCall.status).toBe(404)
    expectGraphError(noCall.body)
    const noParticipant = await postGraph(sim.graphUrl, pathOf(callId, 'startHoldMusic', 'mallory'), {})
    expect(noParticipant.status).toBe(404)
    expectGraphError(noParticipant.body)
  })

  test('a request without a bearer token is 401; an unknown action is 400; a GET is 405', async () => {
    const callId = newCall()
    const res = await fetch(`${sim.graphUrl}/communications/calls/${callId}/unmute`, { method: 'POST', body: '{}' })
    expect(res.status).toBe(401)
    expect((await postGraph(sim.graphUrl, `${callId}/frobnicate`, {})).status).toBe(400)
    const get = await fetch(`${sim.graphUrl}/communications/calls/${callId}/unmute`, { headers: { authorization: 'Bearer x' } })
    expect(get.status).toBe(405)
  })

  test('unmute in a one-to-one call is refused with 400; mute is allowed there', async () => {
    const callId = newCall(false)
    const res = await postGraph(sim.graphUrl, pathOf(callId, 'unmute'), { clientContext: 'unmute-1to1' })
    expect(res.status).toBe(400)
    expectGraphError(res.body)
    expect((await postGraph(sim.graphUrl, pathOf(callId, 'mute'), {})).status).toBe(200)
  })
})

describe('keepAlive and request records', () => {
  test('keepAlive answers 200 on a live call and 404 once it has ended', async () => {
    const callId = newCall()
    expect((await postGraph(sim.graphUrl, `${callId}/keepAlive`, {})).status).toBe(200)
    await sim.hangUp(callId)
    expect((await postGraph(sim.graphUrl, `${callId}/keepAlive`, {})).status).toBe(404)
    expect((await postGraph(sim.graphUrl, pathOf(callId, 'unmute'), {})).status).toBe(404)
  })

  test('the client-request-id of each request is recorded with its action and status', async () => {
    const callId = newCall()
    await postGraph(sim.graphUrl, pathOf(callId, 'stopHoldMusic', 'bob'), {}, { 'client-request-id': 'crid-stop-bob' })
    const record = sim.requests().find((r) => r.clientRequestId === 'crid-stop-bob')
    expect(record).toMatchObject({ action: 'stopHoldMusic', callId, participantId: 'bob', status: 202, method: 'POST' })
    expect(sim.stats().requests['stopHoldMusic']?.['202']).toBeGreaterThan(0)
  })
})
