import { readFileSync, readdirSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { CallResource } from '../../src/codecs/CallResource.js'
import { CommsNotifications } from '../../src/codecs/CommsNotification.js'
import type { CommsNotification } from '../../src/codecs/CommsNotification.js'
import { AnyOperation, operationTypeOf } from '../../src/codecs/CommsOperation.js'
import { decode } from '../../src/codecs/decode.js'
import { Participant } from '../../src/codecs/Participant.js'
import { actionCatalog } from '../../src/graph/actionCatalog.js'
import type { ActionName } from '../../src/graph/actionCatalog.js'
import { canonicalId } from '../../src/domain/canonicalId.js'

const dir = new URL('../fixtures/', import.meta.url)
const load = (name: string): unknown => JSON.parse(readFileSync(new URL(name, dir), 'utf8'))
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort()

const right = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(`expected a decode, got ${r.left.message}`)
  return r.right
}

const Roster = t.array(Participant)

/** Decodes a notification's resourceData by what its URL names; the pipeline routes the same way. */
const decodeResourceData = (n: CommsNotification) => {
  if (/\/operations\/[^/]+$/.test(n.resourceUrl)) return { kind: 'operation' as const, data: right(decode(AnyOperation, n.resourceData)) }
  if (/\/participants$/.test(n.resourceUrl)) return { kind: 'roster' as const, data: right(decode(Roster, n.resourceData)) }
  return { kind: 'call' as const, data: right(decode(CallResource, n.resourceData)) }
}

const decodeNotifications = (name: string) => {
  const batch = right(decode(CommsNotifications, load(name)))
  return batch.value.map((n) => ({ n, ...decodeResourceData(n) }))
}

/** The action of a `seed-<action>-<kind>.json` file. */
const actionOf = (name: string): ActionName => {
  const action = name.split('-')[1] ?? ''
  if (!(action in actionCatalog)) throw new Error(`no action ${action} for ${name}`)
  return action as ActionName
}

describe('every fixture decodes with its codec', () => {
  it('has the seed and quirk fixtures', () => {
    expect(files.filter((f) => f.startsWith('seed-'))).toHaveLength(9)
    expect(files.filter((f) => f.startsWith('quirk-'))).toHaveLength(6)
  })

  it.each(files)('%s', (name) => {
    if (name.endsWith('-request.json')) {
      const codec: t.Mixed = actionCatalog[actionOf(name)].body
      right(decode(codec, load(name)))
    } else if (name.endsWith('-answer.json')) {
      const op = right(decode(AnyOperation, load(name)))
      expect(op.status).toMatch(/^(notStarted|running|completed|failed)$/)
    } else {
      const decoded = decodeNotifications(name)
      expect(decoded.length).toBeGreaterThan(0)
    }
  })
})

