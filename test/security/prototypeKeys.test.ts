import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createActor } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import { ChangeType } from '../../src/codecs/CommsNotification.js'
import { OperationStatus } from '../../src/codecs/OperationStatus.js'
import { validateClientContext } from '../../src/codecs/ClientContext.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import type { StoredCall } from '../../src/stores/SnapshotStore.js'
import { storedCallOf } from '../support/storedCallOf.js'
import { accepted, completed, hold, notified, request, running, startCall } from '../machines/callHarness.js'
import { startHarness, until } from '../orchestrator/harness.js'
import { documentedAnswer } from '../support/graphStandIn.js'
import { batch, operationNotification, post, rosterLeft, rosterUpdated } from '../support/notifications.js'
import { LIVE, observe, startGraphSide, startLiveWorld, type GraphSide, type LiveWorld } from './liveCalls.js'

// Every name a plain object answers through Object.prototype, as a key lookup `obj[name]` sees it.
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype)

// `__proto__` is the one a plain assignment turns into a prototype; the others are inherited data.
const PARTICIPANTS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty'] as const

const sortById = <T extends { readonly id: string }>(entries: readonly T[]): T[] => [...entries].sort((a, b) => a.id.localeCompare(b.id))

let graph: GraphSide
let world: LiveWorld
beforeAll(async () => {
  graph = await startGraphSide()
  world = await startLiveWorld(graph)
})
afterAll(async () => {
  await world.close()
  await graph.close()
})

const json = { 'content-type': 'application/json' }

describe('names of Object.prototype members are data, never lookups', () => {
  it('the changeType and status codecs refuse them in any casing', () => {
    for (const name of [...PROTOTYPE_NAMES, 'CONSTRUCTOR', '__PROTO__']) {
      expect(E.isLeft(ChangeType.decode(name)), name).toBe(true)
      expect(ChangeType.is(name), name).toBe(false)
      expect(E.isLeft(OperationStatus.decode(name)), name).toBe(true)
      expect(OperationStatus.is(name), name).toBe(false)
    }
    expect(ChangeType.decode('Deleted')).toEqual(E.right('deleted'))
    expect(OperationStatus.decode('Running')).toEqual(E.right('running'))
  })

  it('a notification whose changeType is "constructor" is refused alone (the batch is acknowledged) and changes nothing', async () => {
    const before = observe(world.orchestrator)
    const body = batch({ ...operationNotification({ callId: LIVE.hold.callId, operationId: LIVE.hold.operationId, clientContext: LIVE.hold.clientContext }), changeType: 'constructor' })
    const r = await world.orchestrator.handleNotification(JSON.stringify(body), json)
    expect(r.status).toBe(202)
    expect(observe(world.orchestrator)).toBe(before)
  })

  it('an operation notification whose clientContext names a prototype member matches nothing and leaves the call readable', async () => {
    const before = observe(world.orchestrator)
    for (const clientContext of PROTOTYPE_NAMES) {
      const body = batch(operationNotification({ callId: LIVE.hold.callId, operationId: 'not-an-operation-of-ours', clientContext }))
      const r = await world.orchestrator.handleNotification(JSON.stringify(body), json)
      expect(r.status, clientContext).toBe(202)
    }
    const after = JSON.parse(observe(world.orchestrator)) as { calls: unknown; stats: { unmatchedNotifications: number } }
    const was = JSON.parse(before) as { calls: unknown; stats: { unmatchedNotifications: number } }
    // Only the count of unmatched notifications moves; no operation appears or ends.
    expect(after.calls).toEqual(was.calls)
    expect(after.stats.unmatchedNotifications).toBe(was.stats.unmatchedNotifications + PROTOTYPE_NAMES.length)
  })

  it('the bot cannot name an operation after a prototype member either', async () => {
    for (const clientContext of PROTOTYPE_NAMES) {
      expect(validateClientContext(clientContext), clientContext).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidRequest', path: 'clientContext' } })
      const r = await world.orchestrator.unmute({ callId: LIVE.roster.callId, clientContext })
      expect(E.isLeft(r) && r.left._tag, clientContext).toBe('InvalidRequest')
    }
  })

  it('participants named after prototype members are in the roster getCall shows, and leave it', async () => {
    const roster = () => world.orchestrator.getCall(LIVE.roster.callId)?.roster ?? []
    const before = roster()
    const body = batch(rosterUpdated(LIVE.roster.callId, PARTICIPANTS.map((id, i) => ({ id, isMuted: i % 2 === 0, name: `name of ${id}` }))))
    expect((await world.orchestrator.handleNotification(JSON.stringify(body), json)).status).toBe(202)
    expect(sortById(roster())).toEqual(sortById([...before, ...PARTICIPANTS.map((id, i) => ({ id, isMuted: i % 2 === 0, displayName: `name of ${id}`, isInLobby: false, identity: [{ kind: 'user', displayName: `name of ${id}` }] }))]))
    expect(world.orchestrator.getCall(LIVE.roster.callId)?.operations.map((o) => o.state)).toEqual(['running'])
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)

    const left = batch(rosterLeft(LIVE.roster.callId, '__proto__'), rosterLeft(LIVE.roster.callId, 'toString'))
    expect((await world.orchestrator.handleNotification(JSON.stringify(left), json)).status).toBe(202)
    expect(roster().map((p) => p.id).sort()).toEqual([...before.map((p) => p.id), 'constructor', 'hasOwnProperty'].sort())
  })

  it('a "__proto__" member of a JSON body sets no field of the entry it is in', async () => {
    const body = JSON.stringify(batch(rosterUpdated(LIVE.roster.callId, [{ id: 'plain-participant' }]))).replace(
      '"id":"plain-participant"',
      '"id":"plain-participant","__proto__":{"isMuted":true,"displayName":"Mallory"}',
    )
    expect((await world.orchestrator.handleNotification(body, json)).status).toBe(202)
    expect(world.orchestrator.getCall(LIVE.roster.callId)?.roster.find((p) => p.id === 'plain-participant')).toEqual({ id: 'plain-participant', isInLobby: false })
  })
})

