import http from 'node:http'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createCallOrchestrator } from '../../src/index.js'
import { batch, operationNotification, post, rosterUpdated } from '../support/notifications.js'
import { LIVE, observe, serveWebhook, startGraphSide, startLiveWorld, type GraphSide, type LiveWorld } from './liveCalls.js'

const MAX_BODY = 4096
const MAX_BATCH = 10
const json = { 'content-type': 'application/json' }

/** The documented completion of the live hold: applied, it would settle the operation. */
const completion = (): Record<string, unknown> =>
  operationNotification({ callId: LIVE.hold.callId, operationId: LIVE.hold.operationId, clientContext: LIVE.hold.clientContext })

/** A valid batch whose JSON text is exactly `bytes` long (padded with an unknown field). */
const batchOfSize = (bytes: number): string => {
  const base = JSON.stringify({ ...batch(completion()), padding: '' })
  const text = JSON.stringify({ ...batch(completion()), padding: 'x'.repeat(bytes - Buffer.byteLength(base)) })
  expect(Buffer.byteLength(text)).toBe(bytes)
  return text
}

/** POSTs with node:http, writing `chunks` one after the other until the answer comes. */
const streamPost = (
  url: string,
  chunks: AsyncIterable<Buffer> | Iterable<Buffer>,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string; bytesSent: number }> =>
  new Promise((resolve, reject) => {
    let bytesSent = 0
    let answered = false
    const req = http.request(url, { method: 'POST', headers: { ...json, ...headers } }, (res) => {
      answered = true
      const parts: Buffer[] = []
      res.on('data', (c: Buffer) => parts.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(parts).toString('utf8'), bytesSent }))
    })
    // The server may close the connection while we still write: that is the point.
    req.on('error', (e) => {
      if (!answered) reject(e)
    })
    void (async () => {
      for await (const chunk of chunks) {
        if (answered || req.destroyed) return
        bytesSent += chunk.length
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r))
      }
      req.end()
    })().catch(() => undefined)
  })

let graph: GraphSide
let world: LiveWorld
let webhook: { url: string; close(): Promise<void> }
beforeAll(async () => {
  graph = await startGraphSide()
  world = await startLiveWorld(graph, { maxBodyBytes: MAX_BODY, maxNotificationsPerBatch: MAX_BATCH })
  webhook = await serveWebhook(world.orchestrator)
})
afterAll(async () => {
  await webhook.close()
  await world.close()
  await graph.close()
})

describe('body size: 413 above the limit, nothing applied', () => {
  let before: string
  beforeAll(() => {
    before = observe(world.orchestrator)
  })
  afterEach(() => {
    expect(observe(world.orchestrator)).toBe(before)
  })

  it('a body one byte above the limit, with its Content-Length, is answered 413 over HTTP', async () => {
    const r = await post(webhook.url, batchOfSize(MAX_BODY + 1))
    expect(r.status).toBe(413)
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'PayloadTooLarge' } })
  })

  it('a Content-Length above the limit is answered 413 before the body is read', async () => {
    const r = await streamPost(webhook.url, [Buffer.from('{"value":[')], { 'content-length': String(10 * 1024 * 1024) })
    expect(r.status).toBe(413)
    expect(r.bytesSent).toBeLessThan(1024)
  })

  it('a streamed (chunked) body is answered 413 as soon as it passes the limit, not when it ends', async () => {
    const chunk = Buffer.from(' '.repeat(1024))
    const endless = async function* (): AsyncGenerator<Buffer> {
      yield Buffer.from('{"value":[')
      for (;;) {
        yield chunk
        await new Promise((r) => setImmediate(r))
      }
    }
    const r = await Promise.race([
      streamPost(webhook.url, endless()),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('no answer while the body kept coming')), 5_000)),
    ])
    expect(r.status).toBe(413)
    expect(r.bytesSent).toBeLessThan(1024 * 1024)
  })

  it('a string body above the limit given to handleNotification is answered 413', async () => {
    expect((await world.orchestrator.handleNotification(batchOfSize(MAX_BODY + 1), json)).status).toBe(413)
    expect((await world.orchestrator.handleNotification(Buffer.from(batchOfSize(MAX_BODY + 100)), json)).status).toBe(413)
  })

  it('a batch with one notification more than maxNotificationsPerBatch is answered 413', async () => {
    const over = batch(completion(), ...Array.from({ length: MAX_BATCH }, () => rosterUpdated(LIVE.roster.callId, [{ id: 'p-new' }])))
    const r = await world.orchestrator.handleNotification(over, {})
    expect(r.status).toBe(413)
    expect(r.body).toContain(`more than ${MAX_BATCH} notifications`)
  })

  it('a body of another media type is answered 415', async () => {
    expect((await world.orchestrator.handleNotification(JSON.stringify(batch(completion())), { 'content-type': 'text/plain' })).status).toBe(415)
    expect((await world.orchestrator.handleNotification(JSON.stringify(batch(completion())), {})).status).toBe(415)
  })
})

