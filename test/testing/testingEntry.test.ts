import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/index.js'
import {
  callTerminated,
  controlledClock,
  notificationBatch,
  operationNotification,
  rosterLeft,
  rosterUpdated,
} from '../../src/testing/index.js'
import { startGraphStandIn, type GraphStandIn } from '../support/graphStandIn.js'
import { until } from '../orchestrator/harness.js'

const JSON_HEADERS = { 'content-type': 'application/json' }
const CALL = 'call-1'

let graph: GraphStandIn | undefined
let orchestrator: CallOrchestrator | undefined
afterEach(async () => {
  await orchestrator?.close()
  await graph?.close()
})

const start = async (clock = controlledClock()) => {
  graph = await startGraphStandIn()
  orchestrator = createCallOrchestrator({ graph: { baseUrl: graph.baseUrl, getToken: async () => 't' }, notificationAuth: false, clock, keepAlive: false })
  return { o: orchestrator, g: graph, clock }
}

describe('callops/testing: what a bot’s own tests need', () => {
  it('operationNotification completes a hold the way Graph’s notification does', async () => {
    const { o, g } = await start()
    const held = o.startHoldMusic({ callId: CALL, participantId: 'alice', clientContext: 'hold-1' })
    await until(() => o.getCall(CALL)?.operations[0]?.state === 'running')
    const r = await o.handleNotification(notificationBatch(operationNotification({ callId: CALL, operationId: 'op-1', clientContext: 'hold-1' })), JSON_HEADERS)
    expect(r.status).toBe(202)
    const result = await held
    expect(E.isRight(result) && result.right.status).toBe('completed')
    expect(g.requests).toHaveLength(1)
  })

  it('a failed operationNotification ends the operation OperationFailed with its resultInfo', async () => {
    const { o } = await start()
    const held = o.startHoldMusic({ callId: CALL, participantId: 'alice', clientContext: 'hold-1' })
    await until(() => o.getCall(CALL)?.operations[0]?.state === 'running')
    await o.handleNotification(
      notificationBatch(operationNotification({ callId: CALL, operationId: 'op-1', clientContext: 'hold-1', status: 'failed', resultInfo: { code: 500, subcode: 8500 } })),
      JSON_HEADERS,
    )
    const result = await held
    expect(E.isLeft(result) && result.left._tag).toBe('OperationFailed')
  })

  it('rosterUpdated, rosterLeft and callTerminated move the call as Graph’s notifications do', async () => {
    const { o } = await start()
    await o.handleNotification(notificationBatch(rosterUpdated(CALL, [{ id: 'alice', displayName: 'Alice' }, { id: 'bob' }])), JSON_HEADERS)
    expect(o.getCall(CALL)?.roster.map((p) => p.id)).toEqual(['alice', 'bob'])
    expect(o.getCall(CALL)?.roster[0]?.displayName).toBe('Alice')
    await o.handleNotification(notificationBatch(rosterLeft(CALL, 'bob')), JSON_HEADERS)
    expect(o.getCall(CALL)?.roster.map((p) => p.id)).toEqual(['alice'])
    const held = o.startHoldMusic({ callId: CALL, participantId: 'alice' })
    await until(() => o.getCall(CALL)?.operations[0]?.state === 'running')
    await o.handleNotification(notificationBatch(callTerminated(CALL)), JSON_HEADERS)
    const result = await held
    expect(E.isLeft(result) && result.left._tag).toBe('CallEnded')
  })

  it('controlledClock fires an operation’s deadline only when advanced', async () => {
    const clock = controlledClock()
    const { o } = await start(clock)
    const held = o.startHoldMusic({ callId: CALL, participantId: 'alice', clientContext: 'hold-1' })
    await until(() => o.getCall(CALL)?.operations[0]?.state === 'running')
    expect(clock.pendingTimers).toBe(1)
    clock.advance(59_999)
    expect(clock.pendingTimers).toBe(1)
    clock.advance(1)
    const result = await held
    expect(E.isLeft(result) && result.left._tag).toBe('Timeout')
  })
})
