import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import type { SimCallView, Simulator, SimulatorFaults } from '../../src/simulator/index.js'
import { right } from '../support/either.js'
import { postGraph, startCallbackServer } from './callbackServer.js'
import type { CallbackServer } from './callbackServer.js'
import { serviceHosted, startWholeCallRig } from './wholeCallRig.js'
import type { WholeCallRig } from './wholeCallRig.js'

// Whole calls on the simulator, driven by callops's own Graph client: ringing, answer, reject,
// redirect, the answer deadline, outgoing calls, transfer, DELETE, tones, and their faults.

let sim: Simulator
let callback: CallbackServer
let graph: GraphClient
let rig: WholeCallRig

beforeAll(async () => {
  rig = await startWholeCallRig(11)
  ;({ sim, callback, graph } = rig)
})
afterAll(() => rig.close())

const media = serviceHosted
const agent = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi' } } }

const ring = (extra: Record<string, unknown> = {}): SimCallView =>
  right(sim.ring({ callbackUrl: callback.url, caller: { displayName: 'Customer', id: 'caller-1' }, ...extra }))

const established = (faults?: SimulatorFaults): SimCallView =>
  right(sim.createCall({ callbackUrl: callback.url, participants: [{ id: 'alice' }], ...(faults === undefined ? {} : { faults }) }))

/** The call notifications of `callId` (on the call itself, not operations or roster) as [changeType, resourceData]. */
const callNotices = (callId: string): [string, Record<string, unknown>][] =>
  callback
    .notifications()
    .filter((n) => n['resourceUrl'] === `/communications/calls/${callId}`)
    .map((n) => [String(n['changeType']), n['resourceData'] as Record<string, unknown>])

const states = (callId: string): string[] => callNotices(callId).map(([change, data]) => `${change}:${String(data['state'] ?? '-')}`)

const waitForStates = async (callId: string, count: number): Promise<string[]> => {
  await callback.waitFor(() => callNotices(callId).length >= count)
  await sim.idle()
  return states(callId)
}

const stateOf = (callId: string): string => right(sim.call(callId)).state

