import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ChangeType } from '../../src/codecs/CommsNotification.js'
import { OperationStatus } from '../../src/codecs/OperationStatus.js'
import { validateClientContext } from '../../src/codecs/ClientContext.js'
import { batch, operationNotification } from '../support/notifications.js'
import { LIVE, observe, startGraphSide, startLiveWorld, type GraphSide, type LiveWorld } from './liveCalls.js'

// Every name a plain object answers through Object.prototype, as a key lookup `obj[name]` sees it.
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype)

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

  it('a notification whose changeType is "constructor" is answered 400 and changes nothing', async () => {
    const before = observe(world.orchestrator)
    const body = batch({ ...operationNotification({ callId: LIVE.hold.callId, operationId: LIVE.hold.operationId, clientContext: LIVE.hold.clientContext }), changeType: 'constructor' })
    const r = await world.orchestrator.handleNotification(JSON.stringify(body), json)
    expect(r.status).toBe(400)
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

  it('a participant called "__proto__" does not replace the prototype of anything', async () => {
    const body = JSON.stringify(
      batch({
        changeType: 'updated',
        resourceUrl: `/communications/calls/${LIVE.roster.callId}/participants`,
        resourceData: [{ id: '__proto__', isMuted: true }, { id: 'constructor', isMuted: false }],
      }),
    )
    const r = await world.orchestrator.handleNotification(body, json)
    expect(r.status).toBe(202)
    expect(({} as Record<string, unknown>)['isMuted']).toBeUndefined()
    expect(Object.getPrototypeOf({})).toBe(Object.prototype)
    expect(world.orchestrator.getCall(LIVE.roster.callId)?.operations.map((o) => o.state)).toEqual(['running'])
  })
})
