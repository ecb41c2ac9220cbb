import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnswerBody, RedirectBody, RejectBody, TransferBody } from '../../src/codecs/callActionBodies.js'
import { CreateCallBody } from '../../src/codecs/CreateCallBody.js'
import { decode } from '../../src/codecs/decode.js'
import { createGraphClient } from '../../src/graph/createGraphClient.js'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import { docsFixtures } from './docsFixtures.js'
import type { DocsFixture } from './docsFixtures.js'
import { startLoopbackServer } from './loopbackServer.js'
import type { LoopbackServer, Reply } from './loopbackServer.js'

// Plays every documented request of the call actions against a loopback stand-in that answers
// what the page prints next, and checks the request decodes, leaves as documented and the
// documented answer gives the outcome the page describes.

const fixtures = docsFixtures(['answer', 'reject', 'redirect', 'transfer', 'createCall', 'deleteCall', 'deleteParticipant'])
// `{id}` placeholders of the pages, filled in order: the call, then the participant.
const PLACEHOLDER_IDS = ['57dab8b1-894c-409a-b240-bd8beae78896', '0698ee52-d40b-4d62-a1b8-c4c9c1b0f8f2']

const bodyCodecs: Readonly<Record<string, t.Mixed>> = {
  answer: AnswerBody,
  reject: RejectBody,
  redirect: RedirectBody,
  transfer: TransferBody,
  createCall: CreateCallBody,
}

/** The path after the version (`/communications/calls/…`), placeholders filled in. */
const documentedPath = (url: string): string => {
  let n = 0
  return url.replace(/^https:\/\/graph\.microsoft\.com\/(v1\.0|beta)/, '').replace(/\{id\}/g, () => PLACEHOLDER_IDS[n++] ?? 'x')
}

/** The answer printed after `req` on its page: the next response of its example, else the page's first. */
const documentedAnswer = (req: DocsFixture): DocsFixture | undefined => {
  const page = fixtures.filter((f) => f.kind === 'response' && f.action === req.action && f.apiVersion === req.apiVersion && f.file.startsWith(req.file.split('-')[0] ?? ''))
  return page.find((f) => f.group === req.group && f.index > req.index) ?? page[0]
}

const replyOf = (res: DocsFixture | undefined): Reply => {
  if (res === undefined) throw new Error('no documented answer')
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(res.headers ?? {})) if (k.toLowerCase() === 'location') headers['location'] = v
  // Graph sends JSON; a body the page prints with trailing commas is served in its repaired form.
  const body = res.valid ? res.text : (res.repairedText ?? res.text)
  return body === '' ? { status: res.status ?? 0, headers } : { status: res.status ?? 0, headers, body }
}

// A request the page prints without a body (application-post-calls beta and v1.0 "Request" of
// example 3, which only precedes the bodies of the next blocks) is not a request one can send.
const playable = fixtures.filter((f) => f.kind === 'request' && !(f.method === 'POST' && f.body === null))

let server: LoopbackServer
let nextReply: Reply = { status: 500 }
const clients = new Map<string, GraphClient>()
beforeAll(async () => {
  server = await startLoopbackServer(() => nextReply)
  for (const version of ['v1.0', 'beta']) {
    clients.set(version, createGraphClient({ baseUrl: `${server.url}/${version}`, getToken: async () => 'token-1', retry: { retries: 0 } }))
  }
})
afterAll(async () => {
  for (const c of clients.values()) await c.close()
  await server.close()
})

// io-ts keeps the fields a codec does not name, so the decoded body is the documented one.
const decoded = <A>(codec: t.Decoder<unknown, A>, u: unknown): A => {
  const r = decode(codec, u)
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

const send = (client: GraphClient, req: DocsFixture, path: string) => {
  const [, callId = '', participantId = ''] = /^\/communications\/calls\/([^/]+)(?:\/participants\/([^/]+))?/.exec(path) ?? []
  switch (req.action) {
    case 'answer':
      return client.answer(callId, decoded(AnswerBody, req.body))()
    case 'reject':
      return client.reject(callId, decoded(RejectBody, req.body))()
    case 'redirect':
      return client.redirect(callId, decoded(RedirectBody, req.body))()
    case 'transfer':
      return client.transfer(callId, decoded(TransferBody, req.body))()
    case 'createCall':
      return client.createCall(decoded(CreateCallBody, req.body))()
    case 'deleteCall':
      return client.hangUp(callId)()
    case 'deleteParticipant':
      return client.removeParticipant(callId, participantId)()
    default:
      throw new Error(`no client method for ${req.action}`)
  }
}

describe('the documented call-action examples, played against a stand-in', () => {
  it('covers every page: answer, reject, redirect, transfer, createCall, deleteCall and deleteParticipant', () => {
    expect(new Set(playable.map((f) => f.action))).toEqual(new Set(['answer', 'reject', 'redirect', 'transfer', 'createCall', 'deleteCall', 'deleteParticipant']))
    expect(playable.length).toBeGreaterThanOrEqual(40)
  })

  it.each(playable.map((f) => [f.file, f] as const))('%s: the body decodes, leaves as documented, and the documented answer is accepted', async (_, req) => {
    const codec = bodyCodecs[req.action]
    if (codec !== undefined) {
      const r = decode(codec, req.body)
      expect(E.isLeft(r) ? r.left.message : 'decodes').toBe('decodes')
    }
    const path = documentedPath(req.url ?? '')
    const answer = documentedAnswer(req)
    nextReply = replyOf(answer)
    const before = server.seen.length
    const client = clients.get(req.apiVersion)
    if (client === undefined) throw new Error(`no client for ${req.apiVersion}`)
    const r = await send(client, req, path)

    const seen = server.seen.slice(before)
    expect(seen).toHaveLength(1)
    expect(seen[0]?.method).toBe(req.method)
    expect(seen[0]?.url).toBe(`/${req.apiVersion}${path}`)
    if (req.method === 'POST') expect(JSON.parse(seen[0]?.body ?? '')).toEqual(req.body)
    else expect(seen[0]?.body).toBe('')

    if (E.isLeft(r)) throw new Error(r.left.message)
    expect(r.right.status).toBe(answer?.status)
    if (req.action === 'createCall') {
      const call = (answer?.body ?? {}) as { id: string; myParticipantId: string }
      expect(r.right).toMatchObject({ callId: call.id, state: 'establishing', myParticipantId: call.myParticipantId, location: answer?.headers?.['Location'] })
    }
    if (req.action === 'deleteCall') expect(r.right).toMatchObject({ alreadyEnded: false })
  })
})