describe('a call that rings the bot', () => {
  test('posts a created notification in state incoming with the caller in source and the bot in targets, and waits', async () => {
    const call = ring()
    expect(call).toMatchObject({ state: 'incoming', direction: 'incoming', group: false, caller: { kind: 'user', id: 'caller-1', displayName: 'Customer' } })
    await callback.waitFor(() => callNotices(call.callId).length >= 1)
    const [[change, data]] = callNotices(call.callId) as [[string, Record<string, unknown>]]
    expect(change).toBe('created')
    expect(data).toMatchObject({
      '@odata.type': '#microsoft.graph.call',
      state: 'incoming',
      direction: 'incoming',
      source: { identity: { user: { id: 'caller-1', displayName: 'Customer' } } },
      targets: [{ identity: { application: { id: sim.appId } } }],
      myParticipantId: call.botParticipantId,
    })
    expect(stateOf(call.callId)).toBe('incoming')
  })

  test('a phone caller shows as identity.phone', async () => {
    const call = ring({ caller: { kind: 'phone', id: '+12345678901' } })
    await callback.waitFor(() => callNotices(call.callId).length >= 1)
    expect(callNotices(call.callId)[0]?.[1]).toMatchObject({ source: { identity: { phone: { id: '+12345678901' } } } })
  })

  test('answer: 202, then establishing → established and the roster with the caller', async () => {
    const call = ring()
    const r = right(await graph.answer(call.callId, { acceptedModalities: ['audio'], mediaConfig: media })())
    expect(r.status).toBe(202)
    expect(await waitForStates(call.callId, 3)).toEqual(['created:incoming', 'updated:establishing', 'updated:established'])
    expect(stateOf(call.callId)).toBe('established')
    const roster = callback.notifications().filter((n) => n['resourceUrl'] === `/communications/calls/${call.callId}/participants`)
    expect(JSON.stringify(roster.at(-1)?.['resourceData'])).toContain('Customer')
  })

  test('answer with a callbackUri on loopback moves the call’s notifications there', async () => {
    const other = await startCallbackServer()
    try {
      const call = ring()
      right(await graph.answer(call.callId, { acceptedModalities: ['audio'], mediaConfig: media, callbackUri: other.url })())
      await other.waitFor((ns) => ns.some((n) => (n['resourceData'] as Record<string, unknown>)['state'] === 'established'))
      expect(right(sim.call(call.callId)).callbackUrl).toBe(other.url)
    } finally {
      await other.close()
    }
  })

  test('hanging up a call still ringing ends it once: the deadline does not end it again', async () => {
    const call = ring({ answerDeadlineMs: 40 })
    right(await sim.hangUp(call.callId))
    await new Promise((r) => setTimeout(r, 80))
    await sim.idle()
    expect(states(call.callId).filter((x) => x === 'deleted:terminated')).toHaveLength(1)
  })

  test('answer is refused once the call is no longer incoming', async () => {
    const call = established()
    const e = await graph.answer(call.callId, { acceptedModalities: ['audio'], mediaConfig: media })()
    expect(E.isLeft(e) && e.left._tag === 'Http' && e.left.status).toBe(400)
  })

  test('an operation on a call not answered yet is refused', async () => {
    const call = ring()
    const res = await postGraph(sim.graphUrl, `${call.callId}/playPrompt`, { prompts: [{ mediaInfo: { uri: 'https://x/a.wav' } }] })
    expect(res.status).toBe(400)
  })

  test('reject: 202, then deleted with no state', async () => {
    const call = ring()
    right(await graph.reject(call.callId, { reason: 'busy' })())
    expect(await waitForStates(call.callId, 2)).toEqual(['created:incoming', 'deleted:-'])
    expect(stateOf(call.callId)).toBe('terminated')
  })

  test('redirect: 202, then deleted terminated', async () => {
    const call = ring()
    right(await graph.redirect(call.callId, { targets: [agent], timeout: 30 })())
    expect(await waitForStates(call.callId, 2)).toEqual(['created:incoming', 'deleted:terminated'])
  })

  test('the answer deadline passing ends the call terminated with 408/1106, and a late answer finds no call', async () => {
    const call = ring({ answerDeadlineMs: 30 })
    expect(await waitForStates(call.callId, 2)).toEqual(['created:incoming', 'deleted:terminated'])
    expect(callNotices(call.callId)[1]?.[1]['resultInfo']).toMatchObject({ code: 408, subcode: 1106 })
    const late = await graph.answer(call.callId, { acceptedModalities: ['audio'], mediaConfig: media })()
    expect(E.isLeft(late) && late.left._tag === 'Http' && late.left.status).toBe(404)
  })

  test('the deadline is 15 seconds unless configured', async () => {
    const call = ring()
    await new Promise((r) => setTimeout(r, 100))
    expect(stateOf(call.callId)).toBe('incoming')
  })
})

describe('an outgoing call', () => {
  test('POST /communications/calls: 201 establishing with the call id, then establishing → established and the roster', async () => {
    const r = right(await graph.createCall({ targets: [agent], requestedModalities: ['audio'], mediaConfig: media, callbackUri: callback.url })())
    expect(r).toMatchObject({ status: 201, state: 'establishing', location: `${sim.graphUrl}/communications/calls/${r.callId}` })
    expect(r.myParticipantId).toBe(right(sim.call(r.callId)).botParticipantId)
    expect(right(sim.call(r.callId))).toMatchObject({ direction: 'outgoing', participants: [expect.objectContaining({ displayName: 'Heidi' })] })
    expect(await waitForStates(r.callId, 2)).toEqual(['updated:establishing', 'updated:established'])
  })

  test('a callbackUri off loopback is refused', async () => {
    const e = await graph.createCall({ targets: [agent], mediaConfig: media, callbackUri: 'https://bot.contoso.com/callback' })()
    expect(E.isLeft(e) && e.left._tag === 'Http' && e.left.status).toBe(400)
  })
})

