import { createWebSocketInspector } from '@statelyai/inspect'
import { createInspectorServer } from '@statelyai/inspect/server'
import * as E from 'fp-ts/lib/Either.js'
import { WebSocket } from 'undici'
import type { InspectionEvent } from 'xstate'
import { afterEach, describe, expect, it } from 'vitest'
import { freePort } from '../support/freePort.js'
import { canonicalId } from '../../src/index.js'
import { documentedAnswer } from '../support/graphStandIn.js'
import { batch, operationNotification, post } from '../support/notifications.js'
import { startHarness, until, type Harness } from '../orchestrator/harness.js'

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const A = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'

let h: Harness | undefined
const cleanups: (() => void)[] = []
afterEach(async () => {
  await h?.close()
  h = undefined
  for (const c of cleanups.splice(0)) c()
})

/** Holds A and completes the hold by notification, so the operation child lives its whole life. */
const holdAndComplete = async (harness: Harness): Promise<void> => {
  const ids = new Map<string, string>()
  harness.graph.respond = (req) => {
    const answer = documentedAnswer(req)
    ids.set(String(req.body['clientContext']), (answer.body as { id: string }).id)
    return answer
  }
  const held = harness.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-a' })
  await until(() => harness.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
  await post(harness.webhookUrl, batch(operationNotification({ callId: CALL, operationId: ids.get('hold-a') ?? null, clientContext: 'hold-a' })))
  expect(E.isRight(await held)).toBe(true)
}

/** The actor's id: the call's canonical id, or the operation's clientContext. */
const idOf = (e: InspectionEvent): unknown => ('id' in e.actorRef ? e.actorRef.id : undefined)

/** Connects like the inspector's browser page does; retries while the server is still starting. */
const connectViewer = async (port: number, onMessage: (data: string) => void): Promise<WebSocket> => {
  for (let attempt = 0; ; attempt++) {
    try {
      return await new Promise<WebSocket>((resolve, reject) => {
        const ws = new WebSocket(`ws://127.0.0.1:${port}`)
        ws.onopen = () => resolve(ws)
        ws.onerror = () => reject(new Error('the inspector server did not accept the viewer'))
        ws.onmessage = (m) => onMessage(String(m.data))
      })
    } catch (err) {
      if (attempt === 50) throw err
      await new Promise((r) => setTimeout(r, 20))
    }
  }
}

describe('the XState inspector sees every call and operation actor', () => {
  it('an inspect observer given to createCallOrchestrator receives events of the call actor and its operation children', async () => {
    const seen: InspectionEvent[] = []
    h = await startHarness({ inspect: (e) => seen.push(e) })
    await holdAndComplete(h)

    const callKey = canonicalId(CALL)
    const actors = seen.filter((e) => e.type === '@xstate.actor').map(idOf)
    expect(actors).toContain(callKey)
    expect(actors).toContain('hold-a')
    const call = seen.find((e) => e.type === '@xstate.actor' && idOf(e) === callKey)
    const child = seen.find((e) => e.type === '@xstate.actor' && idOf(e) === 'hold-a')
    // The operation is a child of the call: both belong to the call's actor system.
    expect(child?.rootId).toBe(call?.rootId)
    const eventsTo = (id: string) => seen.flatMap((e) => (e.type === '@xstate.event' && idOf(e) === id ? [e.event.type] : []))
    expect(eventsTo(callKey)).toEqual(expect.arrayContaining(['operation.requested', 'http.accepted', 'notification.operation']))
    expect(eventsTo('hold-a').length).toBeGreaterThan(0)
    const last = seen.filter((e) => e.type === '@xstate.snapshot' && idOf(e) === callKey).at(-1)
    expect(last?.type === '@xstate.snapshot' && last.snapshot).toMatchObject({ value: { established: { hold: 'held', transfer: 'idle' } } })
  })

  it('the guide’s recipe: createInspectorServer({ autoOpen: false }) + createWebSocketInspector relays the events over a local WebSocket', async () => {
    const port = await freePort()
    const server = createInspectorServer({ port, autoOpen: false })
    cleanups.push(() => server.stop())
    // What the browser page does: connect to the server and receive the relayed events.
    const received: { type: string; name?: string; sessionId: string }[] = []
    const viewer = await connectViewer(port, (m) => received.push(JSON.parse(m) as (typeof received)[number]))
    cleanups.push(() => viewer.close())
    const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` })
    cleanups.push(() => inspector.stop())

    h = await startHarness({ inspect: inspector.inspect })
    await holdAndComplete(h)
    await until(() => received.some((e) => e.type === '@xstate.actor' && e.name === 'hold-a'), 10_000)
    expect(received.some((e) => e.type === '@xstate.actor' && e.name === canonicalId(CALL))).toBe(true)
    expect(received.some((e) => e.type === '@xstate.event')).toBe(true)
  })
})
