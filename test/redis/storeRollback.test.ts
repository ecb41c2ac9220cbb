import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { Redis } from 'ioredis'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import { redisKeys } from '../../src/stores/redisKeys.js'
import { documentedAnswer, type SeenRequest, type StandInAnswer } from '../support/graphStandIn.js'
import { capturingLogger } from '../security/capturingLogger.js'
import { startInstances, type Instance, type Instances } from '../multiInstance/instances.js'
import { privateRedisServer, type PrivateRedisServer } from './privateRedisServer.js'
import { redisAvailable, testPrefix } from './redisTestEnv.js'

// Issue 14, finding 6: Redis comes back with older data (a restart without persistence, a failover
// to a replica that was behind). The instance holding the newer version must not act on the older
// one: no second startHoldMusic, the bot told, a log line naming the call, a figure in stats().

const available = await redisAvailable()

// Graph completes a hold in its HTTP answer: the hold slot is `held` as soon as the answer is applied.
const completedAtOnce = (req: SeenRequest): StandInAnswer => {
  const a = documentedAnswer(req)
  return { ...a, status: 200, body: { ...(a.body as Record<string, unknown>), status: 'completed' } }
}

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

const setUp = async (n: number) => {
  const server: PrivateRedisServer = await privateRedisServer()
  await server.start()
  cleanup.push(() => server.stop())
  const prefix = testPrefix('rollback')
  const store = createRedisStore({ redis: server.url, prefix })
  cleanup.push(() => store.close())
  const logs = Array.from({ length: n }, () => capturingLogger())
  const x: Instances = await startInstances(0, store, {}, completedAtOnce)
  cleanup.push(() => x.close())
  for (const l of logs) await x.add({ logger: l.logger })
  const admin = new Redis(server.url)
  admin.on('error', () => undefined)
  cleanup.push(async () => void admin.disconnect())
  return { server, x, logs, admin, key: (callId: string) => redisKeys(prefix).snapshot(callId) }
}

const holdsSent = (x: Instances, callId: string) => x.graph.requests.filter((r) => r.callId === callId && r.action === 'startHoldMusic')

const holdP1 = async (a: Instance, callId: string): Promise<void> => {
  const held = await a.orchestrator.startHoldMusic({ callId, participantId: 'p1' })
  expect(E.isRight(held) && held.right.status).toBe('completed')
  expect(a.orchestrator.getCall(callId)?.hold).toMatchObject({ participantId: 'p1', phase: 'held' })
}

/**
 * Takes the hold of p1 on a call, then puts back the call as it was before the hold, as a replica
 * that was behind would hold it. `between` runs after the hold, before the rollback.
 */
const holdThenRollBack = async (
  a: Instance,
  callId: string,
  admin: Redis,
  key: string,
  between: () => Promise<void> = async () => undefined,
): Promise<Record<string, string>> => {
  expect(E.isRight(await a.orchestrator.unmute({ callId }))).toBe(true)
  const behind = await admin.hgetall(key)
  await holdP1(a, callId)
  await between()
  await admin.del(key)
  await admin.hset(key, behind)
  return behind
}

const rollbackLogged = (log: ReturnType<typeof capturingLogger>, callId: string) =>
  log.entries.filter((e) => e.level === 'error' && e.obj['callId'] === callId && /older version of this call/.test(e.msg ?? ''))

