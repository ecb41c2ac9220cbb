import net from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectSimulator, createSimulator, SIMULATOR_APP_ID, type Simulator } from '../../src/simulator/index.js'

let sim: Simulator
beforeAll(async () => {
  sim = await createSimulator({ seed: 11 })
})
afterAll(() => sim.close())

describe('connectSimulator: a simulator in another process, over its admin API', () => {
  it('gives the URLs and app id a bot is configured with', () => {
    const remote = connectSimulator(`${sim.url}/`)
    expect(remote).toMatchObject({ url: sim.url, graphUrl: sim.graphUrl, openIdConfigUrl: sim.openIdConfigUrl, appId: SIMULATOR_APP_ID })
    expect(connectSimulator(sim.url, { appId: 'my-app' }).appId).toBe('my-app')
  })

  it('creates a call with its participants and hangs it up', async () => {
    const remote = connectSimulator(sim.url)
    const call = await remote.createCall({ callbackUrl: 'http://127.0.0.1:9/api/calls', participants: [{ id: 'alice', displayName: 'Alice' }, {}] })
    if (E.isLeft(call)) throw new Error(call.left.message)
    expect(call.right.participants.map((p) => p.id)[0]).toBe('alice')
    expect(call.right.participants).toHaveLength(2)
    expect(E.isRight(sim.call(call.right.callId))).toBe(true)
    expect(await remote.hangUp(call.right.callId)).toEqual(E.right(undefined))
    const view = sim.call(call.right.callId)
    expect(E.isRight(view) && view.right.state).toBe('terminated')
  })

  it('rings the bot and presses keys (refused as Conflict before subscribeToTone)', async () => {
    const remote = connectSimulator(sim.url)
    const call = await remote.ring({ callbackUrl: 'http://127.0.0.1:9/api/calls', caller: { displayName: 'Dana' } })
    if (E.isLeft(call)) throw new Error(call.left.message)
    expect(call.right.participants.map((p) => p.displayName)).toEqual(['Dana'])
    const view = sim.call(call.right.callId)
    expect(E.isRight(view) && view.right.state).toBe('incoming')
    const keys = await remote.pressKeys(call.right.callId, ['tone1'])
    expect(E.isLeft(keys) && keys.left._tag).toBe('Conflict')
  })

  it('answers the simulator’s refusals as values with their _tag', async () => {
    const remote = connectSimulator(sim.url)
    const bad = await remote.createCall({ callbackUrl: 'http://127.0.0.1:9/api/calls', participants: [{ id: 'not a valid id' }] })
    expect(E.isLeft(bad) && bad.left._tag).toBe('InvalidRequest')
    const gone = await remote.hangUp('no-such-call')
    expect(E.isLeft(gone) && gone.left._tag).toBe('NotFound')
  })

  it('answers Unreachable, without rejecting, when nothing listens there', async () => {
    const closed = net.createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const port = (closed.address() as net.AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const call = await connectSimulator(`http://127.0.0.1:${port}`).createCall({ callbackUrl: 'http://127.0.0.1:9/api/calls' })
    expect(E.isLeft(call) && call.left._tag).toBe('Unreachable')
  })
})