describe('records keyed by ids from outside keep every key as an entry', () => {
  it('the call machine keeps participants named after prototype members through a persisted snapshot and back', () => {
    const call = startCall()
    call.send({ type: 'roster.updated', participants: PARTICIPANTS.map((id) => ({ id, isMuted: true })) })
    const roster = call.context().roster
    expect(Object.getPrototypeOf(roster)).toBe(Object.prototype)
    expect(Object.keys(roster).sort()).toEqual([...PARTICIPANTS].sort())
    for (const id of PARTICIPANTS) expect(Object.getOwnPropertyDescriptor(roster, id)?.value, id).toEqual({ id, isMuted: true })

    const restored = createActor(callMachine, { snapshot: JSON.parse(JSON.stringify(call.actor.getPersistedSnapshot())) as never, input: { callId: 'call-1' } })
    restored.start()
    const back = restored.getSnapshot().context.roster
    expect(Object.keys(back).sort()).toEqual([...PARTICIPANTS].sort())
    // A change to the entry is seen as one (its guard reads the own entry), and removal removes only it.
    restored.send({ type: 'roster.updated', participants: [{ id: '__proto__', isMuted: false }] })
    expect(Object.getOwnPropertyDescriptor(restored.getSnapshot().context.roster, '__proto__')?.value).toEqual({ id: '__proto__', isMuted: false })
    restored.send({ type: 'roster.removed', participantIds: ['__proto__', 'constructor'] })
    expect(Object.keys(restored.getSnapshot().context.roster).sort()).toEqual(['hasOwnProperty', 'toString'])
    restored.stop()
  })

  it('the call machine tracks, joins and settles requests whose clientContexts are prototype members', () => {
    const call = startCall({ kind: 'group' })
    const sent = call.send(request('__proto__', 'unmute'), request('constructor', 'unmute'), hold('toString', 'A'))
    expect(sent.map((e) => e.type === 'effect.http' && e.clientContext)).toEqual(['__proto__', 'toString'])
    expect(Object.keys(call.context().inFlight).sort()).toEqual(['__proto__', 'toString'])
    expect(Object.keys(call.context().joiners)).toEqual(['__proto__'])
    call.send(accepted('__proto__', completed()), accepted('toString', running), notified(completed('toString')))
    for (const key of ['__proto__', 'constructor', 'toString']) expect(call.settled(key), key).toMatchObject([{ result: { ok: true } }])
    expect(call.context().inFlight).toEqual({})
    expect(call.context().joiners).toEqual({})
    expect(call.state()).toBe('established.hold.held')
  })

  it('the call machine matches operation ids that are prototype members, also when the notification beats the HTTP answer', () => {
    const call = startCall()
    // The final notification comes first and names no clientContext: it is kept by operation id.
    call.send(request('p1', 'playPrompt'), notified({ id: '__proto__', status: 'completed', resultInfo: { code: 200 } }))
    expect(Object.keys(call.context().orphans)).toEqual(['__proto__'])
    call.send(accepted('p1', { id: '__proto__', status: 'running' }))
    expect(call.settled('p1')).toMatchObject([{ result: { ok: true, operation: { id: '__proto__', status: 'completed' } } }])
    expect(call.context().orphans).toEqual({})

    call.send(request('p2', 'playPrompt'), accepted('p2', { id: 'constructor', status: 'running' }))
    expect(call.context().inFlight['p2']?.id).toBe('constructor')
    call.send(notified({ id: 'constructor', status: 'completed', resultInfo: { code: 200 } }))
    expect(call.settled('p2')).toMatchObject([{ result: { ok: true, operation: { id: 'constructor' } } }])
    // An id that is only a prototype member matches nothing.
    expect(call.send(notified({ id: 'toString', status: 'completed' }))).toMatchObject([{ type: 'notification.unmatched' }])
  })

  it('the orchestrator settles operations Graph names after prototype members, by id alone', async () => {
    const ids = ['__proto__', 'constructor', 'toString']
    let next = 0
    // Each answer also carries a "__proto__" member with a failing resultInfo: it must not become the operation's.
    const poisoned = '{"__proto__":{"resultInfo":{"code":500,"subcode":1,"message":"from a __proto__ member"}},'
    const h = await startHarness({}, (req) => {
      const a = documentedAnswer(req)
      const body = JSON.stringify({ ...(a.body as Record<string, unknown>), id: ids[next++] ?? 'none', status: 'running' })
      return { ...a, body: body.replace(/^\{/, poisoned) }
    })
    try {
      const callId = 'a1b2c3d4-0000-4000-8000-000000000001'
      const results = ids.map((_, i) => h.orchestrator.playPrompt({ callId, clientContext: `prompt-${i}`, prompts: [{ mediaInfo: { uri: 'https://bot.example/a.wav' } }] }))
      await until(() => h.orchestrator.getCall(callId)?.operations.filter((o) => o.state === 'running').length === ids.length)
      expect(h.orchestrator.getCall(callId)?.operations.map((o) => o.id).sort()).toEqual([...ids].sort())
      for (const id of ids) expect((await post(h.webhookUrl, batch(operationNotification({ callId, operationId: id })))).status).toBe(202)
      const settled = await Promise.all(results)
      expect(settled.map((r) => E.isRight(r) && r.right.id)).toEqual(ids)
      for (const r of settled) expect(E.isRight(r) && r.right.resultInfo).toBeUndefined()
      expect(h.orchestrator.getCall(callId)?.operations).toEqual([])
    } finally {
      await h.close()
    }
  })

  it('the snapshot a durable store keeps has the entry, and restores with it', async () => {
    const store = createMemoryStore({ durable: true })
    const h = await startHarness({ store })
    try {
      const callId = 'a1b2c3d4-0000-4000-8000-000000000002'
      let rosterApplied = false
      h.orchestrator.subscribe((e) => {
        if (e.type === 'transition' && e.event === 'roster.updated') rosterApplied = true
      })
      const held = h.orchestrator.startHoldMusic({ callId, participantId: 'A' })
      await until(() => h.orchestrator.getCall(callId)?.operations[0]?.state === 'running')
      expect((await post(h.webhookUrl, batch(rosterUpdated(callId, PARTICIPANTS.map((id) => ({ id })))))).status).toBe(202)
      // Published once the durable store has the transition.
      await until(() => rosterApplied)
      expect((h.orchestrator.getCall(callId)?.roster ?? []).map((p) => p.id).sort()).toEqual([...PARTICIPANTS].sort())
      const stored = await store.load(callId)
      // Read back as callops reads a stored call: the versioned envelope, decoded.
      const snapshot = { ...storedCallOf(JSON.parse(JSON.stringify(stored)) as StoredCall), output: undefined, error: undefined }
      const restored = createActor(callMachine, { snapshot, input: { callId } }).start()
      expect(Object.keys(restored.getSnapshot().context.roster).sort()).toEqual([...PARTICIPANTS].sort())
      restored.stop()
      await h.orchestrator.close()
      expect(E.isLeft(await held)).toBe(true)
    } finally {
      await h.close()
    }
  })
})
