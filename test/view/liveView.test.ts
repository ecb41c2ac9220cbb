import http from 'node:http'
import type { AddressInfo } from 'node:net'
import express from 'express'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { callMachine, createLiveView, toMachineGraph, type ViewMessage } from '../../src/index.js'
import { startViewHarness, type ViewHarness } from './viewHarness.js'

let h: ViewHarness | undefined
const cleanups: (() => Promise<void> | void)[] = []
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c()
  await h?.close()
  h = undefined
})

/** Reads a live view stream as a page would, collecting its messages. */
const readStream = async (url: string) => {
  const controller = new AbortController()
  const response = await fetch(url, { signal: controller.signal })
  const messages: ViewMessage[] = []
  const done = (async () => {
    const reader = response.body?.getReader()
    let text = ''
    for (;;) {
      const chunk = await reader?.read().catch(() => undefined)
      if (chunk === undefined || chunk.done) return
      text += new TextDecoder().decode(chunk.value)
      let end: number
      while ((end = text.indexOf('\n\n')) >= 0) {
        const frame = text.slice(0, end)
        text = text.slice(end + 2)
        if (frame.startsWith('data: ')) messages.push(JSON.parse(frame.slice(6)) as ViewMessage)
      }
    }
  })()
  cleanups.push(async () => {
    controller.abort()
    await done
  })
  const until = async (predicate: (ms: readonly ViewMessage[]) => boolean): Promise<void> => {
    const end = Date.now() + 15_000
    while (!predicate(messages)) {
      if (Date.now() > end) throw new Error(`the stream did not show it; got ${messages.map((m) => m.k).join(',')}`)
      await new Promise((r) => setTimeout(r, 5))
    }
  }
  return { status: response.status, messages, until }
}

const events = (url: string): string => {
  const u = new URL(url)
  return `${u.origin}/events${u.search}`
}

