import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createGraphClient, type ActionResult, type GraphClient } from '../../src/index.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { requestIdFor } from '../../src/runtime/requestIdFor.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { controlledClock, type ControlledClock } from '../support/controlledClock.js'
import { documentedAnswer, type Responder, type SeenRequest, type StandInAnswer } from '../support/graphStandIn.js'
import { batch, operationNotification, post, rosterUpdated, terminated } from '../support/notifications.js'
import { sharedStores } from './sharedStores.js'
import { startInstances, type Instance, type Instances } from './instances.js'
import { storedCallOf } from '../support/storedCallOf.js'


const until = async (predicate: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

const makers = sharedStores('instances')

const isSettlement = (s: unknown) => s !== undefined

/** What Graph answered each request with: the operation id a notification must carry. */
const answered = new Map<string, string>()
const recording = (req: SeenRequest): StandInAnswer => {
  const a = documentedAnswer(req)
  answered.set(String(req.body['clientContext']), (a.body as { id: string }).id)
  return a
}

/** Posts the completion of `req` to `to`, as Graph would to whichever instance the balancer picks. */
const complete = (to: Instance, req: SeenRequest, status = 'completed') =>
  post(
    to.webhookUrl,
    batch(
      operationNotification({
        callId: req.callId,
        operationId: answered.get(String(req.body['clientContext'])) ?? randomUUID(),
        clientContext: String(req.body['clientContext']),
        status,
        odataType: `#microsoft.graph.${req.action}Operation`,
      }),
    ),
  )

const requestsOf = (x: Instances, callId: string, action?: string) =>
  x.graph.requests.filter((r) => r.callId === callId && (action === undefined || r.action === action))

describe.each(makers)('%s: several orchestrators sharing it', (_name, makeStore) => {
  let x: Instances | undefined
  let cleanup: (() => Promise<void>) | undefined
  afterEach(async () => {
    await x?.close()
    await cleanup?.()
    x = undefined
    cleanup = undefined
  })

  const start = async (n: number, clock?: ControlledClock, respond: Responder = recording) => {
    const made = await makeStore(clock?.now ?? Date.now)
    cleanup = made.cleanup
    x = await startInstances(n, made.store, clock === undefined ? {} : { clock }, respond)
    return { x, store: made.store }
  }

  it('answers a caller on one instance when another applies the completion: hold, stop, unmute', async () => {
    const { x } = await start(2)
    const [a, b] = x.all as [Instance, Instance]
    const callId = randomUUID()
    const held = a.orchestrator.startHoldMusic({ callId, participantId: 'p1' })
    await until(() => requestsOf(x, callId, 'startHoldMusic').length === 1)
    await until(() => a.orchestrator.getCall(callId)?.operations[0]?.state === 'running')
    expect((await complete(b, requestsOf(x, callId, 'startHoldMusic')[0]!)).status).toBe(202)
    const h = await held
    expect(E.isRight(h) && h.right.status).toBe('completed')
    await until(() => b.orchestrator.getCall(callId)?.hold?.phase === 'held')

    const stopped = b.orchestrator.stopHoldMusic({ callId, participantId: 'p1' })
    await until(() => requestsOf(x, callId, 'stopHoldMusic').length === 1)
    await until(() => b.orchestrator.getCall(callId)?.state === 'established.hold.releasing' && b.orchestrator.getCall(callId)?.operations[0]?.state === 'running')
    await complete(a, requestsOf(x, callId, 'stopHoldMusic')[0]!)
    const s = await stopped
    expect(E.isRight(s) && s.right.status).toBe('completed')

    const unmuted = await a.orchestrator.unmute({ callId })
    expect(E.isRight(unmuted) && unmuted.right.status).toBe('completed')
    expect(a.orchestrator.stats().pendingOperations + b.orchestrator.stats().pendingOperations).toBe(0)
    // The same request, whoever sends it, carries a client-request-id derived from its call and clientContext.
    const req = requestsOf(x, callId, 'startHoldMusic')[0]!
    expect(req.headers['client-request-id']).toBe(requestIdFor(canonicalId(callId), String(req.body['clientContext'])))
  })

  it('lets one of two instances holding different participants of a call at once win; the other answers HoldConflict and sends nothing', async () => {
    let turn = 0
    const { x } = await start(2, undefined, (req) => {
      const a = recording(req)
      // The completion goes to the instances in turn, as a round-robin balancer would send it.
      setTimeout(() => void complete(x.all[turn++ % 2]!, req), 2)
      return a
    })
    const [a, b] = x.all as [Instance, Instance]
    const callIds = Array.from({ length: 30 }, () => randomUUID())
    const results = await Promise.all(
      callIds.map((callId) => Promise.all([a.orchestrator.startHoldMusic({ callId, participantId: 'p1' }), b.orchestrator.startHoldMusic({ callId, participantId: 'p2' })])),
    )
    for (const [i, pair] of results.entries()) {
      const won = pair.filter(E.isRight)
      const lost = pair.filter(E.isLeft)
      expect(won).toHaveLength(1)
      expect(lost.map((l) => l.left._tag)).toEqual(['HoldConflict'])
      expect(requestsOf(x, callIds[i]!, 'startHoldMusic')).toHaveLength(1)
    }
  })

  it('queues the loser under the queue policy and holds it once the winner is released', async () => {
    let turn = 0
    const { x } = await start(2, undefined, (req) => {
      const a = recording(req)
      setTimeout(() => void complete(x.all[turn++ % 2]!, req), 2)
      return a
    })
    const [a, b] = x.all as [Instance, Instance]
    for (let n = 0; n < 8; n++) {
      const callId = randomUUID()
      const first = a.orchestrator.startHoldMusic({ callId, participantId: 'p1', holdPolicy: 'queue' })
      const second = b.orchestrator.startHoldMusic({ callId, participantId: 'p2', holdPolicy: 'queue' })
      const winner = await Promise.race([first.then(() => 'p1'), second.then(() => 'p2')])
      const stop = await (winner === 'p1' ? b : a).orchestrator.stopHoldMusic({ callId, participantId: winner })
      expect(E.isRight(stop)).toBe(true)
      const [r1, r2] = await Promise.all([first, second])
      expect(E.isRight(r1) && E.isRight(r2)).toBe(true)
      expect(requestsOf(x, callId).map((r) => `${r.action} ${r.participantId}`)).toEqual([
        `startHoldMusic ${winner}`,
        `stopHoldMusic ${winner}`,
        `startHoldMusic ${winner === 'p1' ? 'p2' : 'p1'}`,
      ])
    }
  })

  it('times each operation out exactly once, whichever instance sweeps first', async () => {
    const clock = controlledClock(Date.now())
    const { x, store } = await start(2, clock)
    const [a, b] = x.all as [Instance, Instance]
    const callIds = Array.from({ length: 20 }, () => randomUUID())
    const results = callIds.map((callId, i) => (i % 2 === 0 ? a : b).orchestrator.startHoldMusic({ callId, participantId: 'p1' }))
    await until(() => x.graph.requests.length === 20)
    await until(() => callIds.every((c) => [a, b].some((i) => i.orchestrator.getCall(c)?.operations[0]?.state === 'running')))
    // Time passes second by second, so both instances keep renewing their leases: one jump of a
    // minute would be a stall that fences them both (and then each claims the other's deadlines).
    for (let s = 0; s < 61; s++) {
      clock.advance(1_000)
      await new Promise((r) => setTimeout(r, 2))
    }
    const settled = await Promise.all(results)
    expect(settled.map((r) => E.isLeft(r) && r.left._tag)).toEqual(callIds.map(() => 'Timeout'))
    // A caller may hear the stored outcome before the sweeping instance reports its transition.
    const deadlines = () => [...a.events, ...b.events].filter((e) => e.type === 'transition' && e.event === 'deadline.reached')
    await until(() => deadlines().length >= callIds.length)
    await new Promise((r) => setTimeout(r, 100))
    expect(deadlines().map((e) => e.callId).sort()).toEqual([...callIds].sort())
    // The outcome came from the stored timeout (the sweeper), not from a caller's own backstop.
    const stored = await Promise.all(callIds.map((c, i) => store.settlement(c, String(requestsOf(x, c)[0]?.body['clientContext'] ?? i))))
    expect(stored.every(isSettlement)).toBe(true)
  })

  it('restore() on another instance resends what a closed instance recorded but never sent, with the same ids', async () => {
    const { x, store } = await start(1)
    const [b] = x.all as [Instance]
    // Instance A records its request and dies before the request leaves.
    const real = createGraphClient({ baseUrl: x.graph.baseUrl, getToken: async () => 't' })
    const hanging: GraphClient = { ...real, send: () => () => new Promise(() => {}) }
    const a = await x.add({ graph: { client: hanging } })
    const callId = randomUUID()
    const lost: Promise<ActionResult> = a.orchestrator.startHoldMusic({ callId, participantId: 'p1', clientContext: 'hold-from-a' })
    await until(async () => Object.keys((await store.load(canonicalId(callId)))?.sending ?? {}).length === 1)
    await a.close()
    await real.close()
    expect(E.isLeft(await lost)).toBe(true)
    expect(requestsOf(x, callId)).toHaveLength(0)

    expect(await b.orchestrator.restore()).toBeGreaterThanOrEqual(1)
    await until(() => requestsOf(x, callId).length === 1)
    const req = requestsOf(x, callId)[0]!
    expect(req.body['clientContext']).toBe('hold-from-a')
    expect(req.headers['client-request-id']).toBe(requestIdFor(canonicalId(callId), 'hold-from-a'))
    await until(() => b.orchestrator.getCall(callId)?.operations[0]?.state === 'running')
    await complete(b, req)
    await until(async () => (await store.settlement(canonicalId(callId), 'hold-from-a')) !== undefined)
    const outcome = await store.settlement(canonicalId(callId), 'hold-from-a')
    expect(outcome?.result.ok).toBe(true)
    expect(b.orchestrator.getCall(callId)?.hold?.phase).toBe('held')
  })

  it('restore() leaves alone the unanswered requests of an instance that is alive', async () => {
    let release: (() => void) | undefined
    const { x } = await start(2, undefined, async (req) => {
      await new Promise<void>((r) => (release = r))
      return recording(req)
    })
    const [a, b] = x.all as [Instance, Instance]
    const callId = randomUUID()
    const held = a.orchestrator.startHoldMusic({ callId, participantId: 'p1' })
    await until(() => requestsOf(x, callId).length === 1)
    expect(await b.orchestrator.restore()).toBeGreaterThanOrEqual(1)
    await new Promise((r) => setTimeout(r, 100))
    expect(requestsOf(x, callId)).toHaveLength(1)
    release?.()
    await until(() => a.orchestrator.getCall(callId)?.operations[0]?.state === 'running')
    await complete(b, requestsOf(x, callId)[0]!)
    expect(E.isRight(await held)).toBe(true)
  })

  it('answers a caller with the stored outcome by its deadline when the announcement never reached its instance', async () => {
    const clock = controlledClock(Date.now())
    const { x, store } = await start(1, clock)
    const [b] = x.all as [Instance]
    // A's store hears no announcement (a subscriber connection that lost them all).
    const deaf: SnapshotStore = { ...store, subscribe: async () => async () => {} }
    const a = await x.add({ store: deaf, clock })
    const callId = randomUUID()
    const held = a.orchestrator.startHoldMusic({ callId, participantId: 'p1' })
    let answer: ActionResult | undefined
    void held.then((r) => (answer = r))
    await until(() => requestsOf(x, callId).length === 1)
    await until(() => a.orchestrator.getCall(callId)?.operations[0]?.state === 'running')
    await complete(b, requestsOf(x, callId)[0]!)
    await until(async () => (await store.settlement(canonicalId(callId), String(requestsOf(x, callId)[0]!.body['clientContext']))) !== undefined)
    await new Promise((r) => setTimeout(r, 50))
    expect(answer).toBeUndefined()
    clock.advance(65_000)
    const r = await held
    expect(E.isRight(r) && r.right.status).toBe('completed')
  })

  it('drops from its cache a call that ended on another instance, and answers a later command CallEnded', async () => {
    const clock = controlledClock(Date.now())
    const { x, store } = await start(2, clock)
    const [a, b] = x.all as [Instance, Instance]
    const callId = randomUUID()
    const unmuted = await a.orchestrator.unmute({ callId })
    expect(E.isRight(unmuted)).toBe(true)
    expect((await post(b.webhookUrl, batch(terminated(callId)))).status).toBe(202)
    await until(async () => !(await store.listOpen()).includes(callId))
    expect(a.orchestrator.getCall(callId)?.state).toBe('established.hold.free')
    clock.advance(61_000)
    await until(() => a.orchestrator.getCall(callId) === undefined)
    const late = await a.orchestrator.unmute({ callId })
    expect(E.isLeft(late) && late.left._tag).toBe('CallEnded')
  })

  it('applies an event once when its save went through but the answer was lost, and sends the request once', async () => {
    const { x, store } = await start(0)
    let saves = 0
    // The first save reaches the store, then the connection drops before its answer.
    const lossy: SnapshotStore = {
      ...store,
      save: async (...args) => {
        const r = await store.save(...args)
        if (saves++ === 0) throw new Error('Connection is closed.')
        return r
      },
    }
    const a = await x.add({ store: lossy })
    const callId = randomUUID()
    const r = await a.orchestrator.unmute({ callId })
    expect(E.isRight(r) && r.right.status).toBe('completed')
    expect(requestsOf(x, callId)).toHaveLength(1)
    expect(storedCallOf(await store.load(canonicalId(callId)))).toMatchObject({ context: { inFlight: {}, botMuted: false } })
  })

  it('sends a request once when its save went through, the answer was lost and another instance saved before the retry', async () => {
    const { x, store } = await start(1)
    const [b] = x.all as [Instance]
    const callId = randomUUID()
    let saves = 0
    const lossy: SnapshotStore = {
      ...store,
      save: async (...args) => {
        const r = await store.save(...args)
        if (saves++ === 0) {
          // Before the retry, instance B saves a roster change of the same call.
          expect((await post(b.webhookUrl, batch(rosterUpdated(callId, [{ id: 'p9', name: 'Nine' }])))).status).toBe(202)
          await until(async () => ((await store.load(canonicalId(callId)))?.version ?? 0) >= 2)
          throw new Error('Connection is closed.')
        }
        return r
      },
    }
    const a = await x.add({ store: lossy })
    const r = await a.orchestrator.unmute({ callId })
    expect(E.isRight(r) && r.right.status).toBe('completed')
    expect(requestsOf(x, callId)).toHaveLength(1)
    const stored = storedCallOf(await store.load(canonicalId(callId)))
    expect(Object.keys(stored.context.roster)).toEqual(['p9'])
    expect(stored.context.inFlight).toEqual({})
    expect(stored.context.botMuted).toBe(false)
  })

  it('answers a caller with a clear error when its request cannot be recorded, and sends nothing', async () => {
    const { x, store } = await start(0)
    const broken: SnapshotStore = { ...store, save: async () => Promise.reject(new Error('Connection is closed.')) }
    const a = await x.add({ store: broken })
    const callId = randomUUID()
    const r = await a.orchestrator.startHoldMusic({ callId, participantId: 'p1' })
    expect(E.isLeft(r) && r.left._tag).toBe('Cancelled')
    expect(E.isLeft(r) && r.left.message).toMatch(/could not record the request in the store: Connection is closed/)
    expect(requestsOf(x, callId)).toHaveLength(0)
  })
})
