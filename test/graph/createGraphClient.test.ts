import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { actionNames } from '../../src/graph/actionCatalog.js'
import { createGraphClient } from '../../src/graph/createGraphClient.js'
import type { GraphClient, GraphClientOptions } from '../../src/graph/createGraphClient.js'
import { left, right } from '../support/either.js'
import { startLoopbackServer } from './loopbackServer.js'
import type { LoopbackServer, Reply, Seen } from './loopbackServer.js'

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8'))

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const PARTICIPANT = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'
const CONTEXT = 'd45324c1-fcb5-430a-902c-f20af696537c'
const LOCATION = `https://graph.microsoft.com/v1.0/communications/calls/${CALL}/operations/0fe0623f-d628-42ed-b4bd-8ac290072cc5`
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const FAST_RETRY = { retries: 2, minDelayMs: 1, maxDelayMs: 5 }

let server: LoopbackServer | undefined
let client: GraphClient | undefined
afterEach(async () => {
  await client?.close()
  await server?.close()
  client = undefined
  server = undefined
})

const serve = async (handler: (req: Seen, n: number) => Reply | Promise<Reply>): Promise<LoopbackServer> => {
  server = await startLoopbackServer(handler)
  return server
}

const transports: readonly { readonly name: string; readonly options: Pick<GraphClientOptions, 'fetch'> }[] = [
  { name: 'undici', options: {} },
  { name: 'fetch', options: { fetch: globalThis.fetch } },
]

