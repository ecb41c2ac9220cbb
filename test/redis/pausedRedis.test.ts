import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import { startInstances, type Instance, type Instances } from '../multiInstance/instances.js'
import { privateRedisServer } from './privateRedisServer.js'
import { redisAvailable, testPrefix } from './redisTestEnv.js'

// Issue 14, finding 9: Redis paused (SIGSTOP) while a command is being recorded, resumed after the
// caller's deadline. The caller is told Timeout; the request must not leave afterwards.

const available = await redisAvailable()
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

describe.runIf(available)('a paused Redis (issue 14, finding 9)', () => {
  it('a hold recorded after its deadline is not sent: the caller gets Timeout, the figure counts it, and the slot is free again', async () => {
    const server = await privateRedisServer()
    await server.start()
    cleanup.push(() => server.stop())
    const store = createRedisStore({ redis: server.url, prefix: testPrefix('paused') })
    cleanup.push(() => store.close())
    const x: Instances = await startInstances(1, store, { timeouts: { startHoldMusic: 1_000 } })
    cleanup.push(() => x.close())
    const a = x.all[0] as Instance
    const callId = randomUUID()
    // Within the store's 2 s command timeout, so the recording goes through once Redis runs again.
    server.pause()
    const started = Date.now()
    const held = a.orchestrator.startHoldMusic({ callId, participantId: 'p1' })
    await sleep(1_500)
    server.resume()
    const r = await held
    expect(E.isLeft(r) && r.left._tag).toBe('Timeout')
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000)
    // Long enough for a send to have left, had it been allowed.
    await sleep(500)
    expect(x.graph.requests.filter((q) => q.action === 'startHoldMusic')).toHaveLength(0)
    expect(a.orchestrator.stats()).toMatchObject({ notSentAfterTimeout: 1, sentAfterTimeout: 0 })
    // Graph never saw it, so the slot it took is free: another hold goes out.
    expect(a.orchestrator.getCall(callId)?.hold).toBeUndefined()
    const next = await a.orchestrator.startHoldMusic({ callId, participantId: 'p2' })
    expect(E.isLeft(next) && next.left._tag).toBe('Timeout') // the stand-in sends no completion
    expect(x.graph.requests.filter((q) => q.action === 'startHoldMusic').map((q) => q.participantId)).toEqual(['p2'])
  }, 30_000)
})
