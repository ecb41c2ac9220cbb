import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActionResult } from '../../src/index.js'
import type { Logger } from '../../src/logging/Logger.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import { documentedAnswer, startGraphStandIn, type GraphStandIn, type SeenRequest } from '../support/graphStandIn.js'
import { startInstance } from '../multiInstance/instances.js'
import { privateRedisServer } from './privateRedisServer.js'
import { redisAvailable, testPrefix } from './redisTestEnv.js'
import { startSilentProxy } from './silentProxy.js'

// Issue 14, finding 7: instance A is cut off from Redis (a silent partition) right after it
// recorded requests; its heartbeat lapses and instance B's restore() sends them. A must have
// fenced itself before B could take over, and must not send them when the partition heals.

const available = await redisAvailable()
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))
const until = async (what: string, check: () => boolean | Promise<boolean>, ms = 8_000, step = 25): Promise<void> => {
  const end = Date.now() + ms
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`)
    await sleep(step)
  }
}

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

/** A Graph stand-in that notes when each request arrived. */
const timedStandIn = async (): Promise<{ graph: GraphStandIn; at: Map<SeenRequest, number> }> => {
  const at = new Map<SeenRequest, number>()
  const graph = await startGraphStandIn((req) => {
    at.set(req, Date.now())
    return documentedAnswer(req)
  })
  cleanup.push(() => graph.close())
  return { graph, at }
}

describe.runIf(available)('a partitioned but living instance (issue 14, finding 7)', () => {
  it('fences itself before its lease can lapse, so each request it recorded leaves exactly once, sent by the instance that recovers it', async () => {
    const server = await privateRedisServer()
    await server.start()
    cleanup.push(() => server.stop())
    const proxy = await startSilentProxy(Number(new URL(server.url).port))
    cleanup.push(() => proxy.close())
    const prefix = testPrefix('fence')
    const storeA = createRedisStore({ redis: `redis://127.0.0.1:${proxy.port}`, prefix })
    const storeB = createRedisStore({ redis: server.url, prefix })
    cleanup.push(() => storeA.close(), () => storeB.close())
    let fencedAt: number | undefined
    const quiet = () => undefined
    const logger: Logger = {
      debug: quiet,
      info: quiet,
      error: quiet,
      warn: (_o, msg) => {
        if (fencedAt === undefined && /lease on the store may have lapsed/.test(msg ?? '')) fencedAt = Date.now()
      },
    }
    const ga = await timedStandIn()
    const gb = await timedStandIn()
    const ttl = { instanceTtlMs: 1_500 }
    const a = await startInstance(ga.graph.baseUrl, storeA, { ...ttl, logger })
    const b = await startInstance(gb.graph.baseUrl, storeB, ttl)
    cleanup.push(() => a.close(), () => b.close())

    const callIds = [randomUUID(), randomUUID(), randomUUID()]
    // Each call is in A's cache and up to date, so the holds below go straight to their save.
    for (const callId of callIds) expect(E.isRight(await a.orchestrator.unmute({ callId }))).toBe(true)
    const partitioned = proxy.silenceAfter(/evalsha/, callIds.length)
    const held: Promise<ActionResult>[] = callIds.map((callId) => a.orchestrator.startHoldMusic({ callId, participantId: 'p1' }))
    await partitioned
    const cutAt = Date.now()

    await until('A fenced itself', () => fencedAt !== undefined, 3_000)
    // A new command is refused at once, before anything is recorded.
    const refused = await a.orchestrator.unmute({ callId: callIds[0]! })
    expect(E.isLeft(refused) && refused.left._tag).toBe('Fenced')
    expect(a.orchestrator.stats().fenced.now).toBe(true)
    const holdsAt = (g: GraphStandIn) => g.requests.filter((r) => r.action === 'startHoldMusic')
    // B recovers once A's lease has run out in Redis (restore() is safe to call again and again).
    await until('B sent the recorded holds', async () => {
      await b.orchestrator.restore()
      return holdsAt(gb.graph).length >= callIds.length
    }, 8_000, 200)
    const recoveredAt = Date.now()
    // The partition ends: A's save, tried again with its write id, now succeeds.
    proxy.heal()
    // Bounded: a hold A did send would wait for its 60 s timeout.
    const results = await Promise.race([Promise.all(held), sleep(8_000).then(() => 'A callers still waiting after 8 s')])
    await sleep(1_000)

    const all = [...holdsAt(ga.graph), ...holdsAt(gb.graph)]
    expect(all).toHaveLength(callIds.length)
    expect(new Set(all.map((r) => r.headers['client-request-id'])).size).toBe(callIds.length)
    expect(new Set(all.map((r) => String(r.body['clientContext']))).size).toBe(callIds.length)
    expect(new Set(all.map((r) => `${r.callId}/${r.participantId}/${JSON.stringify(r.body)}`)).size).toBe(callIds.length)
    expect(holdsAt(gb.graph).map((r) => r.callId).sort()).toEqual([...callIds].sort())
    // A sent nothing after it fenced itself, which was before B could take over.
    expect(holdsAt(ga.graph).filter((r) => (ga.at.get(r) ?? 0) >= (fencedAt ?? 0))).toHaveLength(0)
    expect(fencedAt).toBeLessThan(recoveredAt)
    expect((fencedAt ?? 0) - cutAt).toBeLessThan(1_500)
    // A's callers are told, with a tagged error.
    expect(typeof results === 'string' ? results : results.map((r) => E.isLeft(r) && r.left._tag)).toEqual(callIds.map(() => 'Fenced'))
    expect(a.orchestrator.stats().fenced.refused).toBe(callIds.length + 1)
    // Once its heartbeat is renewed (under a new id), A works again.
    await until('A renewed its lease', () => !a.orchestrator.stats().fenced.now, 5_000)
    const again = await a.orchestrator.unmute({ callId: callIds[0]! })
    expect(E.isRight(again)).toBe(true)
  }, 40_000)
})
