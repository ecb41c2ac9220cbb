import * as t from 'io-ts'
import { afterEach, describe, expect, it } from 'vitest'
import { createGraphClient } from '../../src/graph/createGraphClient.js'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import { left, right } from '../support/either.js'
import { startLoopbackServer } from './loopbackServer.js'
import type { LoopbackServer, Reply, Seen } from './loopbackServer.js'

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const PARTICIPANT = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const serviceHosted = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const
const heidi = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' } } }

// Each test's server and client, closed after it (client first, so no request is left hanging).
const opened: { s: LoopbackServer; c: GraphClient }[] = []
afterEach(async () => {
  for (const { s, c } of opened.splice(0)) {
    await c.close()
    await s.close()
  }
})

const connect = async (handler: (req: Seen, n: number) => Reply): Promise<{ s: LoopbackServer; c: GraphClient }> => {
  const s = await startLoopbackServer(handler)
  const pair = { s, c: createGraphClient({ baseUrl: `${s.url}/v1.0`, getToken: async () => 'token-1', retry: { retries: 2, minDelayMs: 1, maxDelayMs: 5 } }) }
  opened.push(pair)
  return pair
}

describe('the call actions of the Graph client', () => {
  it('answers with the same client-request-id on every attempt, retrying a 503', async () => {
    const { s, c } = await connect((_, n) => (n === 1 ? { status: 503, headers: { 'retry-after': '0' } } : { status: 202 }))
    const r = right(await c.answer(CALL, { acceptedModalities: ['audio'], mediaConfig: serviceHosted })())
    expect(s.seen.map((x) => x.url)).toEqual([`/v1.0/communications/calls/${CALL}/answer`, `/v1.0/communications/calls/${CALL}/answer`])
    const ids = s.seen.map((x) => x.headers['client-request-id'])
    expect(ids[0]).toMatch(UUID)
    expect(ids[1]).toBe(ids[0])
    expect(r).toEqual({ status: 202, clientRequestId: ids[0], attempts: 2 })
  })

  it('refuses an answer without mediaConfig or acceptedModalities before anything is sent', async () => {
    const { s, c } = await connect(() => ({ status: 202 }))
    const noMedia = left(await c.answer(CALL, { acceptedModalities: ['audio'] } as never)())
    expect(noMedia).toMatchObject({ _tag: 'InvalidRequest', path: 'body.mediaConfig' })
    const noModalities = left(await c.answer(CALL, { acceptedModalities: [], mediaConfig: serviceHosted })())
    expect(noModalities).toMatchObject({ _tag: 'InvalidRequest', path: 'body.acceptedModalities' })
    expect(s.seen).toHaveLength(0)
  })

  it.each([14, 91, 30.5])('refuses a redirect timeout of %s seconds before anything is sent (15 to 90)', async (timeout) => {
    const { s, c } = await connect(() => ({ status: 202 }))
    const e = left(await c.redirect(CALL, { targets: [heidi], timeout })())
    expect(e).toMatchObject({ _tag: 'InvalidRequest', path: 'body.timeout' })
    expect(s.seen).toHaveLength(0)
  })

  it('refuses a redirect to more than 25 targets, and sends one to 25', async () => {
    const { s, c } = await connect(() => ({ status: 202 }))
    const e = left(await c.redirect(CALL, { targets: Array.from({ length: 26 }, () => heidi) })())
    expect(e.message).toContain('got 26 items')
    expect(s.seen).toHaveLength(0)
    right(await c.redirect(CALL, { targets: Array.from({ length: 25 }, () => heidi), timeout: 15 })())
    expect(s.seen).toHaveLength(1)
  })

  it('rejects with a reason, and with an empty body when none is given', async () => {
    const { s, c } = await connect(() => ({ status: 202 }))
    right(await c.reject(CALL, { reason: 'busy' })())
    right(await c.reject(CALL)())
    expect(s.seen.map((x) => JSON.parse(x.body))).toEqual([{ reason: 'busy' }, {}])
  })

  it('transfers blind and consultative (replacesCallId) to the transfer path', async () => {
    const { s, c } = await connect(() => ({ status: 202 }))
    right(await c.transfer(CALL, { transferTarget: heidi })())
    right(await c.transfer(CALL, { transferTarget: { ...heidi, replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d' } })())
    expect(s.seen.map((x) => x.url)).toEqual([`/v1.0/communications/calls/${CALL}/transfer`, `/v1.0/communications/calls/${CALL}/transfer`])
    expect(left(await c.transfer(CALL, {} as never)())).toMatchObject({ _tag: 'InvalidRequest', path: 'body.transferTarget' })
  })

  it('creates a call and reads its id, state and the bot’s participant id from the 201', async () => {
    const location = `https://graph.microsoft.com/v1.0/communications/calls/${CALL}`
    const { s, c } = await connect(() => ({ status: 201, headers: { location }, body: { id: CALL, state: 'establishing', myParticipantId: PARTICIPANT, extra: { ignored: true } } }))
    const r = right(await c.createCall({ targets: [heidi], mediaConfig: serviceHosted, requestedModalities: ['audio'], callbackUri: 'https://bot.example/cb' })())
    expect(r).toMatchObject({ status: 201, callId: CALL, state: 'establishing', myParticipantId: PARTICIPANT, location })
    expect(s.seen[0]).toMatchObject({ method: 'POST', url: '/v1.0/communications/calls' })
  })

  it('refuses a call with neither targets nor meetingInfo, and organizerMeetingInfo without chatInfo', async () => {
    const { s, c } = await connect(() => ({ status: 201 }))
    expect(left(await c.createCall({ mediaConfig: serviceHosted })()).message).toContain('needs targets, or meetingInfo')
    const organizer = { '@odata.type': '#microsoft.graph.organizerMeetingInfo', organizer: { user: { id: 'u' } } } as const
    expect(left(await c.createCall({ mediaConfig: serviceHosted, meetingInfo: organizer })()).message).toContain('needs chatInfo')
    expect(s.seen).toHaveLength(0)
  })

  it('sends a new call once after a 500, which may have created it, but again after a 429 or 503, which did not', async () => {
    const created = { status: 201, body: { id: CALL, state: 'establishing' } }
    const failing = await connect(() => ({ status: 500 }))
    expect(left(await failing.c.createCall({ targets: [heidi], mediaConfig: serviceHosted })())).toMatchObject({ _tag: 'Http', status: 500 })
    expect(failing.s.seen).toHaveLength(1)
    // The same client's other actions keep their retries.
    expect(left(await failing.c.answer(CALL, { acceptedModalities: ['audio'], mediaConfig: serviceHosted })())).toMatchObject({ status: 500 })
    expect(failing.s.seen).toHaveLength(4)
    const throttled = await connect((_, n) => (n === 1 ? { status: 429, headers: { 'retry-after': '0' } } : n === 2 ? { status: 503 } : created))
    expect(right(await throttled.c.createCall({ targets: [heidi], mediaConfig: serviceHosted })())).toMatchObject({ callId: CALL, attempts: 3 })
  })

  it('answers Decode when the 201 of a new call has no id', async () => {
    const { c } = await connect(() => ({ status: 201, body: { state: 'establishing' } }))
    expect(left(await c.createCall({ targets: [heidi], mediaConfig: serviceHosted })())).toMatchObject({ _tag: 'Decode', path: 'id' })
  })

  it('hangs up with DELETE (204), and reports a 404 as a call that had already ended', async () => {
    const { s, c } = await connect((_, n) => (n === 1 ? { status: 204 } : { status: 404, body: { error: { code: 'ItemNotFound', message: 'gone' } } }))
    expect(right(await c.hangUp(CALL)())).toMatchObject({ status: 204, alreadyEnded: false })
    expect(right(await c.hangUp(CALL)())).toMatchObject({ status: 404, alreadyEnded: true, attempts: 1 })
    expect(s.seen.map((x) => [x.method, x.url, x.body, x.headers['content-type']])).toEqual([
      ['DELETE', `/v1.0/communications/calls/${CALL}`, '', undefined],
      ['DELETE', `/v1.0/communications/calls/${CALL}`, '', undefined],
    ])
  })

  it('sends DELETE without a body over a caller’s fetch too', async () => {
    const s = await startLoopbackServer(() => ({ status: 204 }))
    const c = createGraphClient({ baseUrl: `${s.url}/v1.0`, getToken: async () => 'token-1', fetch: globalThis.fetch })
    opened.push({ s, c })
    expect(right(await c.hangUp(CALL)())).toMatchObject({ status: 204, alreadyEnded: false })
    expect(s.seen.map((x) => [x.method, x.url, x.body])).toEqual([['DELETE', `/v1.0/communications/calls/${CALL}`, '']])
  })

  it('removes a participant with DELETE on its path, and refuses a bad participant id unsent', async () => {
    const { s, c } = await connect(() => ({ status: 204 }))
    expect(right(await c.removeParticipant(CALL, PARTICIPANT)())).toMatchObject({ status: 204 })
    expect(left(await c.removeParticipant(CALL, '../x')())).toMatchObject({ _tag: 'InvalidRequest', path: 'participantId' })
    expect(s.seen.map((x) => `${x.method} ${x.url}`)).toEqual([`DELETE /v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}`])
  })

  it('refuses a call id that would change the path, for every call action', async () => {
    const { s, c } = await connect(() => ({ status: 202 }))
    expect(left(await c.reject('a/b')())).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    expect(left(await c.hangUp('..')())).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    expect(s.seen).toHaveLength(0)
  })
})

describe('the general request of the Graph client', () => {
  it('sends any method and path and decodes the answer with the given codec', async () => {
    const { s, c } = await connect(() => ({ status: 200, body: { value: [{ id: PARTICIPANT }] } }))
    const Participants = t.type({ value: t.array(t.type({ id: t.string })) })
    const r = right(await c.request({ method: 'GET', path: `/communications/calls/${CALL}/participants`, answer: Participants, clientRequestId: 'req-1' })())
    expect(r).toEqual({ status: 200, body: { value: [{ id: PARTICIPANT }] }, clientRequestId: 'req-1', attempts: 1 })
    expect(s.seen[0]).toMatchObject({ method: 'GET', url: `/v1.0/communications/calls/${CALL}/participants`, body: '' })
    expect(s.seen[0]?.headers['client-request-id']).toBe('req-1')
  })

  it('sends a JSON body with its content-type', async () => {
    const { s, c } = await connect(() => ({ status: 202 }))
    right(await c.request({ method: 'PATCH', path: '/communications/calls/c1', body: { a: 1 }, answer: t.unknown })())
    expect(s.seen[0]?.body).toBe('{"a":1}')
    expect(s.seen[0]?.headers['content-type']).toBe('application/json')
  })

  it('does not read an answer decoded with t.unknown, even when it is not JSON', async () => {
    const { c } = await connect(() => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: 'OK' }))
    expect(right(await c.request({ method: 'POST', path: '/x', answer: t.unknown })()).body).toBeUndefined()
  })

  it('answers Decode with the path when the answer does not match the codec', async () => {
    const { c } = await connect(() => ({ status: 200, body: { value: 'no' } }))
    const e = left(await c.request({ method: 'GET', path: '/x', answer: t.type({ value: t.array(t.string) }) })())
    expect(e).toMatchObject({ _tag: 'Decode', path: 'value' })
  })

  it.each(['x', '/a/../b', '/a/%2e%2E/b', '/a/%2Fb', '/a\\b', '/a#b', '/a b', '/café', '/a/%zz'])('refuses the path %j before anything is sent', async (path) => {
    const { s, c } = await connect(() => ({ status: 200 }))
    expect(left(await c.request({ method: 'GET', path, answer: t.unknown })())).toMatchObject({ _tag: 'InvalidRequest', path: 'path' })
    expect(s.seen).toHaveLength(0)
  })

  it('refuses an unknown method and a body that is not JSON', async () => {
    const { s, c } = await connect(() => ({ status: 200 }))
    expect(left(await c.request({ method: 'TRACE' as never, path: '/x', answer: t.unknown })())).toMatchObject({ path: 'method' })
    expect(left(await c.request({ method: 'POST', path: '/x', body: { n: 1n }, answer: t.unknown })())).toMatchObject({ path: 'body' })
    expect(s.seen).toHaveLength(0)
  })
})
