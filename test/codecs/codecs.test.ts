import { readFileSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { ClientContext } from '../../src/codecs/ClientContext.js'
import { CommsNotifications } from '../../src/codecs/CommsNotification.js'
import { AnyOperation, CommsOperation, operationCodecs, operationTypeOf } from '../../src/codecs/CommsOperation.js'
import { decode } from '../../src/codecs/decode.js'
import { GraphErrorBody } from '../../src/codecs/GraphErrorBody.js'
import { OperationStatus } from '../../src/codecs/OperationStatus.js'
import { Participant } from '../../src/codecs/Participant.js'
import { EmptyBody, PlayPromptBody, StartHoldMusicBody } from '../../src/codecs/requestBodies.js'

const load = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>

/** The fixture with one value replaced, the way a broken sender would send it. */
const withValue = (name: string, path: readonly (string | number)[], value: unknown): unknown => {
  const root = load(name)
  let node: unknown = root
  for (const key of path.slice(0, -1)) node = (node as Record<string | number, unknown>)[key]
  ;(node as Record<string | number, unknown>)[path[path.length - 1] ?? ''] = value
  return root
}

const failurePath = (codec: t.Mixed, input: unknown): string => {
  const r = decode(codec, input)
  if (E.isRight(r)) throw new Error('expected the decode to fail')
  expect(r.left._tag).toBe('Decode')
  expect(r.left.message.startsWith(r.left.path === '' ? '<root>' : r.left.path)).toBe(true)
  return r.left.path
}

describe('a failed decode names the path that failed', () => {
  it.each([
    ['a notification change type', CommsNotifications, withValue('seed-stopHoldMusic-notification.json', ['value', 0, 'changeType'], 'moved'), 'value.0.changeType'],
    ['a notification without resourceUrl', CommsNotifications, withValue('seed-stopHoldMusic-notification.json', ['value', 0, 'resourceUrl'], undefined), 'value.0.resourceUrl'],
    ['resourceData that is a string', CommsNotifications, withValue('seed-stopHoldMusic-notification.json', ['value', 0, 'resourceData'], 'x'), 'value.0.resourceData'],
    ['a notification batch without value', CommsNotifications, { '@odata.type': '#microsoft.graph.commsNotifications' }, 'value'],
    ['an operation status', AnyOperation, withValue('seed-startHoldMusic-answer.json', ['status'], 'paused'), 'status'],
    ['a resultInfo code that is no number (numeric strings are read)', AnyOperation, { status: 'failed', resultInfo: { code: 'five hundred' } }, 'resultInfo.code'],
    ['an invited participant identity', AnyOperation, withValue('quirk-invite-running-answer.json', ['participants', 0, 'identity', 'user'], 'bob'), 'participants.0.identity.user'],
    ['a hold music prompt URI', StartHoldMusicBody, withValue('seed-startHoldMusic-request.json', ['customPrompt', 'mediaInfo', 'uri'], 42), 'customPrompt.mediaInfo.uri'],
    ['a roster participant stream', t.array(Participant), [{ id: 'p', mediaStreams: [{ mediaType: 'audio', serverMuted: 'no' }] }], '0.mediaStreams.0.serverMuted'],
    ['a participant without id', Participant, { isMuted: false }, 'id'],
    ['a Graph error without code', GraphErrorBody, { error: { message: 'x' } }, 'error.code'],
    ['too many prompts', PlayPromptBody, { prompts: Array.from({ length: 21 }, () => ({ mediaInfo: { uri: 'https://x/a.wav' } })) }, 'prompts'],
    ['a prompt of playPrompt', PlayPromptBody, { prompts: [{ mediaInfo: { uri: 'https://x/a.wav' } }, { mediaInfo: {} }] }, 'prompts.1.mediaInfo.uri'],
    ['something that is not an object', AnyOperation, 'running', ''],
  ] as const)('%s', (_, codec, input, path) => {
    expect(failurePath(codec as t.Mixed, input)).toBe(path)
  })

  it('never throws, whatever the input', () => {
    const codecs: t.Mixed[] = [CommsNotifications, AnyOperation, Participant, GraphErrorBody, PlayPromptBody, StartHoldMusicBody]
    fc.assert(
      fc.property(fc.anything({ withBigInt: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true }), (u) => {
        for (const codec of codecs) expect(() => decode(codec, u)).not.toThrow()
      }),
    )
  })
})

describe('clientContext', () => {
  it('accepts 1 to 256 characters', () => {
    expect(E.isRight(decode(ClientContext, 'a'))).toBe(true)
    expect(E.isRight(decode(ClientContext, 'x'.repeat(256)))).toBe(true)
    expect(E.isRight(decode(EmptyBody, { clientContext: 'x'.repeat(256) }))).toBe(true)
  })

  it('refuses 257 characters and the empty string, in a body too', () => {
    expect(failurePath(ClientContext, 'x'.repeat(257))).toBe('')
    expect(failurePath(ClientContext, '')).toBe('')
    expect(failurePath(EmptyBody, { clientContext: 'x'.repeat(257) })).toBe('clientContext')
    expect(failurePath(StartHoldMusicBody, { clientContext: 'x'.repeat(257) })).toBe('clientContext')
  })
})

describe('operation status', () => {
  it.each([
    ['Running', 'running'],
    ['running', 'running'],
    ['RUNNING', 'running'],
    ['Completed', 'completed'],
    ['FAILED', 'failed'],
    ['notstarted', 'notStarted'],
    ['NotStarted', 'notStarted'],
  ])('normalises %s to %s', (wire, status) => {
    expect(decode(OperationStatus, wire)).toEqual(E.right(status))
    expect(decode(CommsOperation, { status: wire })).toEqual(E.right({ status }))
  })

  it('refuses a status Graph does not define', () => {
    for (const s of ['done', 'running ', '', 3, null]) expect(E.isLeft(decode(OperationStatus, s))).toBe(true)
  })
})

describe('operationTypeOf', () => {
  it('tells every operation subtype of the catalog from its @odata.type, with or without the #', () => {
    for (const name of Object.keys(operationCodecs)) {
      expect(operationTypeOf({ '@odata.type': `#microsoft.graph.${name}` })).toBe(name)
      expect(operationTypeOf({ '@odata.type': `microsoft.graph.${name}` })).toBe(name)
    }
  })

  it('answers undefined for no @odata.type or a type that is not an operation of the catalog', () => {
    expect(operationTypeOf({})).toBeUndefined()
    expect(operationTypeOf({ '@odata.type': '#microsoft.graph.participant' })).toBeUndefined()
    expect(operationTypeOf({ '@odata.type': '#microsoft.graph.commsOperation' })).toBeUndefined()
    expect(operationTypeOf({ '@odata.type': '#microsoft.graph.toString' })).toBeUndefined()
    expect(operationTypeOf({ '@odata.type': '#microsoft.graph.__proto__' })).toBeUndefined()
  })

  it('reads the subtype of the seed answers', () => {
    const typeOf = (name: string) => {
      const r = decode(AnyOperation, load(name))
      return E.isRight(r) ? operationTypeOf(r.right) : r.left.message
    }
    expect(typeOf('seed-unmute-answer.json')).toBe('unmuteParticipantOperation')
    expect(typeOf('seed-stopHoldMusic-answer.json')).toBe('stopHoldMusicOperation')
  })
})
