import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { collectDigits } from '../../src/index.js'
import type { CallNewsEvent } from '../../src/runtime/OrchestratorEvent.js'
import type { Simulator } from '../../src/simulator/index.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { startRoundRobinProxy, type RoundRobinProxy } from '../redis/roundRobinProxy.js'
import { deleteKeys, redisAvailable, redisUrl, testClient, testPrefix } from '../redis/redisTestEnv.js'
import { right } from '../support/either.js'
import { answerBody, startBot, startSim, until, untilStored, type BotOnSimulator } from './callActionsRig.js'

// Two instances behind a round-robin load balancer: Graph's notifications of one call, its tones
// among them, land on both. The bot's script runs on one instance; it must hear the whole call.

const redisOk = await redisAvailable()

const stores: ReadonlyArray<{ readonly name: string; readonly skip: boolean; readonly make: (prefix: string) => [SnapshotStore, SnapshotStore] }> = [
  {
    name: 'a durable store in one process',
    skip: false,
    make: () => {
      const shared = createMemoryStore({ durable: true })
      return [shared, shared]
    },
  },
  {
    name: 'the Redis store',
    skip: !redisOk,
    make: (prefix) => {
      return [createRedisStore({ redis: redisUrl, prefix }), createRedisStore({ redis: redisUrl, prefix })]
    },
  },
]

describe.each(stores)('a call watched on one instance while Graph posts to two, on $name', ({ skip, make }) => {
  let sim: Simulator
  let storeA: SnapshotStore
  let storeB: SnapshotStore
  let a: BotOnSimulator
  let b: BotOnSimulator
  let balancer: RoundRobinProxy
  const localTones = { a: 0, b: 0 }
  const prefix = testPrefix('watchcall')

  beforeAll(async () => {
    if (skip) return
    sim = await startSim(47)
    ;[storeA, storeB] = make(prefix)
    a = await startBot(sim, { store: storeA })
    b = await startBot(sim, { store: storeB })
    balancer = await startRoundRobinProxy([a.webhookUrl, b.webhookUrl])
    a.orchestrator.subscribe((e) => void (e.type === 'tone' && localTones.a++))
    b.orchestrator.subscribe((e) => void (e.type === 'tone' && localTones.b++))
  })
  afterAll(async () => {
    if (skip) return
    await balancer.close()
    await a.close()
    await b.close()
    await Promise.all([...new Set([storeA, storeB])].map((s) => s.close()))
    if (!redisOk) return
    const admin = testClient('callops-test-admin')
    await deleteKeys(admin, prefix)
    await admin.quit()
    await sim.close()
  })

  test.skipIf(skip)('collectDigits on instance B gets every key in order though half the tones were processed on A, and watchCall hears the end', async () => {
    const call = right(sim.ring({ callbackUrl: balancer.url, caller: { displayName: 'Customer', id: 'caller-1' } }))
    await until(() => [a, b].some((bot) => bot.orchestrator.getCall(call.callId)?.state.startsWith('incoming') === true))
    await untilStored(storeB, call.callId)
    right(await b.orchestrator.answer({ callId: call.callId, body: answerBody }))
    right(await b.orchestrator.subscribeToTone({ callId: call.callId }))
    const heard: CallNewsEvent[] = []
    const stop = b.orchestrator.watchCall(call.callId, (news) => void heard.push(news))
    // Graph repeats and reorders tones; each still counts once, in sequence order.
    right(sim.setFaults({ toneRepeatRate: 0.5, toneReorderRate: 0.5 }, call.callId))
    const digits = collectDigits(b.orchestrator, { callId: call.callId, count: 6, timeoutMs: 5_000 })
    right(await sim.pressKeys(call.callId, ['tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6']))
    expect(await digits).toEqual(E.right({ tones: ['tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6'], endedBy: 'count' }))
    // The split was real: each instance processed some of the tones itself.
    expect(localTones.a).toBeGreaterThan(0)
    expect(localTones.b).toBeGreaterThan(0)
    expect(localTones.a + localTones.b).toBe(6)
    right(await a.orchestrator.hangUp({ callId: call.callId }))
    await until(() => heard.some((n) => n.type === 'terminated'))
    stop()
    expect(heard.filter((n) => n.type === 'tone').map((n) => n.type === 'tone' && n.sequenceId)).toEqual([1, 2, 3, 4, 5, 6])
    expect(heard.every((n) => n.callId === call.callId)).toBe(true)
  })
})
