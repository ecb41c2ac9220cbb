// The simulator's calls as the live view reads them (`simulator.viewSource`): no bot, requests sent as HTTP.
import { afterEach, expect, test } from 'vitest'
import * as E from 'fp-ts/lib/Either.js'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'
import type { OrchestratorEvent } from '../../src/index.js'
import { startCallbackServer, type CallbackServer } from './callbackServer.js'

let sim: Simulator | undefined
let callback: CallbackServer | undefined
afterEach(async () => {
  await sim?.close()
  await callback?.close()
})

const start = async (latencyMs: number) => {
  sim = await createSimulator({ seed: 3, faults: { notificationLatencyMs: [latencyMs, latencyMs] } })
  callback = await startCallbackServer()
  const events: OrchestratorEvent[] = []
  const off = sim.viewSource.subscribe((e) => events.push(e))
  return { s: sim, cb: callback, events, off }
}

const act = (s: Simulator, callId: string, path: string, clientContext: string) =>
  fetch(`${s.graphUrl}/communications/calls/${callId}/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer any' },
    body: JSON.stringify({ clientContext }),
  })

test('a refused request and an operation cut short by the hang-up settle as callops would report them', async () => {
  const { s, cb, events } = await start(60_000)
  const created = s.createCall({ callbackUrl: cb.url, group: false, participants: [{ displayName: 'Alice' }] })
  if (E.isLeft(created)) throw new Error(created.left.message)
  const { callId } = created.right
  const alice = created.right.participants[0]?.id ?? ''
  expect(s.viewSource.getCall(callId)).toMatchObject({ state: 'established.hold.free', kind: 'peerToPeer', holdPolicy: 'reject', holdQueue: [] })

  expect((await act(s, callId, 'unmute', 'unmute-1')).status).toBe(400)
  const refused = events.find((e) => e.type === 'settled' && e.clientContext === 'unmute-1')
  expect(refused?.type === 'settled' && E.isLeft(refused.result) && refused.result.left).toMatchObject({ _tag: 'Http', status: 400 })

  expect((await act(s, callId, `participants/${alice}/startHoldMusic`, 'hold-1')).status).toBe(202)
  expect(s.viewSource.getCall(callId)?.operations).toMatchObject([{ clientContext: 'hold-1', action: 'startHoldMusic', state: 'running' }])
  // The hold's completion stays a minute away; the hang-up's own notification leaves at once.
  s.setFaults({ notificationLatencyMs: [0, 0] }, callId)
  await s.hangUp(callId)
  const cut = events.find((e) => e.type === 'settled' && e.clientContext === 'hold-1')
  expect(cut?.type === 'settled' && E.isLeft(cut.result) && cut.result.left._tag).toBe('CallEnded')
  expect(events.at(-1)).toMatchObject({ type: 'transition', callId, event: 'call.terminated', state: 'terminated' })
  expect(s.viewSource.getCall(callId)?.state).toBe('terminated')
  expect(s.viewSource.getCall('no-such-call')).toBeUndefined()
})

test('a hold the single-hold rule refuses is a HoldConflict naming who holds the slot; stats count the simulator’s calls', async () => {
  const { s, cb, events, off } = await start(0)
  const created = s.createCall({ callbackUrl: cb.url, participants: [{ displayName: 'Alice' }, { displayName: 'Bob' }] })
  if (E.isLeft(created)) throw new Error(created.left.message)
  const { callId } = created.right
  const [alice, bob] = created.right.participants.map((p) => p.id)
  const settledOf = async (cc: string) => {
    await expect.poll(() => events.some((e) => e.type === 'settled' && e.clientContext === cc)).toBe(true)
    const e = events.find((x) => x.type === 'settled' && x.clientContext === cc)
    return e?.type === 'settled' ? e.result : undefined
  }
  await act(s, callId, `participants/${alice ?? ''}/startHoldMusic`, 'hold-a')
  expect(E.isRight((await settledOf('hold-a')) ?? E.left(0))).toBe(true)
  expect(s.viewSource.getCall(callId)).toMatchObject({ state: 'established.hold.held', hold: { participantId: alice, phase: 'held' } })
  await act(s, callId, `participants/${bob ?? ''}/startHoldMusic`, 'hold-b')
  const r = await settledOf('hold-b')
  expect(r !== undefined && E.isLeft(r) && r.left).toMatchObject({ _tag: 'HoldConflict', participantId: bob, heldBy: alice })
  expect(s.viewSource.stats()).toMatchObject({ calls: 1, pendingOperations: 0 })
  off()
  const seen = events.length
  await act(s, callId, `participants/${alice ?? ''}/stopHoldMusic`, 'release-a')
  expect(events.length).toBe(seen)
})