describe('the limits are limits, not refusals of everything', () => {
  it('a body of exactly the limit and a batch of exactly maxNotificationsPerBatch are applied', async () => {
    const r = await post(webhook.url, batchOfSize(MAX_BODY))
    expect(r.status).toBe(202)
    expect(world.orchestrator.getCall(LIVE.hold.callId)?.hold).toEqual({ participantId: LIVE.hold.participantId, phase: 'held' })
    const full = batch(...Array.from({ length: MAX_BATCH }, (_, i) => rosterUpdated(LIVE.roster.callId, [{ id: `p-${i}` }])))
    expect((await world.orchestrator.handleNotification(full, {})).status).toBe(202)
    expect(world.orchestrator.getCall(LIVE.roster.callId)?.roster).toHaveLength(1 + MAX_BATCH)
  })
})

describe('calls and operations tracked per instance', () => {
  const CALLS = ['c0000000-0000-4000-8000-000000000001', 'c0000000-0000-4000-8000-000000000002', 'c0000000-0000-4000-8000-000000000003']

  it('maxCalls reached: a new call answers CapacityExceeded naming the bound, and nothing is sent for it', async () => {
    const orchestrator = createCallOrchestrator({ graph: { client: graph.client }, notificationAuth: false, maxCalls: 2 })
    const sentBefore = graph.standIn.requests.length
    const signal = AbortSignal.timeout(10_000)
    const first = orchestrator.subscribeToTone({ callId: CALLS[0] ?? '', signal })
    const second = orchestrator.registerCall({ callId: CALLS[1] ?? '' })
    expect(E.isRight(second)).toBe(true)
    const third = await orchestrator.subscribeToTone({ callId: CALLS[2] ?? '' })
    expect(third).toMatchObject({ _tag: 'Left', left: { _tag: 'CapacityExceeded' } })
    expect(E.isLeft(third) && third.left.message).toMatch(/2 calls \(maxCalls\)/)
    expect(orchestrator.registerCall({ callId: CALLS[2] ?? '' })).toMatchObject({ _tag: 'Left', left: { _tag: 'CapacityExceeded' } })
    // Roster news of yet another call is acknowledged (Graph must not retry it) but not tracked.
    expect((await orchestrator.handleNotification(batch(rosterUpdated(CALLS[2] ?? '', [{ id: 'x' }])), {})).status).toBe(202)
    expect(orchestrator.getCall(CALLS[2] ?? '')).toBeUndefined()
    expect(orchestrator.stats().calls).toBe(2)
    // The calls already tracked still work.
    expect(E.isRight(await first)).toBe(true)
    expect(graph.standIn.requests.slice(sentBefore).map((r) => r.callId)).toEqual([CALLS[0]])
    await orchestrator.close()
  })

  it('maxPendingOperations reached: one more operation answers CapacityExceeded until one ends', async () => {
    const orchestrator = createCallOrchestrator({ graph: { client: graph.client }, notificationAuth: false, maxPendingOperations: 2 })
    const call = CALLS[0] ?? ''
    const prompt = { prompts: [{ mediaInfo: { uri: 'https://bot.example/a.wav' } }] }
    // playPrompt answers "running": it waits for its notification.
    const a = orchestrator.playPrompt({ callId: call, clientContext: 'prompt-a', ...prompt })
    const b = orchestrator.playPrompt({ callId: call, clientContext: 'prompt-b', ...prompt })
    const c = await orchestrator.playPrompt({ callId: call, clientContext: 'prompt-c', ...prompt })
    expect(c).toMatchObject({ _tag: 'Left', left: { _tag: 'CapacityExceeded' } })
    expect(E.isLeft(c) && c.left.message).toMatch(/2 operations \(maxPendingOperations\)/)
    expect(graph.standIn.requests.some((r) => r.body['clientContext'] === 'prompt-c')).toBe(false)
    await expect.poll(() => orchestrator.getCall(call)?.operations.filter((o) => o.state === 'running').length).toBe(2)
    const done = operationNotification({ callId: call, operationId: null, clientContext: 'prompt-a', odataType: '#microsoft.graph.playPromptOperation' })
    expect((await orchestrator.handleNotification(batch(done), {})).status).toBe(202)
    expect(E.isRight(await a)).toBe(true)
    const d = orchestrator.playPrompt({ callId: call, clientContext: 'prompt-d', ...prompt })
    await expect.poll(() => orchestrator.stats().pendingOperations).toBe(2)
    await orchestrator.close()
    expect(await b).toMatchObject({ _tag: 'Left', left: { _tag: 'Cancelled' } })
    expect(await d).toMatchObject({ _tag: 'Left', left: { _tag: 'Cancelled' } })
  })
})