describe.each(transports)('createGraphClient over $name', ({ options: transportOptions }) => {
  const connect = (s: LoopbackServer, options: Partial<GraphClientOptions> = {}): GraphClient => {
    client = createGraphClient({
      baseUrl: `${s.url}/v1.0`,
      getToken: async () => 'token-1',
      userAgent: 'callops-test/1',
      retry: FAST_RETRY,
      ...transportOptions,
      ...options,
    })
    return client
  }

  it('counts a slow token fetch against the deadline: no retry starts once attemptsWithinMs has passed since the request was asked for', async () => {
    const s = await serve(() => ({ status: 503 }))
    const slowToken = async (): Promise<string> => {
      await new Promise((r) => setTimeout(r, 150))
      return 'token-1'
    }
    const r = await connect(s, { getToken: slowToken, retry: { retries: 3, minDelayMs: 1, maxDelayMs: 1 } }).startHoldMusic({ callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT, attemptsWithinMs: 100 })()
    expect(left(r)).toMatchObject({ _tag: 'Http', status: 503 })
    expect(s.seen).toHaveLength(1)
  })

  it('sends startHoldMusic to the participant path with the headers and body Graph expects, and reads the 202 answer', async () => {
    const s = await serve(() => ({ status: 202, headers: { location: LOCATION }, body: fixture('seed-startHoldMusic-answer.json') as object }))
    const customPrompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { '@odata.type': '#microsoft.graph.mediaInfo', uri: 'https://bot.contoso.com/onHold.wav' } }
    const r = await connect(s).startHoldMusic({ callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT, body: { customPrompt } })()

    expect(s.seen).toHaveLength(1)
    const [req] = s.seen
    expect(req?.method).toBe('POST')
    expect(req?.url).toBe(`/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}/startHoldMusic`)
    expect(req?.headers['authorization']).toBe('Bearer token-1')
    expect(req?.headers['content-type']).toBe('application/json')
    expect(req?.headers['user-agent']).toBe('callops-test/1')
    expect(req?.headers['client-request-id']).toMatch(UUID)
    expect(JSON.parse(req?.body ?? '')).toEqual(fixture('seed-startHoldMusic-request.json'))

    expect(right(r)).toEqual({
      // The answer as a domain report (issue 13): the wire's @odata.type is not part of it.
      operation: { id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5', status: 'running', clientContext: CONTEXT },
      httpStatus: 202,
      location: LOCATION,
      clientRequestId: req?.headers['client-request-id'],
      attempts: 1,
    })
  })

  it('sends unmute to the call path and reads the 200 completed answer', async () => {
    const s = await serve(() => ({ status: 200, headers: { location: LOCATION }, body: fixture('seed-unmute-answer.json') as object }))
    const r = await connect(s).unmute({ callId: '57dab8b1-894c-409a-b240-bd8beae78896', clientContext: 'clientContext-value' })()
    expect(s.seen[0]?.url).toBe('/v1.0/communications/calls/57dab8b1-894c-409a-b240-bd8beae78896/unmute')
    expect(JSON.parse(s.seen[0]?.body ?? '')).toEqual(fixture('seed-unmute-request.json'))
    const accepted = right(r)
    expect(accepted.httpStatus).toBe(200)
    expect(accepted.operation.status).toBe('completed')
    expect(accepted.operation.id).toBe('17e3b46c-f61d-4f4d-9635-c626ef18e6ad')
  })

  it('normalises a capitalised status in the answer', async () => {
    const s = await serve(() => ({ status: 200, body: fixture('quirk-invite-running-answer.json') as object }))
    const participants = [{ identity: { user: { id: '278405a3-f568-4b3e-b684-009193463064' } } }]
    const r = await connect(s).inviteParticipants({ callId: CALL, clientContext: CONTEXT, body: { participants } })()
    expect(s.seen[0]?.url).toBe(`/v1.0/communications/calls/${CALL}/participants/invite`)
    expect(right(r).operation.status).toBe('running')
  })

  it('waits what Retry-After asks after a 429, then succeeds with the same client-request-id', async () => {
    const s = await serve((_, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '1' } } : { status: 202, body: fixture('seed-stopHoldMusic-answer.json') as object }))
    const r = await connect(s).stopHoldMusic({ callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT })()
    const accepted = right(r)
    expect(accepted.attempts).toBe(2)
    expect(s.seen).toHaveLength(2)
    const [first, second] = s.seen
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(950)
    expect(second?.headers['client-request-id']).toBe(first?.headers['client-request-id'])
    expect(accepted.clientRequestId).toBe(first?.headers['client-request-id'])
  })

  it('gives up after the retries with the last 500 and the attempt count', async () => {
    const s = await serve((_, n) => ({ status: 500, body: { error: { code: `InternalError${n}`, message: `attempt ${n} failed` } } }))
    const e = left(await connect(s).unmute({ callId: CALL, clientContext: CONTEXT })())
    expect(s.seen).toHaveLength(3)
    expect(e).toMatchObject({ _tag: 'Http', status: 500, attempts: 3, graphError: { code: 'InternalError3', message: 'attempt 3 failed' } })
    expect(new Set(s.seen.map((r) => r.headers['client-request-id'])).size).toBe(1)
    expect(e._tag === 'Http' && e.clientRequestId).toBe(s.seen[0]?.headers['client-request-id'])
  })

  it('retries 408, 502, 503 and 504 too', async () => {
    const statuses = [408, 502, 503, 504]
    const s = await serve((_, n) => (n <= statuses.length ? { status: statuses[n - 1] ?? 500 } : { status: 200, body: { status: 'completed' } }))
    const r = await connect(s, { retry: { retries: 4, minDelayMs: 1, maxDelayMs: 5 } }).mute({ callId: CALL, clientContext: CONTEXT })()
    expect(right(r).attempts).toBe(5)
  })

  it('retries a network error', async () => {
    const s = await serve((_, n) => (n === 1 ? 'hang-up' : { status: 200, body: { status: 'completed' } }))
    const r = await connect(s).unmute({ callId: CALL, clientContext: CONTEXT })()
    expect(right(r).attempts).toBe(2)
    expect(s.seen).toHaveLength(2)
  })

  it('reports a network error that outlasts the retries without a status', async () => {
    const s = await serve(() => 'hang-up')
    const e = left(await connect(s).unmute({ callId: CALL, clientContext: CONTEXT })())
    expect(e).toMatchObject({ _tag: 'Http', attempts: 3 })
    expect(e._tag === 'Http' && e.status).toBeUndefined()
  })

  it('fails at once on a 400 and decodes the Graph error body', async () => {
    const body = { error: { code: 'BadRequest', message: 'Invalid participant', innerError: { 'request-id': 'r-1', date: '2024-01-01T00:00:00' } } }
    const s = await serve(() => ({ status: 400, body }))
    const e = left(await connect(s).startHoldMusic({ callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT })())
    expect(s.seen).toHaveLength(1)
    expect(e).toMatchObject({ _tag: 'Http', status: 400, attempts: 1, graphError: body.error })
    expect(e.message).toContain('BadRequest')
  })

  it.each([401, 403, 404, 409])('does not retry a %i', async (status) => {
    const s = await serve(() => ({ status, body: 'not json' }))
    const e = left(await connect(s).unmute({ callId: CALL, clientContext: CONTEXT })())
    expect(s.seen).toHaveLength(1)
    expect(e).toMatchObject({ _tag: 'Http', status, attempts: 1 })
    expect('graphError' in e).toBe(false)
  })

  it('answers Decode when a 2xx body is not JSON', async () => {
    const s = await serve(() => ({ status: 200, body: '{"status": "completed"' }))
    const e = left(await connect(s).unmute({ callId: CALL, clientContext: CONTEXT })())
    expect(e).toMatchObject({ _tag: 'Decode', path: '' })
  })

  it('answers Decode naming the path when a 2xx body is not an operation', async () => {
    const s = await serve(() => ({ status: 200, body: { status: 'paused' } }))
    expect(left(await connect(s).unmute({ callId: CALL, clientContext: CONTEXT })())).toMatchObject({ _tag: 'Decode', path: 'status' })
  })

  it('accepts a 2xx without a body as a pending operation', async () => {
    const s = await serve(() => ({ status: 202 }))
    const accepted = right(await connect(s).stopHoldMusic({ callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT })())
    expect(accepted.operation).toEqual({})
    expect(accepted.httpStatus).toBe(202)
    expect('location' in accepted).toBe(false)
  })

  it('answers Credential and sends nothing when the token provider fails', async () => {
    const s = await serve(() => ({ status: 200 }))
    const failing = connect(s, { getToken: () => Promise.reject(new Error('AADSTS7000215: invalid client secret')) })
    expect(left(await failing.unmute({ callId: CALL, clientContext: CONTEXT })())).toMatchObject({ _tag: 'Credential', message: expect.stringContaining('AADSTS7000215') })
    await failing.close()
    const empty = connect(s, { getToken: async () => '' })
    expect(left(await empty.unmute({ callId: CALL, clientContext: CONTEXT })())).toMatchObject({ _tag: 'Credential' })
    expect(s.seen).toHaveLength(0)
  })

  it('asks a TokenCredential for the Graph scope and sends its token', async () => {
    const s = await serve(() => ({ status: 200, body: { status: 'completed' } }))
    const scopes: unknown[] = []
    const credential = { getToken: async (scope: string | string[]) => (scopes.push(scope), { token: 'cred-token', expiresOnTimestamp: 0 }) }
    const c = createGraphClient({ baseUrl: `${s.url}/v1.0`, credential, ...transportOptions })
    client = c
    right(await c.unmute({ callId: CALL, clientContext: CONTEXT })())
    expect(scopes).toEqual(['https://graph.microsoft.com/.default'])
    expect(s.seen[0]?.headers['authorization']).toBe('Bearer cred-token')
  })

  it('answers Credential when a TokenCredential gives no token', async () => {
    const s = await serve(() => ({ status: 200 }))
    const c = createGraphClient({ baseUrl: s.url, credential: { getToken: async () => null }, ...transportOptions })
    client = c
    expect(left(await c.unmute({ callId: CALL, clientContext: CONTEXT })())).toMatchObject({ _tag: 'Credential' })
    expect(s.seen).toHaveLength(0)
  })

  it.each([
    ['../x'],
    ['a%2fb'],
    ['a/b'],
    ['a?b'],
    ['a#b'],
    ['a\u0000b'],
    ['a b'],
    ['x'.repeat(10_240)],
    [''],
  ])('refuses the id %j before anything is sent', async (bad) => {
    const s = await serve(() => ({ status: 200 }))
    const c = connect(s)
    expect(left(await c.startHoldMusic({ callId: bad, participantId: PARTICIPANT, clientContext: CONTEXT })())).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    expect(left(await c.startHoldMusic({ callId: CALL, participantId: bad, clientContext: CONTEXT })())).toMatchObject({ _tag: 'InvalidRequest', path: 'participantId' })
    expect(left(await c.keepAlive(bad)())).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    expect(s.seen).toHaveLength(0)
  })

  it('percent-encodes an id that is valid but not URL-safe', async () => {
    const s = await serve(() => ({ status: 200, body: { status: 'completed' } }))
    right(await connect(s).unmute({ callId: 'a:b@c+d', clientContext: CONTEXT })())
    expect(s.seen[0]?.url).toBe('/v1.0/communications/calls/a%3Ab%40c%2Bd/unmute')
  })

  it('refuses a participant action without participantId, and a call action with one', async () => {
    const s = await serve(() => ({ status: 200 }))
    const c = connect(s)
    expect(left(await c.startHoldMusic({ callId: CALL, clientContext: CONTEXT })())).toMatchObject({ _tag: 'InvalidRequest', path: 'participantId' })
    expect(left(await c.send('mute', { callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT })())).toMatchObject({ _tag: 'InvalidRequest', path: 'participantId' })
    expect(s.seen).toHaveLength(0)
  })

  it('refuses a body that does not decode, naming the path, before anything is sent', async () => {
    const s = await serve(() => ({ status: 200 }))
    const c = connect(s)
    const prompt = { mediaInfo: { uri: 'https://bot.contoso.com/a.wav' } }
    const tooMany = await c.playPrompt({ callId: CALL, clientContext: CONTEXT, body: { prompts: Array.from({ length: 21 }, () => prompt) } })()
    expect(left(tooMany)).toMatchObject({ _tag: 'InvalidRequest', path: 'body.prompts' })
    const none = await c.send('playPrompt', { callId: CALL, clientContext: CONTEXT })()
    expect(left(none)).toMatchObject({ _tag: 'InvalidRequest', path: 'body.prompts' })
    const badUri = await c.startHoldMusic({ callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT, body: { customPrompt: { mediaInfo: { uri: 42 as unknown as string } } } })()
    expect(left(badUri)).toMatchObject({ _tag: 'InvalidRequest', path: 'body.customPrompt.mediaInfo.uri' })
    expect(s.seen).toHaveLength(0)
  })

  it('refuses a clientContext of 257 characters and a bad client-request-id before anything is sent', async () => {
    const s = await serve(() => ({ status: 200 }))
    const c = connect(s)
    expect(left(await c.unmute({ callId: CALL, clientContext: 'x'.repeat(257) })())).toMatchObject({ _tag: 'InvalidRequest', path: 'clientContext' })
    expect(left(await c.unmute({ callId: CALL, clientContext: CONTEXT, clientRequestId: 'a\r\nx-evil: 1' })())).toMatchObject({ _tag: 'InvalidRequest', path: 'clientRequestId' })
    expect(s.seen).toHaveLength(0)
  })

  it('sends the client-request-id the caller gives', async () => {
    const s = await serve(() => ({ status: 200, body: { status: 'completed' } }))
    const r = await connect(s).unmute({ callId: CALL, clientContext: CONTEXT, clientRequestId: 'caller-id-1' })()
    expect(s.seen[0]?.headers['client-request-id']).toBe('caller-id-1')
    expect(right(r).clientRequestId).toBe('caller-id-1')
  })

  it('answers Cancelled when the signal aborts the wait between attempts', async () => {
    const s = await serve(() => ({ status: 503, headers: { 'retry-after': '5' } }))
    const controller = new AbortController()
    const started = performance.now()
    const pending = connect(s).unmute({ callId: CALL, clientContext: CONTEXT, signal: controller.signal })()
    while (s.seen.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
    controller.abort()
    const e = left(await pending)
    expect(e._tag).toBe('Cancelled')
    expect(performance.now() - started).toBeLessThan(3000)
    expect(s.seen).toHaveLength(1)
  })

  it('answers Cancelled, sending nothing, when the signal is already aborted', async () => {
    const s = await serve(() => ({ status: 200 }))
    expect(left(await connect(s).unmute({ callId: CALL, clientContext: CONTEXT, signal: AbortSignal.abort() })())).toMatchObject({ _tag: 'Cancelled' })
    expect(s.seen).toHaveLength(0)
  })

  it('keepAlive: 200 without a body is Right, and sends no body', async () => {
    const s = await serve(() => ({ status: 200 }))
    expect(await connect(s).keepAlive(CALL)()).toEqual(E.right(undefined))
    expect(s.seen[0]?.url).toBe(`/v1.0/communications/calls/${CALL}/keepAlive`)
    expect(s.seen[0]?.body).toBe('')
    expect(s.seen[0]?.headers['authorization']).toBe('Bearer token-1')
  })

  it('keepAlive: 404 is Http 404 at once (the call has ended)', async () => {
    const s = await serve(() => ({ status: 404, body: { error: { code: 'NotFound', message: 'Call not found' } } }))
    expect(left(await connect(s).keepAlive(CALL)())).toMatchObject({ _tag: 'Http', status: 404, attempts: 1, graphError: { code: 'NotFound' } })
    expect(s.seen).toHaveLength(1)
  })

  it('has one method per action of the catalog, each sending its own path', async () => {
    const s = await serve(() => ({ status: 200, body: { status: 'completed' } }))
    const c = connect(s)
    for (const name of actionNames) expect(typeof c[name]).toBe('function')
    right(await c.subscribeToTone({ callId: CALL, clientContext: CONTEXT })())
    right(await c.muteParticipant({ callId: CALL, participantId: PARTICIPANT, clientContext: CONTEXT })())
    expect(s.seen.map((r) => r.url)).toEqual([
      `/v1.0/communications/calls/${CALL}/subscribeToTone`,
      `/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}/mute`,
    ])
  })

  it('answers Cancelled after close, sending nothing', async () => {
    const s = await serve(() => ({ status: 200 }))
    const c = connect(s)
    await c.close()
    expect(left(await c.unmute({ callId: CALL, clientContext: CONTEXT })())).toMatchObject({ _tag: 'Cancelled' })
    expect(s.seen).toHaveLength(0)
  })
})

