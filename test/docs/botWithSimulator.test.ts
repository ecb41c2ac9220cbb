import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/index.js'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'

// --- the bot under test: when the agent parks a caller, hold them; the queue policy waits its turn
const parkCaller = (orchestrator: CallOrchestrator, callId: string, participantId: string) =>
  orchestrator.startHoldMusic({ callId, participantId, holdPolicy: 'queue' })

let sim: Simulator
let orchestrator: CallOrchestrator
let server: http.Server
let callbackUrl: string

beforeAll(async () => {
  // Faults on: throttling, duplicated and early notifications. Print sim.seed to replay a failure.
  sim = await createSimulator({ seed: 42, faults: { throttleRate: 0.2, retryAfterSeconds: 0, duplicateRate: 0.3, notifyBeforeAnswer: 0.3 } })
  orchestrator = createCallOrchestrator({
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'token', retry: { minDelayMs: 10 } },
    notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
  })
  server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
})
afterAll(async () => {
  await orchestrator.close()
  server.close()
  await sim.close()
})

test('parking two callers never puts both on hold at once', async () => {
  const call = sim.createCall({ callbackUrl, participants: [{ id: 'alice' }, { id: 'bob' }] })
  if (E.isLeft(call)) throw new Error(call.left.message)
  const { callId } = call.right

  const alice = await parkCaller(orchestrator, callId, 'alice')
  expect(E.isRight(alice), `seed ${sim.seed}`).toBe(true)
  const bob = parkCaller(orchestrator, callId, 'bob') // waits for the slot
  expect(E.isRight(await orchestrator.stopHoldMusic({ callId, participantId: 'alice' })), `seed ${sim.seed}`).toBe(true)
  expect(E.isRight(await bob), `seed ${sim.seed}`).toBe(true)

  // The simulator is the referee: its hold intervals never overlap.
  const holds = sim.holds(callId)
  expect(E.isRight(holds) && holds.right.map((h) => h.participantId)).toEqual(['alice', 'bob'])
})
