// The hold-policies guide (docs/guides/hold-policies.md), played against the simulator.
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator, type HoldPolicy } from '../../src/index.js'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'

let sim: Simulator
let orchestrator: CallOrchestrator
let server: http.Server
let callbackUrl: string

beforeAll(async () => {
  sim = await createSimulator({ seed: 5 })
  orchestrator = createCallOrchestrator({
    graph: { baseUrl: sim.graphUrl, getToken: async () => 't' },
    notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
  })
  server = http.createServer(orchestrator.webhook)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`
})
afterAll(async () => {
  await orchestrator.close()
  server.closeAllConnections()
  await new Promise<void>((r) => server.close(() => r()))
  await sim.close()
})

/** A new call with A on hold, under `policy`. */
const withAOnHold = async (policy: HoldPolicy): Promise<string> => {
  const call = sim.createCall({ callbackUrl, participants: [{ id: 'A' }, { id: 'B' }] })
  if (E.isLeft(call)) throw new Error(call.left.message)
  const { callId } = call.right
  orchestrator.registerCall({ callId, holdPolicy: policy })
  expect(E.isRight(await orchestrator.startHoldMusic({ callId, participantId: 'A' }))).toBe(true)
  return callId
}

const actionsOf = (callId: string) => sim.requests().filter((r) => r.callId === callId).map((r) => `${r.action} ${r.participantId ?? ''}`.trim())

describe('the hold policies as the guide describes them', () => {
  it('reject: HoldConflict naming A, nothing sent', async () => {
    const callId = await withAOnHold('reject')
    const b = await orchestrator.startHoldMusic({ callId, participantId: 'B' })
    expect(E.isLeft(b) && b.left._tag === 'HoldConflict' && b.left.heldBy).toBe('A')
    expect(actionsOf(callId)).toEqual(['startHoldMusic A'])
  })

  it('queue: B waits for A’s release, then is held', async () => {
    const callId = await withAOnHold('queue')
    const b = orchestrator.startHoldMusic({ callId, participantId: 'B' })
    expect(orchestrator.getCall(callId)?.holdQueue.map((q) => q.participantId)).toEqual(['B'])
    expect(E.isRight(await orchestrator.stopHoldMusic({ callId, participantId: 'A' }))).toBe(true)
    expect(E.isRight(await b)).toBe(true)
    expect(actionsOf(callId)).toEqual(['startHoldMusic A', 'stopHoldMusic A', 'startHoldMusic B'])
    expect(orchestrator.getCall(callId)?.hold).toEqual({ participantId: 'B', phase: 'held' })
  })

  it('swap: callops releases A, then holds B; the per-request policy wins over the call’s', async () => {
    const callId = await withAOnHold('reject')
    const b = await orchestrator.startHoldMusic({ callId, participantId: 'B', holdPolicy: 'swap' })
    expect(E.isRight(b)).toBe(true)
    expect(actionsOf(callId)).toEqual(['startHoldMusic A', 'stopHoldMusic A', 'startHoldMusic B'])
    const holds = sim.holds(callId)
    expect(E.isRight(holds) && holds.right.map((h) => [h.participantId, h.end === undefined])).toEqual([
      ['A', false],
      ['B', true],
    ])
  })

  it('the same participant twice: answered with the completed hold, nothing sent', async () => {
    const callId = await withAOnHold('reject')
    const again = await orchestrator.startHoldMusic({ callId, participantId: 'A' })
    expect(E.isRight(again) && again.right.status).toBe('completed')
    expect(actionsOf(callId)).toEqual(['startHoldMusic A'])
  })

  it('a stopHoldMusic for someone not on hold: InvalidRequest on participantId, nothing sent', async () => {
    const callId = await withAOnHold('reject')
    const r = await orchestrator.stopHoldMusic({ callId, participantId: 'B' })
    expect(E.isLeft(r) && r.left._tag === 'InvalidRequest' && r.left.path).toBe('participantId')
    expect(actionsOf(callId)).toEqual(['startHoldMusic A'])
  })
})