describe.runIf(available)('Redis that comes back with older data (issue 14, finding 6)', () => {
  it('after a restart without persistence, a second hold is refused HoldConflict from the newer version put back, and nothing is sent', async () => {
    const { server, x, logs } = await setUp(1)
    const a = x.all[0] as Instance
    const callId = randomUUID()
    await holdP1(a, callId)
    // A crash of a server without persistence: it comes back empty.
    await server.kill()
    await server.start()
    const second = await a.orchestrator.startHoldMusic({ callId, participantId: 'p2' })
    expect(E.isLeft(second) && second.left._tag).toBe('HoldConflict')
    expect(holdsSent(x, callId)).toHaveLength(1)
    expect(rollbackLogged(logs[0]!, callId)).toHaveLength(1)
    expect(a.orchestrator.stats().storeRollbacks).toEqual({ detected: 1, repaired: 1 })
    // The truth is back in the store: another instance, knowing nothing, refuses the second hold too.
    const b = await x.add()
    const fromB = await b.orchestrator.startHoldMusic({ callId, participantId: 'p3' })
    expect(E.isLeft(fromB) && fromB.left._tag).toBe('HoldConflict')
    expect(holdsSent(x, callId)).toHaveLength(1)
  }, 30_000)

  it('after a failover to a replica that was behind, the newer version is put back over the older one this instance had seen', async () => {
    const { x, logs, admin, key } = await setUp(1)
    const a = x.all[0] as Instance
    const callId = randomUUID()
    const behind = await holdThenRollBack(a, callId, admin, key(callId))
    const second = await a.orchestrator.startHoldMusic({ callId, participantId: 'p2' })
    expect(E.isLeft(second) && second.left._tag).toBe('HoldConflict')
    expect(holdsSent(x, callId)).toHaveLength(1)
    expect(rollbackLogged(logs[0]!, callId)).toHaveLength(1)
    expect(a.orchestrator.stats().storeRollbacks).toEqual({ detected: 1, repaired: 1 })
    expect(Number(await admin.hget(key(callId), 'v'))).toBeGreaterThan(Number(behind['v']))
  }, 30_000)

  it('restore() on the instance with the newer version notices the older one when it loads the call, and puts the newer one back', async () => {
    const { x, logs, admin, key } = await setUp(1)
    const a = x.all[0] as Instance
    const callId = randomUUID()
    const behind = await holdThenRollBack(a, callId, admin, key(callId))
    expect(await a.orchestrator.restore()).toBe(1)
    expect(a.orchestrator.stats().storeRollbacks).toEqual({ detected: 1, repaired: 1 })
    expect(rollbackLogged(logs[0]!, callId)).toHaveLength(1)
    expect(Number(await admin.hget(key(callId), 'v'))).toBeGreaterThan(Number(behind['v']))
    const b = await x.add()
    const fromB = await b.orchestrator.startHoldMusic({ callId, participantId: 'p2' })
    expect(E.isLeft(fromB) && fromB.left._tag).toBe('HoldConflict')
    expect(holdsSent(x, callId)).toHaveLength(1)
  }, 30_000)

  // B, which had never seen the call, cannot tell the version is old and writes on it (a mute: two
  // versions). A wrote one more version after the hold in the first case, as many in the second.
  it.each([
    { what: 'an older version number', extraWriteByA: true },
    { what: 'the same version number (the write ids tell)', extraWriteByA: false },
  ])('when another instance already wrote on the older version, up to $what, the call is refused StoreRolledBack here and nothing is sent', async ({ extraWriteByA }) => {
    const { x, logs, admin, key } = await setUp(2)
    const [a, b] = x.all as [Instance, Instance]
    const callId = randomUUID()
    const behind = await holdThenRollBack(a, callId, admin, key(callId), async () => {
      if (extraWriteByA) expect(E.isRight(await a.orchestrator.unmute({ callId }))).toBe(true)
    })
    expect(E.isRight(await b.orchestrator.mute({ callId }))).toBe(true)
    const second = await a.orchestrator.startHoldMusic({ callId, participantId: 'p2' })
    const refused = E.isLeft(second) ? second.left : undefined
    expect(refused).toMatchObject({ _tag: 'StoreRolledBack', callId })
    if (refused?._tag !== 'StoreRolledBack') return
    expect(refused.storedVersion).toBeGreaterThan(Number(behind['v']))
    expect(refused.storedVersion === refused.cachedVersion).toBe(!extraWriteByA)
    expect(holdsSent(x, callId)).toHaveLength(1)
    expect(rollbackLogged(logs[0]!, callId)).toHaveLength(1)
    expect(a.orchestrator.stats().storeRollbacks).toEqual({ detected: 1, repaired: 0 })
    // Every later command for the call on this instance gets it too, at once.
    const later = await a.orchestrator.stopHoldMusic({ callId, participantId: 'p1' })
    expect(E.isLeft(later) && later.left._tag).toBe('StoreRolledBack')
    expect(x.graph.requests.filter((r) => r.callId === callId && r.action === 'stopHoldMusic')).toHaveLength(0)
  }, 30_000)
})