describe('createGraphClient options', () => {
  it('uses the fetch it is given', async () => {
    const s = await serve(() => ({ status: 200, body: { status: 'completed' } }))
    const urls: string[] = []
    const countingFetch: typeof fetch = (input, init) => {
      urls.push(String(input))
      return fetch(input, init)
    }
    client = createGraphClient({ baseUrl: `${s.url}/v1.0/`, getToken: async () => 't', fetch: countingFetch })
    right(await client.unmute({ callId: CALL, clientContext: CONTEXT })())
    expect(urls).toEqual([`${s.url}/v1.0/communications/calls/${CALL}/unmute`])
    expect(s.seen).toHaveLength(1)
  })

  it('refuses bad options at creation', () => {
    expect(() => createGraphClient({})).toThrow('Expected exactly one of `getToken` and `credential`.')
    expect(() => createGraphClient({ getToken: async () => 't', credential: { getToken: async () => null } })).toThrow(TypeError)
    expect(() => createGraphClient({ getToken: async () => 't', baseUrl: 'graph.microsoft.com' })).toThrow('baseUrl')
    expect(() => createGraphClient({ getToken: async () => 't', baseUrl: 'ftp://x/v1.0' })).toThrow('baseUrl')
    expect(() => createGraphClient({ getToken: async () => 't', retry: { retries: -1 } })).toThrow('Expected `retries` to be a non-negative integer.')
    expect(() => createGraphClient({ getToken: async () => 't', userAgent: 'a\nb' })).toThrow('userAgent')
  })
})