describe('the live view', () => {
  it('refuses bad options at once, naming the option', () => {
    expect(() => createLiveView({ port: 70_000 })).toThrow(/port: .*Port \(an integer from 0 to 65535\)/)
    expect(() => createLiveView({ token: '' })).toThrow(/token/)
    expect(() => createLiveView({ maxClients: 0 })).toThrow(/maxClients/)
  })

  it('builds nothing while no page is open: a page opened later gets the calls as they are, not their past events', async () => {
    h = await startViewHarness()
    // The same orchestrator once more, counting the call pictures the view asks for.
    const orchestrator = h.orchestrator
    let pictures = 0
    h.view.attach({ subscribe: orchestrator.subscribe, stats: orchestrator.stats, getCall: (id) => (pictures++, orchestrator.getCall(id)) })
    const { callId, alice } = h.newCall()
    expect(E.isRight(await h.orchestrator.startHoldMusic({ callId, participantId: alice }))).toBe(true)
    expect(pictures).toBe(0)
    const stream = await readStream(events(h.url))
    await stream.until((ms) => ms.some((m) => m.k === 'call'))
    // Events of the call that happen after the page opened (a roster update on its way) may follow;
    // nothing from before the page opened may.
    const hello = stream.messages[0]
    const openedAt = hello?.k === 'hello' ? hello.t : Number.NaN
    expect(stream.messages.filter((m) => (m.k === 'ev' || m.k === 'xev' || m.k === 'snap') && !(m.t >= openedAt))).toEqual([])
    const call = stream.messages.find((m) => m.k === 'call')
    expect(call?.k === 'call' && { state: call.call.state, hold: call.call.hold, opened: call.opened }).toEqual({
      state: 'established.hold.held',
      hold: { participantId: alice, phase: 'held' },
      opened: true,
    })
    // From now on it sees every event, the orchestrator's and XState's.
    expect(E.isRight(await h.orchestrator.stopHoldMusic({ callId, participantId: alice }))).toBe(true)
    await stream.until((ms) => ms.some((m) => m.k === 'ev' && m.e.type === 'settled'))
    await stream.until((ms) => ms.some((m) => m.k === 'snap' && m.m === 'operation' && m.state === 'completed'))
    expect(stream.messages.some((m) => m.k === 'xev' && m.type === 'operation.requested')).toBe(true)
  })

  it('never sends a recording access token to a page, in results or in machine events', async () => {
    h = await startViewHarness()
    const stream = await readStream(events(h.url))
    await stream.until((ms) => ms.some((m) => m.k === 'hello'))
    const { callId } = h.newCall()
    const record = await h.orchestrator.recordResponse({ callId, maxRecordDurationInSeconds: 10 })
    // The bot gets the token: only the page must not.
    expect(E.isRight(record) && record.right.recordingAccessToken).toMatch(/^sim-recording-token-/)
    await stream.until((ms) => ms.some((m) => m.k === 'ev' && m.e.type === 'settled'))
    await stream.until((ms) => ms.some((m) => m.k === 'snap' && m.m === 'operation' && m.state === 'completed'))
    const text = JSON.stringify(stream.messages)
    expect(text).not.toMatch(/sim-recording-token/)
    expect(text).toMatch(/recordingAccessToken/)
  })

  it('replays what happened while a page was open to a page that opens later', async () => {
    h = await startViewHarness()
    const first = await readStream(events(h.url))
    await first.until((ms) => ms.some((m) => m.k === 'hello'))
    const { callId, alice, bob } = h.newCall()
    expect(E.isRight(await h.orchestrator.startHoldMusic({ callId, participantId: alice }))).toBe(true)
    expect(E.isLeft(await h.orchestrator.startHoldMusic({ callId, participantId: bob }))).toBe(true)
    const second = await readStream(events(h.url))
    await second.until((ms) => ms.some((m) => m.k === 'call' && m.opened === true))
    const refused = second.messages.find((m) => m.k === 'ev' && m.e.type === 'settled' && m.e['ok'] === false)
    expect(refused?.k === 'ev' && refused.e['error']).toMatchObject({ _tag: 'HoldConflict', heldBy: alice })
    // The history comes before the state now, so the page ends on the latest state.
    const kinds = second.messages.map((m) => (m.k === 'call' && m.opened === true ? 'now' : m.k))
    expect(kinds[0]).toBe('hello')
    // What happened before the page opened (the refused hold among it) comes before the state; only
    // events that happen after it (an HTTP answer still on its way) may follow.
    expect(second.messages.indexOf(refused as never)).toBeLessThan(kinds.indexOf('now'))
    expect(kinds.indexOf('ev')).toBeLessThan(kinds.indexOf('now'))
  })

  it('mounts under a path of Express next to the webhook; answers 405 to other methods and 503 past maxClients', async () => {
    const view = createLiveView({ maxClients: 1 })
    const app = express()
    app.use('/view', view.handler)
    const server = http.createServer(app)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    cleanups.push(async () => {
      await view.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/view`
    const page = await fetch(`${base}/`)
    expect(page.status).toBe(200)
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'/)
    const html = await page.text()
    expect(html).toContain('callops live view')
    // Nothing in it points anywhere else.
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/)
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405)
    const stream = await readStream(`${base}/events`)
    expect(stream.status).toBe(200)
    await stream.until((ms) => ms.some((m) => m.k === 'hello' && m.machines.some((g) => g.id === 'call')))
    expect((await fetch(`${base}/events`)).status).toBe(503)
  })

  it('draws a machine from its definition: every state, and each transition with a target', () => {
    const graph = toMachineGraph(callMachine)
    const hold = graph.nodes.find((n) => n.path === 'established.hold')
    expect(hold).toMatchObject({ type: 'compound', initial: 'free', children: ['free', 'holding', 'held', 'releasing'] })
    expect(graph.nodes.find((n) => n.path === 'established')).toMatchObject({ type: 'parallel', children: ['hold', 'transfer'] })
    expect(graph.edges).toContainEqual({ from: 'established.hold.free', to: 'established.hold.holding', event: 'operation.requested', guard: 'isStartHold' })
    expect(graph.edges).toContainEqual({ from: 'established.hold.free', to: 'established.hold.holding', event: 'always', guard: 'hasQueuedHold' })
    expect(graph.edges).toContainEqual({ from: '', to: 'terminated', event: 'call.terminated' })
    expect(graph.edges).toContainEqual({ from: 'established.transfer.idle', to: 'established.transfer.transferring', event: 'call.updated', guard: 'stateIs(transferring)' })
  })
})