describe('the seed examples', () => {
  it.each(['startHoldMusic', 'stopHoldMusic', 'unmute'] as const)('%s: the request body carries the documented clientContext', (action) => {
    const codec: t.Mixed = actionCatalog[action].body
    const body: { readonly clientContext?: unknown } = right(decode(codec, load(`seed-${action}-request.json`)))
    expect(body.clientContext).toBe(action === 'unmute' ? 'clientContext-value' : 'd45324c1-fcb5-430a-902c-f20af696537c')
  })

  it('startHoldMusic: the custom prompt keeps its media URI', () => {
    const body = right(decode(actionCatalog.startHoldMusic.body, load('seed-startHoldMusic-request.json')))
    expect(body.customPrompt?.mediaInfo.uri).toBe('https://bot.contoso.com/onHold.wav')
  })

  it.each(['startHoldMusic', 'stopHoldMusic', 'unmute'] as const)('%s: the answer is the operation subtype and status the catalog documents', (action) => {
    const op = right(decode(AnyOperation, load(`seed-${action}-answer.json`)))
    const spec = actionCatalog[action]
    expect(operationTypeOf(op)).toBe(spec.operationType)
    expect(op.status).toBe(spec.documentedAnswer.final ? 'completed' : 'running')
  })

  it.each(['startHoldMusic', 'stopHoldMusic'] as const)('%s: the completion is a deleted operation with its clientContext', (action) => {
    const [first, ...rest] = decodeNotifications(`seed-${action}-notification.json`)
    expect(rest).toHaveLength(0)
    expect(first?.n.changeType).toBe('deleted')
    expect(first?.kind).toBe('operation')
    expect(first?.data).toMatchObject({ status: 'completed', clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c' })
    if (first?.kind === 'operation') expect(operationTypeOf(first.data)).toBe(actionCatalog[action].operationType)
  })

  it('unmute: the roster update is an array of participants with media streams, isMuted and identity', () => {
    const [first] = decodeNotifications('seed-unmute-notification.json')
    expect(first?.kind).toBe('roster')
    expect(first?.data).toEqual([
      expect.objectContaining({
        id: '2765eb15-01f8-47c6-b12b-c32111a4a86f',
        isMuted: false,
        isInLobby: false,
        mediaStreams: [expect.objectContaining({ mediaType: 'audio', direction: 'sendReceive' })],
        info: expect.objectContaining({ identity: { user: { displayName: 'Bob', id: '5810cede-f3cc-42eb-b2c1-e9bd5d53ec96' } } }),
      }),
    ])
  })

  it('keeps resourceUrl as sent, with or without a leading slash', () => {
    expect(decodeNotifications('seed-stopHoldMusic-notification.json')[0]?.n.resourceUrl).toMatch(/^communications\/calls\//)
    expect(decodeNotifications('seed-unmute-notification.json')[0]?.n.resourceUrl).toMatch(/^\/communications\/calls\//)
  })
})

describe('the quirks', () => {
  it('reads the capitalised "Running" of the invite answer as running, with null identity members', () => {
    const op = right(decode(AnyOperation, load('quirk-invite-running-answer.json')))
    expect(op.status).toBe('running')
    expect(op.resultInfo).toBeNull()
    expect(operationTypeOf(op)).toBe('inviteParticipantsOperation')
    expect(op.participants?.[0]?.identity.user?.id).toBe('278405a3-f568-4b3e-b684-009193463064')
  })

  it('accepts an invite completion with "id": null on .../operations/participants: only clientContext identifies it', () => {
    const [first] = decodeNotifications('quirk-invite-completed-id-null.json')
    expect(first?.n.resourceUrl).toMatch(/\/operations\/participants$/)
    expect(first?.data).toMatchObject({ id: null, status: 'completed', clientContext: 'f2fa86af-3c51-4bc2-8fc0-475452d9764f' })
    if (first?.kind === 'operation') expect(first.data.participants).toHaveLength(2)
  })

  it('accepts the legacy /app/calls form, in resource beside resourceUrl and as the resourceUrl itself', () => {
    const [documented] = decodeNotifications('quirk-invite-completed-app-calls.json')
    expect(documented?.data).toMatchObject({ status: 'completed', id: 'eec3812a-fdc3-4fb4-825c-a06c9f35414e' })
    const [legacy] = decodeNotifications('quirk-legacy-app-calls-url.json')
    expect(legacy?.n.resourceUrl).toMatch(/^\/app\/calls\//)
    expect(legacy?.data).toMatchObject({ status: 'completed', clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c' })
  })

  it('reads upper-case ids without dashes, which canonicalId maps to the seed spelling', () => {
    const [first] = decodeNotifications('quirk-upper-case-ids.json')
    const [, callId, operationId] = /calls\/([^/]+)\/operations\/([^/]+)$/.exec(first?.n.resourceUrl ?? '') ?? []
    expect(canonicalId(callId ?? '')).toBe('e141b67c-90fd-455d-858b-b48a40b9cc8d')
    expect(canonicalId(operationId ?? '')).toBe('0fe0623f-d628-42ed-b4bd-8ac290072cc5')
    if (first?.kind === 'operation') expect(canonicalId(first.data.id ?? '')).toBe('0fe0623f-d628-42ed-b4bd-8ac290072cc5')
  })

  it('reads every notification of a POST that carries several calls, resourceData as object and as array', () => {
    const decoded = decodeNotifications('quirk-several-calls-one-post.json')
    expect(decoded.map((d) => d.kind)).toEqual(['operation', 'roster', 'call'])
    expect(new Set(decoded.map((d) => /calls\/([^/]+)/.exec(d.n.resourceUrl)?.[1])).size).toBe(3)
    expect(decoded[0]?.data).toMatchObject({ status: 'failed', resultInfo: { code: 500, subcode: 8500 } })
    expect(Array.isArray(decoded[1]?.data)).toBe(true)
    expect(decoded[2]?.data).toMatchObject({ state: 'terminated' })
  })
})
