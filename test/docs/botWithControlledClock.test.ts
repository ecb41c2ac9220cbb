import * as E from 'fp-ts/lib/Either.js'
import { expect, test } from 'vitest'
import { createCallOrchestrator } from '../../src/index.js'
import { createSimulator } from '../../src/simulator/index.js'
import { callTerminated, controlledClock, notificationBatch } from '../../src/testing/index.js'

test('a hold whose outcome never comes times out after 60 s, without waiting 60 s', async () => {
  const sim = await createSimulator({ faults: { dropRate: 1 } }) // Graph answers; its notifications are lost
  const call = sim.createCall({ callbackUrl: 'http://127.0.0.1:9/unused', participants: [{ id: 'alice' }] })
  if (E.isLeft(call)) throw new Error(call.left.message)
  const clock = controlledClock()
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'token' },
    notificationAuth: false,
    clock,
  })
  const answered = new Promise((resolve) => orchestrator.subscribe((e) => e.type === 'answer' && resolve(e)))

  const held = orchestrator.startHoldMusic({ callId: call.right.callId, participantId: 'alice' })
  await answered // 202 running: now only the deadline is pending
  clock.advance(60_000)
  const result = await held
  expect(E.isLeft(result) && result.left._tag).toBe('Timeout')
  await orchestrator.close()
  await sim.close()
})

test('the bot learns that the call ended from Graph’s notification', async () => {
  const orchestrator = createCallOrchestrator({ graph: { getToken: async () => 'token' }, notificationAuth: false })
  orchestrator.registerCall({ callId: 'call-1' })
  const answer = await orchestrator.handleNotification(notificationBatch(callTerminated('call-1')), { 'content-type': 'application/json' })
  expect(answer.status).toBe(202)
  expect(orchestrator.getCall('call-1')?.state).toBe('terminated')
  await orchestrator.close()
})
