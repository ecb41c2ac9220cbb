import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createGraphClient, type ActionResult, type GraphClient } from '../../src/index.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { startInstances, type Instances } from './instances.js'

// Issue 14, finding 9: a request that leaves after its operation's deadline is allowed (Timeout
// means "outcome unknown") but counted. Here: restore() resends, after its deadline, a request
// whose sender closed before it left.

const until = async (predicate: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

let x: Instances | undefined
afterEach(async () => {
  await x?.close()
  x = undefined
})

describe('requests sent after their deadline', () => {
  it('are counted in stats().sentAfterTimeout: a recovered request resent once its deadline has passed', async () => {
    const store = createMemoryStore({ durable: true })
    // B sweeps rarely, so the deadline is still pending when it recovers the call.
    x = await startInstances(1, store, { sweepIntervalMs: 60_000 })
    const b = x.all[0]!
    const real = createGraphClient({ baseUrl: x.graph.baseUrl, getToken: async () => 't' })
    const hanging: GraphClient = { ...real, send: () => () => new Promise(() => {}) }
    const a = await x.add({ graph: { client: hanging }, timeouts: { startHoldMusic: 300 } })
    const callId = randomUUID()
    const lost: Promise<ActionResult> = a.orchestrator.startHoldMusic({ callId, participantId: 'p1' })
    await until(async () => Object.keys((await store.load(canonicalId(callId)))?.sending ?? {}).length === 1)
    await a.close()
    await real.close()
    expect(E.isLeft(await lost)).toBe(true)
    await new Promise((r) => setTimeout(r, 400))
    expect(b.orchestrator.stats().sentAfterTimeout).toBe(0)
    await b.orchestrator.restore()
    await until(() => x?.graph.requests.some((r) => r.action === 'startHoldMusic') === true)
    expect(b.orchestrator.stats()).toMatchObject({ sentAfterTimeout: 1, notSentAfterTimeout: 0 })
  })
})
