import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Simulator } from '../../src/simulator/index.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { deleteKeys, redisAvailable, redisUrl, testClient, testPrefix } from '../redis/redisTestEnv.js'
import { right } from '../support/either.js'
import { answerBody, ringBot, startBot, startSim, until, untilStored, type BotOnSimulator } from './callActionsRig.js'

// Two instances on one Redis store, as two processes behind a load balancer: Graph's notifications
// reach instance A only, and the bot's call actions are asked of instance B. B records the request
// in the store, sends it, and hears its outcome, decided on A, through the store.

const redisOk = await redisAvailable()

describe.skipIf(!redisOk)('call actions from a second instance on the Redis store', () => {
  const prefix = testPrefix('callactions')
  let sim: Simulator
  let storeA: SnapshotStore
  let storeB: SnapshotStore
  let a: BotOnSimulator
  let b: BotOnSimulator

  beforeAll(async () => {
    sim = await startSim(31)
    storeA = createRedisStore({ redis: redisUrl, prefix })
    storeB = createRedisStore({ redis: redisUrl, prefix })
    a = await startBot(sim, { store: storeA })
    b = await startBot(sim, { store: storeB })
  })
  afterAll(async () => {
    await a.close()
    await b.close()
    await Promise.all([storeA.close(), storeB.close()])
    const admin = testClient('callops-test-admin')
    await deleteKeys(admin, prefix)
    await admin.quit()
    await sim.close()
  })

  test('an incoming call that rang instance A is answered from instance B, which resolves once A hears it established', async () => {
    const call = await ringBot(sim, a)
    await untilStored(storeB, call.callId)
    const r = await b.orchestrator.answer({ callId: call.callId, body: answerBody })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'answer', state: 'established' })))
    expect(right(sim.call(call.callId)).state).toBe('established')
    // Only A hears Graph: B's outcome came through the store.
    expect(sim.requests().filter((q) => q.path.endsWith(`${call.callId}/answer`))).toHaveLength(1)
  })

  test('hangUp from instance B resolves on the terminated notification A receives, and a hold under way on A ends CallEnded', async () => {
    const call = await ringBot(sim, a)
    await untilStored(storeB, call.callId)
    right(await b.orchestrator.answer({ callId: call.callId, body: answerBody }))
    const caller = call.participants[0]?.id ?? ''
    right(sim.setFaults({ dropRate: 1 }, call.callId))
    const hold = a.orchestrator.startHoldMusic({ callId: call.callId, participantId: caller })
    await until(() => sim.requests().some((q) => q.path.endsWith('/startHoldMusic') && q.path.includes(call.callId)))
    right(sim.setFaults({ dropRate: 0 }, call.callId))
    const r = await b.orchestrator.hangUp({ callId: call.callId })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'hangUp', state: 'terminated' })))
    const held = await hold
    expect(E.isLeft(held) && held.left._tag).toBe('CallEnded')
  })

  test('a transfer asked of B on a call still ringing is refused from the stored state, before anything is sent', async () => {
    const call = await ringBot(sim, a)
    await untilStored(storeB, call.callId)
    const sent = sim.requests().length
    const r = await b.orchestrator.transfer({ callId: call.callId, body: { transferTarget: { identity: { user: { id: 'agent' } } } } })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    expect(sim.requests().length).toBe(sent)
  })
})
