import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import type { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'
import type { HoldInterval } from '../../src/simulator/index.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import { requestIdFor } from '../../src/runtime/requestIdFor.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { spawnInstance, type ChildInstance, type RemoteResult } from './childInstance.js'
import { deleteKeys, redisAvailable, redisUrl, testClient, testPrefix } from './redisTestEnv.js'
import { startRoundRobinProxy, type RoundRobinProxy } from './roundRobinProxy.js'
import { storedCallOf } from '../support/storedCallOf.js'

const available = await redisAvailable()

const until = async (predicate: () => boolean | Promise<boolean>, ms = 15_000, what = 'condition'): Promise<void> => {
  const end = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error(`${what} not met in time`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

const ok = (r: RemoteResult): boolean => r._tag === 'Right' && r.right.status === 'completed'
const tagOf = (r: RemoteResult): string => (r._tag === 'Right' ? `Right:${r.right.status}` : r.left._tag)

// The steps of the chaos run, by index: hold p1, stop p1, unmute, hold p2, stop p2. A step may fail
// as a consequence of the earlier step named here having failed.
const CONSEQUENCES: Readonly<Record<number, { readonly tag: string; readonly after: number }>> = {
  // p1 was never put on hold, so it is not on hold.
  1: { tag: 'InvalidRequest', after: 0 },
  // p1 was not released, so the slot is still taken.
  3: { tag: 'HoldConflict', after: 1 },
  4: { tag: 'InvalidRequest', after: 3 },
}

/**
 * The failures of one call's five steps that neither Redis dropping connections nor pausing can
 * explain: only a request the store could not record (Cancelled, saying so) or one that ran out of
 * time (Timeout) is the chaos's doing; anything else must follow from an earlier failed step.
 */
const unexplainedFailures = (steps: readonly RemoteResult[]): string[] =>
  steps.flatMap((r, i) => {
    if (r._tag === 'Right') return []
    const { _tag, message } = r.left
    if (_tag === 'Timeout' || (_tag === 'Cancelled' && /record(ing)? the request/.test(message))) return []
    const because = CONSEQUENCES[i]
    if (because !== undefined && _tag === because.tag && steps[because.after]?._tag === 'Left') return []
    return [`step ${i + 1} of ${JSON.stringify(steps.map(tagOf))}: ${_tag}: ${message}`]
  })

/** No two hold intervals of one call overlap (an open interval runs to now). */
const overlapping = (holds: readonly HoldInterval[]): boolean => {
  const sorted = [...holds].sort((a, b) => a.start - b.start)
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]
    const cur = sorted[i]
    if (prev !== undefined && cur !== undefined && (prev.end === undefined || prev.end > cur.start)) return true
  }
  return false
}

describe.runIf(available)('orchestrator instances as separate processes sharing Redis and the simulator', () => {
  const runId = randomUUID().slice(0, 8)
  const prefix = testPrefix('processes')
  const connectionName = `callops-test-inst-${runId}`
  let sim: Simulator
  let proxy: RoundRobinProxy
  let a: ChildInstance
  let b: ChildInstance
  let admin: Redis
  let store: SnapshotStore
  const extra: ChildInstance[] = []

  const env = (name: string): Record<string, string> => ({
    REDIS_URL: redisUrl,
    PREFIX: prefix,
    GRAPH_URL: sim.graphUrl,
    CONNECTION_NAME: `${connectionName}-${name}`,
    // Long enough that a process the loaded test machine stalls does not fence itself (issue 14, finding 7).
    INSTANCE_TTL_MS: '4000',
    SWEEP_MS: '200',
  })

  const newCall = (faults?: { answerLatencyMs: [number, number] }): string => {
    const callId = randomUUID()
    const created = sim.createCall({ callbackUrl: proxy.url, callId, participants: [{ id: 'p1' }, { id: 'p2' }], ...(faults === undefined ? {} : { faults }) })
    if (E.isLeft(created)) throw new Error(created.left.message)
    return callId
  }

  const requestsOf = (callId: string, action?: string) =>
    sim.requests().filter((r) => r.callId === callId && (action === undefined || r.action === action))

  const holdsOf = (callId: string): HoldInterval[] => {
    const h = sim.holds(callId)
    if (E.isLeft(h)) throw new Error(h.left.message)
    return h.right
  }

  beforeAll(async () => {
    sim = await createSimulator({ seed: 6 })
    proxy = await startRoundRobinProxy()
    ;[a, b] = await Promise.all([spawnInstance('a', env('a')), spawnInstance('b', env('b'))])
    proxy.targets = [a.webhookUrl, b.webhookUrl]
    admin = testClient(`callops-test-admin-${runId}`)
    store = createRedisStore({ redis: admin, prefix })
  }, 60_000)

  afterAll(async () => {
    await Promise.all([a, b, ...extra].filter((i) => i !== undefined).map((i) => i.close()))
    await proxy?.close()
    await sim?.close()
    if (admin !== undefined) {
      await store.close()
      await deleteKeys(admin, prefix)
      await admin.quit()
    }
  }, 30_000)

  it('completes hold, stop and unmute whichever instance each notification reaches', async () => {
    const before = new Map(proxy.forwarded)
    const calls = Array.from({ length: 20 }, () => newCall())
    const outcomes = await Promise.all(
      calls.map(async (callId) => [
        await a.run('startHoldMusic', { callId, participantId: 'p1' }),
        await b.run('stopHoldMusic', { callId, participantId: 'p1' }),
        await a.run('unmute', { callId }),
        await b.run('startHoldMusic', { callId, participantId: 'p2' }),
        await a.run('stopHoldMusic', { callId, participantId: 'p2' }),
      ]),
    )
    expect(outcomes.flat().map(tagOf)).toEqual(outcomes.flat().map(() => 'Right:completed'))
    for (const callId of calls) {
      expect(holdsOf(callId).map((h) => h.participantId)).toEqual(['p1', 'p2'])
      expect(overlapping(holdsOf(callId))).toBe(false)
    }
    // Both instances applied notifications, so completions of one's requests reached the other.
    for (const i of [a, b]) expect((proxy.forwarded.get(i.webhookUrl) ?? 0) - (before.get(i.webhookUrl) ?? 0)).toBeGreaterThan(20)
  }, 40_000)

  it('of two instances holding different participants of one call at the same moment, lets exactly one win, 200 times', async () => {
    const calls = Array.from({ length: 200 }, () => newCall())
    // The two processes walk the calls in opposite orders, one every 4 ms from the same wall-clock
    // moment: A asks first for the early calls, B for the late ones, and around the middle (wherever
    // scheduling puts it) both ask at the same moment and the compare-and-set alone decides.
    const at = Date.now() + 300
    const [fromA, fromB] = await Promise.all([
      a.runAll(at, 4, calls.map((callId) => ({ action: 'startHoldMusic', req: { callId, participantId: 'p1' } }))),
      b.runAll(at, 4, [...calls].reverse().map((callId) => ({ action: 'startHoldMusic', req: { callId, participantId: 'p2' } }))),
    ])
    const pairs = calls.map((_, i) => [fromA[i], fromB[calls.length - 1 - i]] as [RemoteResult, RemoteResult])
    const conflicts = new Map<string, number>()
    for (const [i, pair] of pairs.entries()) {
      const callId = calls[i] ?? ''
      expect(pair.filter(ok)).toHaveLength(1)
      const lost = pair.find((r) => !ok(r))
      expect(lost === undefined ? 'none' : tagOf(lost)).toBe('HoldConflict')
      conflicts.set(tagOf(pair[0]), (conflicts.get(tagOf(pair[0])) ?? 0) + 1)
      expect(requestsOf(callId, 'startHoldMusic')).toHaveLength(1)
      expect(holdsOf(callId)).toHaveLength(1)
    }
    // Both instances won some races: the winner was not decided by who asked first.
    expect(conflicts.get('HoldConflict') ?? 0).toBeGreaterThan(0)
    expect(conflicts.get('Right:completed') ?? 0).toBeGreaterThan(0)
  }, 40_000)

  it('under the queue policy, queues the loser of each of 200 races and holds it once the winner is released', async () => {
    const calls = Array.from({ length: 200 }, () => newCall())
    await Promise.all(
      calls.map(async (callId) => {
        const first = a.run('startHoldMusic', { callId, participantId: 'p1', holdPolicy: 'queue' })
        const second = b.run('startHoldMusic', { callId, participantId: 'p2', holdPolicy: 'queue' })
        const winner = await Promise.race([first.then(() => 'p1'), second.then(() => 'p2')])
        const loser = winner === 'p1' ? 'p2' : 'p1'
        const stop = await (winner === 'p1' ? b : a).run('stopHoldMusic', { callId, participantId: winner })
        const [r1, r2] = await Promise.all([first, second])
        expect([tagOf(r1), tagOf(r2), tagOf(stop)]).toEqual(['Right:completed', 'Right:completed', 'Right:completed'])
        expect(requestsOf(callId).map((r) => `${r.action} ${r.participantId}`)).toEqual([
          `startHoldMusic ${winner}`,
          `stopHoldMusic ${winner}`,
          `startHoldMusic ${loser}`,
        ])
        expect(holdsOf(callId).map((h) => h.participantId)).toEqual([winner, loser])
        expect(overlapping(holdsOf(callId))).toBe(false)
      }),
    )
  }, 40_000)

  it('finishes the operations of an instance killed with -9 mid-flight: restore() on another resends them once, with the same ids', async () => {
    const c = await spawnInstance('c', env('c'))
    extra.push(c)
    // Graph answers these calls slowly, so the requests are on the wire when the instance dies.
    const calls = Array.from({ length: 10 }, () => newCall({ answerLatencyMs: [1_500, 1_500] }))
    const ops = calls.flatMap((callId, i) => [
      { callId, clientContext: `crash-hold-${runId}-${i}`, action: 'startHoldMusic', req: { callId, participantId: 'p1', clientContext: `crash-hold-${runId}-${i}` } },
      { callId, clientContext: `crash-unmute-${runId}-${i}`, action: 'unmute', req: { callId, clientContext: `crash-unmute-${runId}-${i}` } },
    ])
    for (const op of ops) void c.run(op.action, op.req).catch(() => undefined)
    await until(
      async () => (await Promise.all(calls.map((id) => store.load(id)))).reduce((n, s) => n + Object.keys(s?.sending ?? {}).length, 0) === ops.length,
      15_000,
      'all requests recorded',
    )
    await new Promise((r) => setTimeout(r, 300))
    await c.kill()

    expect(await a.restore()).toBeGreaterThanOrEqual(calls.length)
    await until(
      async () => (await Promise.all(ops.map((op) => store.settlement(op.callId, op.clientContext)))).every((s) => s !== undefined),
      20_000,
      'every operation settled',
    )
    for (const op of ops) {
      const settled = await store.settlement(op.callId, op.clientContext)
      expect(settled?.result.ok, `${op.clientContext}: ${JSON.stringify(settled?.result)}`).toBe(true)
      const id = requestIdFor(op.callId, op.clientContext)
      const sent = requestsOf(op.callId, op.action)
      // Once by the dead instance (if it got out), once by the recovering one: both with the same client-request-id.
      expect(sent.length).toBeGreaterThanOrEqual(1)
      expect(sent.length).toBeLessThanOrEqual(2)
      expect(sent.every((r) => r.clientRequestId === id)).toBe(true)
      const stored = await store.load(op.callId)
      expect(stored?.sending).toEqual({})
    }
    expect(ops.filter((op) => requestsOf(op.callId, op.action).length === 2).length).toBeGreaterThan(0)
    for (const callId of calls) {
      expect(holdsOf(callId).map((h) => h.participantId)).toEqual(['p1'])
    }
  }, 45_000)

  it('survives Redis dropping every connection and pausing mid-run: each command ends by its deadline, nothing is corrupted', async () => {
    const calls = Array.from({ length: 30 }, () => newCall())
    const started = Date.now()
    const kills: number[] = []
    const chaos = (async () => {
      const killer = testClient(`callops-test-killer-${runId}`)
      for (let round = 0; round < 8; round++) {
        await new Promise((r) => setTimeout(r, 150))
        if (round === 4) {
          await killer.call('CLIENT', 'PAUSE', '300', 'WRITE')
          continue
        }
        const list = String(await killer.call('CLIENT', 'LIST'))
        const ids = list
          .split('\n')
          .filter((l) => l.includes(`name=${connectionName}`))
          .map((l) => /(?:^|\s)id=(\d+)/.exec(l)?.[1])
          .filter((id): id is string => id !== undefined)
        for (const id of ids) await killer.call('CLIENT', 'KILL', 'ID', id).catch(() => undefined)
        kills.push(ids.length)
      }
      await killer.quit()
    })()
    const durations: number[] = []
    const timed = async (command: Promise<RemoteResult>): Promise<RemoteResult> => {
      const from = Date.now()
      const result = await command
      durations.push(Date.now() - from)
      return result
    }
    const outcomes = await Promise.all(
      calls.map(async (callId) => [
        await timed(a.run('startHoldMusic', { callId, participantId: 'p1' })),
        await timed(b.run('stopHoldMusic', { callId, participantId: 'p1' })),
        await timed(a.run('unmute', { callId })),
        await timed(b.run('startHoldMusic', { callId, participantId: 'p2' })),
        await timed(a.run('stopHoldMusic', { callId, participantId: 'p2' })),
      ]),
    )
    await chaos
    const elapsed = Date.now() - started
    // The instances' operation timeout is 20 s: each of the five steps ended well within it.
    expect(elapsed).toBeLessThan(5 * 20_000)
    expect(kills.some((n) => n >= 4)).toBe(true)
    // Each command answered by its deadline (20 s), give or take the backstop's grace (sweep + 2 s, then 1 s to read a stored outcome).
    expect(durations).toHaveLength(calls.length * 5)
    expect(Math.max(...durations)).toBeLessThan(20_000 + 200 + 2_000 + 1_000 + 1_500)
    // Every failure is one the chaos can cause, or follows from an earlier failed step of its call.
    expect(outcomes.flatMap(unexplainedFailures)).toEqual([])
    const all = outcomes.flat()
    // Redis came back at once each time, so nearly everything succeeded.
    const logs = () => [a, b].map((i) => i.stderr().split('\n').filter((l) => !l.includes('authentication is OFF')).slice(-30).join('\n')).join('\n')
    expect(all.filter(ok).length, `${JSON.stringify(outcomes.map((steps) => steps.map(tagOf)).filter((steps) => steps.some((t) => t !== 'Right:completed')))}\n${logs()}`).toBeGreaterThanOrEqual(all.length * 0.9)

    // Nothing corrupted: every call loads, nothing is left in flight, and the stored hold slot is the simulator's.
    const inFlight = async () =>
      (await Promise.all(calls.map((id) => store.load(id))))
        .map((s, i) => ({ callId: calls[i], state: storedCallOf(s).value, inFlight: storedCallOf(s).context.inFlight, sending: s?.sending }))
        .filter((c) => Object.keys(c.inFlight).length > 0)
    await until(async () => (await inFlight()).length === 0, 25_000).catch(() => undefined)
    expect(await inFlight(), `outcomes: ${JSON.stringify(all.filter((r) => !ok(r)))}\n${logs()}`).toEqual([])
    for (const callId of calls) {
      const s = await store.load(callId)
      expect(s?.sending).toEqual({})
      const { context } = storedCallOf(s)
      const onHold = holdsOf(callId).filter((h) => h.end === undefined).map((h) => h.participantId)
      expect(context.hold === undefined ? [] : [context.hold.participantId]).toEqual(onHold)
      expect(overlapping(holdsOf(callId))).toBe(false)
    }
  }, 60_000)
})
