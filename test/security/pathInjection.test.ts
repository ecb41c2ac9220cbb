import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/index.js'
import { actionCatalog, actionNames, type ActionName } from '../../src/graph/actionCatalog.js'
import { createGraphClient, type GraphClient } from '../../src/graph/createGraphClient.js'

/** A loopback server that counts every TCP connection and request, and answers like Graph. */
interface CountingServer {
  readonly baseUrl: string
  readonly seen: { connections: number; requests: string[] }
  close(): Promise<void>
}

const startCountingServer = async (): Promise<CountingServer> => {
  const seen = { connections: 0, requests: [] as string[] }
  const server = http.createServer((req, res) => {
    seen.requests.push(req.url ?? '')
    req.resume()
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ id: 'op-1', status: 'running' }))
    })
  })
  server.on('connection', () => {
    seen.connections++
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    baseUrl: `http://127.0.0.1:${port}/v1.0`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const PARTICIPANT = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'

/** The smallest valid body of each action. */
const minimalBody: { readonly [A in ActionName]: Record<string, unknown> } = {
  startHoldMusic: {},
  stopHoldMusic: {},
  unmute: {},
  mute: {},
  muteParticipant: {},
  playPrompt: { prompts: [{ mediaInfo: { uri: 'https://bot.example/a.wav' } }] },
  recordResponse: {},
  sendDtmfTones: { tones: ['tone1'] },
  subscribeToTone: {},
  cancelMediaProcessing: {},
  updateRecordingStatus: { status: 'recording' },
  inviteParticipants: { participants: [{ identity: { user: { id: PARTICIPANT } } }] },
  addLargeGalleryView: {},
}

/** Ids that try to change the request's path, query or headers, or to mislead. */
const HOSTILE_IDS: readonly (readonly [string, unknown])[] = [
  ['a parent segment', '../x'],
  ['two dots', '..'],
  ['a traversal in the middle', 'a/../../users'],
  ['an encoded slash (lower case)', 'a%2fb'],
  ['an encoded slash (upper case)', 'a%2Fb'],
  ['encoded dots', '%2e%2e'],
  ['a double-encoded slash', 'a%252fb'],
  ['a slash', 'a/b'],
  ['a backslash', 'a\\..\\b'],
  ['a query', 'x?$select=id'],
  ['a fragment', 'x#y'],
  ['a NUL', 'a\u0000b'],
  ['CR LF and a header', 'a\r\nX-Injected: 1'],
  ['a tab', 'a\tb'],
  ['a space', 'a b'],
  ['a right-to-left override', '\u202exyz'],
  ['a zero-width space', 'a\u200bb'],
  ['a full-width solidus', 'a\uff0fb'],
  ['a lone surrogate', 'a\ud800b'],
  ['10 KB', 'x'.repeat(10 * 1024)],
  ['10 KB of traversal', '../'.repeat(3414)],
  ['an empty string', ''],
  ['a number', 42],
  ['null', null],
  ['an object', { toString: () => 'x' }],
]

/** clientContexts that must be refused: they are keys, and Graph takes 1 to 256 characters. */
const HOSTILE_CLIENT_CONTEXTS: readonly (readonly [string, unknown])[] = [
  ['a NUL', 'a\u0000b'],
  ['CR LF', 'a\r\nb'],
  ['a DEL', 'a\u007f'],
  ['10 KB', 'x'.repeat(10 * 1024)],
  ['257 characters', 'x'.repeat(257)],
  ['an empty string', ''],
  ['a prototype member name', 'constructor'],
  ['__proto__', '__proto__'],
  ['a number', 7],
]

const participantScoped = actionNames.filter((a) => actionCatalog[a].scope === 'participant')

let server: CountingServer
let orchestrator: CallOrchestrator
let client: GraphClient
beforeAll(async () => {
  server = await startCountingServer()
  orchestrator = createCallOrchestrator({ graph: { baseUrl: server.baseUrl, getToken: async () => 'token' }, notificationAuth: false })
  client = createGraphClient({ baseUrl: server.baseUrl, getToken: async () => 'token', retry: { retries: 0 } })
})
afterAll(async () => {
  await orchestrator.close()
  await client.close()
  await server.close()
})

const request = (action: ActionName, override: Record<string, unknown>): Record<string, unknown> => ({
  callId: CALL,
  ...(actionCatalog[action].scope === 'participant' ? { participantId: PARTICIPANT } : {}),
  ...minimalBody[action],
  ...override,
})

// The orchestrator's methods take typed requests; hostile callers are JavaScript callers, so the
// values go in untyped. A request let through would wait for its outcome: the signal ends that
// wait (as Cancelled), so a broken gate fails the test quickly instead of hanging it.
const runAction = (action: ActionName, req: Record<string, unknown>) => orchestrator.run(action, { signal: AbortSignal.timeout(1_000), ...req } as never)
const sendAction = (action: ActionName, req: Record<string, unknown>) => client.send(action, { clientContext: 'cc-1', ...req } as never)()

const expectRefused = (r: E.Either<{ readonly _tag: string; readonly path?: string; readonly message: string }, unknown>, path: string): void => {
  expect(E.isLeft(r)).toBe(true)
  if (E.isRight(r)) return
  expect(r.left).toMatchObject({ _tag: 'InvalidRequest', path })
  // The refusal names the field; it does not carry the hostile value back (10 KB, CR LF, ...).
  expect(r.left.message.length).toBeLessThan(200)
  expect(r.left.message).not.toMatch(/[\r\n\u0000]/)
}

describe('ids that try path injection are refused before any request leaves', () => {
  it.each(actionNames)('orchestrator.%s refuses every hostile callId', async (action) => {
    for (const [what, id] of HOSTILE_IDS) {
      const r = await runAction(action, request(action, { callId: id }))
      expect(E.isLeft(r) && r.left._tag, `${action} with ${what}`).toBe('InvalidRequest')
      expectRefused(r, 'callId')
    }
  })

  it.each(participantScoped)('orchestrator.%s refuses every hostile participantId', async (action) => {
    for (const [what, id] of HOSTILE_IDS) {
      const r = await runAction(action, request(action, { participantId: id }))
      expect(E.isLeft(r) && r.left._tag, `${action} with ${what}`).toBe('InvalidRequest')
      expectRefused(r, 'participantId')
    }
  })

  it.each(actionNames)('orchestrator.%s refuses every hostile clientContext', async (action) => {
    for (const [what, clientContext] of HOSTILE_CLIENT_CONTEXTS) {
      const r = await runAction(action, request(action, { clientContext }))
      expect(E.isLeft(r) && r.left._tag, `${action} with ${what}`).toBe('InvalidRequest')
      expectRefused(r, 'clientContext')
    }
  })

  it('each action method is the same gate as run()', async () => {
    for (const action of actionNames) {
      const method = orchestrator[action] as (req: never) => ReturnType<typeof runAction>
      const signal = AbortSignal.timeout(1_000)
      expectRefused(await method({ ...request(action, { callId: '../x' }), signal } as never), 'callId')
      expectRefused(await orchestrator.te[action]({ ...request(action, { callId: 'a%2fb' }), signal } as never)(), 'callId')
    }
  })

  it('registerCall refuses hostile call ids, and getCall answers undefined for them', () => {
    for (const [, id] of HOSTILE_IDS) {
      expectRefused(orchestrator.registerCall({ callId: id as string }), 'callId')
      if (typeof id === 'string') expect(orchestrator.getCall(id)).toBeUndefined()
    }
  })

  it.each(actionNames)('the Graph client refuses hostile ids and clientContexts for %s', async (action) => {
    for (const [what, id] of HOSTILE_IDS) {
      const r = await sendAction(action, request(action, { callId: id }))
      expect(E.isLeft(r) && r.left._tag, `${action} callId ${what}`).toBe('InvalidRequest')
      expectRefused(r, 'callId')
      if (actionCatalog[action].scope === 'participant') expectRefused(await sendAction(action, request(action, { participantId: id })), 'participantId')
    }
    for (const [, clientContext] of HOSTILE_CLIENT_CONTEXTS) expectRefused(await sendAction(action, request(action, { clientContext })), 'clientContext')
    expectRefused(await sendAction(action, request(action, { clientRequestId: 'a\r\nX-Injected: 1' })), 'clientRequestId')
  })

  it('the Graph client refuses hostile ids for keepAlive', async () => {
    for (const [, id] of HOSTILE_IDS) expectRefused(await client.keepAlive(id as string)(), 'callId')
  })

  it('any string that carries an injection fragment somewhere is refused, for every action, by both layers', async () => {
    const fragment = fc.constantFrom('../', '..', '/', '\\', '%2f', '%2F', '%', '?', '#', '\u0000', '\n', '\r', ' ', '\u0085', '\u2028', '\ufeff')
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...actionNames),
        fc.string({ maxLength: 40 }),
        fragment,
        fc.string({ maxLength: 40 }),
        async (action, before, bad, after) => {
          const id = `${before}${bad}${after}`
          expectRefused(await runAction(action, request(action, { callId: id })), 'callId')
          expectRefused(await sendAction(action, request(action, { callId: id })), 'callId')
        },
      ),
      { numRuns: 300, seed: 7 },
    )
  })

  it('nothing reached the server, no call was created and no operation is waiting', () => {
    expect(server.seen).toEqual({ connections: 0, requests: [] })
    expect(orchestrator.stats()).toMatchObject({ calls: 0, pendingOperations: 0 })
  })

  it('a clientContext is a body field only: path-like characters in it never reach the path', async () => {
    const clientContext = '../../x?y=1#z%2f'
    const r = await client.startHoldMusic({ callId: CALL, participantId: PARTICIPANT, clientContext })()
    expect(E.isRight(r)).toBe(true)
    // And the gate above was not a dead server: a valid request does arrive.
    expect(server.seen.requests).toEqual([`/v1.0/communications/calls/${CALL}/participants/${PARTICIPANT}/startHoldMusic`])
  })
})