describe('transfer', () => {
  test('blind: transferring → transferAccepted → deleted terminated with 0/7015', async () => {
    const call = established()
    right(await graph.transfer(call.callId, { transferTarget: agent })())
    expect(await waitForStates(call.callId, 4)).toEqual(['updated:established', 'updated:transferring', 'updated:transferAccepted', 'deleted:terminated'])
    expect(callNotices(call.callId)[3]?.[1]['resultInfo']).toMatchObject({ code: 0, subcode: 7015 })
  })

  test('consultative: ends with terminationReason AppTransferred', async () => {
    const call = established()
    right(await graph.transfer(call.callId, { transferTarget: { ...agent, replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d' } })())
    await waitForStates(call.callId, 4)
    expect(callNotices(call.callId)[3]?.[1]).toMatchObject({ state: 'terminated', terminationReason: 'AppTransferred' })
  })

  test.each([
    ['blind', undefined, 7000],
    ['consultative', 'e5d39592-99bd-4db8-bca8-30fb894ec51d', 7700],
  ])('a failing %s transfer returns to established with resultInfo 500/%i spelled subCode', async (_, replacesCallId, subCode) => {
    const call = established({ transferFailRate: 1 })
    right(await graph.transfer(call.callId, { transferTarget: replacesCallId === undefined ? agent : { ...agent, replacesCallId } })())
    expect(await waitForStates(call.callId, 3)).toEqual(['updated:established', 'updated:transferring', 'updated:established'])
    expect(callNotices(call.callId)[2]?.[1]['resultInfo']).toEqual({ '@odata.type': '#microsoft.graph.resultInfo', code: 500, subCode, message: expect.any(String) })
    expect(stateOf(call.callId)).toBe('established')
  })

  test('is refused on a call still ringing', async () => {
    const call = ring()
    const e = await graph.transfer(call.callId, { transferTarget: agent })()
    expect(E.isLeft(e) && e.left._tag === 'Http' && e.left.status).toBe(400)
  })
})

describe('DELETE', () => {
  test('the call: 204, then terminating (updated) → terminated (deleted) with 200/5001; once more is 404', async () => {
    const call = established()
    expect(right(await graph.hangUp(call.callId)())).toMatchObject({ status: 204, alreadyEnded: false })
    expect(await waitForStates(call.callId, 3)).toEqual(['updated:established', 'updated:terminating', 'deleted:terminated'])
    expect(callNotices(call.callId)[2]?.[1]['resultInfo']).toMatchObject({ code: 200, subcode: 5001, message: 'The conversation has ended.' })
    expect(right(await graph.hangUp(call.callId)())).toMatchObject({ status: 404, alreadyEnded: true })
  })

  test('the call, with stringResultCodes: code and subcode as call-delete.md prints them', async () => {
    const call = established({ stringResultCodes: 1 })
    right(await graph.hangUp(call.callId)())
    await waitForStates(call.callId, 3)
    expect(callNotices(call.callId)[2]?.[1]['resultInfo']).toMatchObject({ code: '200', subcode: '5001' })
  })

  test('a participant: 204 and a roster update without them; an unknown one is 404', async () => {
    const call = established()
    right(await graph.removeParticipant(call.callId, 'alice')())
    expect(right(sim.call(call.callId)).participants).toEqual([])
    await callback.waitFor((ns) =>
      ns.some((n) => n['resourceUrl'] === `/communications/calls/${call.callId}/participants` && Array.isArray(n['resourceData']) && n['resourceData'].length === 1),
    )
    const again = await graph.removeParticipant(call.callId, 'alice')()
    expect(E.isLeft(again) && again.left._tag === 'Http' && again.left.status).toBe(404)
  })
})

describe('tones', () => {
  const subscribe = async (callId: string): Promise<void> => {
    expect((await postGraph(sim.graphUrl, `${callId}/subscribeToTone`, { clientContext: `tones-${callId}` })).status).toBe(200)
  }
  const tonesOf = (callId: string): unknown[] =>
    callNotices(callId).flatMap(([, data]) => (data['toneInfo'] === undefined ? [] : [data['toneInfo']]))

  test('are refused before subscribeToTone, then notified as updated call notifications with toneInfo in sequence', async () => {
    const call = established()
    expect(await sim.pressKeys(call.callId, ['tone1'])).toMatchObject({ _tag: 'Left', left: { _tag: 'Conflict' } })
    await subscribe(call.callId)
    expect(right(await sim.pressKeys(call.callId, ['tone1', 'pound']))).toEqual([{ sequenceId: 1, tone: 'tone1' }, { sequenceId: 2, tone: 'pound' }])
    expect(callNotices(call.callId).at(-1)?.[1]).toMatchObject({ state: 'established' })
    expect(tonesOf(call.callId)).toEqual([
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 1, tone: 'tone1' },
      { '@odata.type': '#microsoft.graph.toneInfo', sequenceId: 2, tone: 'pound' },
    ])
  })

  test('toneRepeatRate posts each tone twice; toneReorderRate swaps a tone with the next', async () => {
    const repeated = established({ toneRepeatRate: 1 })
    await subscribe(repeated.callId)
    right(await sim.pressKeys(repeated.callId, ['tone4', 'tone2']))
    expect(tonesOf(repeated.callId).map((x) => (x as { sequenceId: number }).sequenceId)).toEqual([1, 1, 2, 2])

    const reordered = established({ toneReorderRate: 1 })
    await subscribe(reordered.callId)
    right(await sim.pressKeys(reordered.callId, ['tone1', 'tone2', 'tone3']))
    expect(tonesOf(reordered.callId).map((x) => (x as { sequenceId: number }).sequenceId)).toEqual([2, 1, 3])
  })

  test('subscribeToTone fails with 500/9999 on a call answered with app-hosted media', async () => {
    const call = ring()
    right(await graph.answer(call.callId, { acceptedModalities: ['audio'], mediaConfig: { '@odata.type': '#microsoft.graph.appHostedMediaConfig', blob: '<blob>' } })())
    const res = await postGraph(sim.graphUrl, `${call.callId}/subscribeToTone`, { clientContext: 'tones-app-hosted' })
    expect(res.body).toMatchObject({ status: 'failed', resultInfo: { code: 500, subcode: 9999 } })
    expect(await sim.pressKeys(call.callId, ['tone1'])).toMatchObject({ _tag: 'Left', left: { _tag: 'Conflict' } })
  })

  test('the admin API presses keys too', async () => {
    const call = established()
    await subscribe(call.callId)
    const res = await fetch(`${sim.url}/_sim/calls/${call.callId}/tones`, { method: 'POST', body: JSON.stringify({ tones: ['star'] }) })
    expect(res.status).toBe(200)
    expect(await res.json()).toEqual([{ sequenceId: 1, tone: 'star' }])
    const bad = await fetch(`${sim.url}/_sim/calls/${call.callId}/tones`, { method: 'POST', body: JSON.stringify({ tones: ['1'] }) })
    expect(bad.status).toBe(400)
  })
})

describe('faults of whole calls', () => {
  test('establishedFirst: established is posted before establishing', async () => {
    const call = ring({ faults: { establishedFirst: 1 } })
    right(await graph.answer(call.callId, { acceptedModalities: ['audio'], mediaConfig: media })())
    expect(await waitForStates(call.callId, 3)).toEqual(['created:incoming', 'updated:established', 'updated:establishing'])
  })

  test('answerTooLate: the answer is accepted, then the call ends terminated with 408/1106', async () => {
    const call = ring({ faults: { answerTooLate: 1 } })
    right(await graph.answer(call.callId, { acceptedModalities: ['audio'], mediaConfig: media })())
    expect(await waitForStates(call.callId, 2)).toEqual(['created:incoming', 'deleted:terminated'])
    expect(callNotices(call.callId)[1]?.[1]['resultInfo']).toMatchObject({ code: 408, subcode: 1106 })
  })
})

describe('the admin API rings the bot', () => {
  test('POST /_sim/incoming answers 201 with the incoming call', async () => {
    const res = await fetch(`${sim.url}/_sim/incoming`, { method: 'POST', body: JSON.stringify({ callbackUrl: callback.url, caller: { displayName: 'Dana' } }) })
    expect(res.status).toBe(201)
    const view = (await res.json()) as SimCallView
    expect(view).toMatchObject({ state: 'incoming', direction: 'incoming', participants: [expect.objectContaining({ displayName: 'Dana' })] })
    const bad = await fetch(`${sim.url}/_sim/incoming`, { method: 'POST', body: JSON.stringify({ callbackUrl: 'https://example.com/cb' }) })
    expect(bad.status).toBe(400)
  })
})
