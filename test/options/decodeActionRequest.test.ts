import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { InvalidRequest } from '../../src/domain/CallOpsError.js'
import { actionCatalog, actionNames } from '../../src/graph/actionCatalog.js'
import { decodeActionRequest } from '../../src/orchestrator/decodeActionRequest.js'
import { decodeCallRegistration } from '../../src/orchestrator/decodeCallRegistration.js'

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const A = 'a-participant'
const prompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/p.wav' } }

const refused = (r: E.Either<InvalidRequest, unknown>): InvalidRequest => {
  if (E.isRight(r)) throw new Error(`expected a refusal, got ${JSON.stringify(r.right)}`)
  expect(r.left._tag).toBe('InvalidRequest')
  return r.left
}

/** A valid request of each action (participant actions take a participant; playPrompt its prompts). */
const validRequest = (action: (typeof actionNames)[number]): Record<string, unknown> => ({
  callId: CALL,
  ...(actionCatalog[action].scope === 'participant' ? { participantId: A } : {}),
  ...(action === 'playPrompt' ? { prompts: [prompt] } : {}),
  ...(action === 'sendDtmfTones' ? { tones: ['tone1'] } : {}),
  ...(action === 'inviteParticipants' ? { participants: [{ identity: { user: { id: 'u' } } }] } : {}),
  ...(action === 'updateRecordingStatus' ? { status: 'recording' } : {}),
})

describe('decodeActionRequest', () => {
  it('accepts a valid request of every action of the catalog', () => {
    for (const action of actionNames) {
      const r = decodeActionRequest(action, validRequest(action))
      expect(E.isRight(r) ? r.right.action : r.left.message).toBe(action)
    }
  })

  it('answers InvalidRequest for an unknown action name, without throwing', () => {
    for (const action of ['bogus', 'StartHoldMusic', '__proto__', 'toString', 42, undefined]) {
      const e = refused(decodeActionRequest(action, { callId: CALL }))
      expect(e.path).toBe('action')
      expect(e.message).toContain('Invalid option `action`: got ')
      expect(e.message).toContain('expected one of "startHoldMusic", "stopHoldMusic",')
    }
  })

  it('refuses a request that is not an object', () => {
    for (const req of [undefined, null, 'x', [CALL]]) expect(refused(decodeActionRequest('unmute', req)).message).toContain('expected a request object')
  })

  it.each(['bogus', 'Queue', 'REJECT', 1, null])('refuses holdPolicy %j on startHoldMusic, naming the three policies', (holdPolicy) => {
    const e = refused(decodeActionRequest('startHoldMusic', { callId: CALL, participantId: A, holdPolicy }))
    expect(e.path).toBe('holdPolicy')
    expect(e.message).toContain('Invalid option `holdPolicy`: got ')
    expect(e.message).toContain('expected one of "reject", "queue", "swap"')
  })

  it('takes holdPolicy on startHoldMusic only', () => {
    const held = decodeActionRequest('startHoldMusic', { callId: CALL, participantId: A, holdPolicy: 'queue' })
    expect(E.isRight(held) && held.right.holdPolicy).toBe('queue')
    const e = refused(decodeActionRequest('stopHoldMusic', { callId: CALL, participantId: A, holdPolicy: 'queue' }))
    expect(e.message).toBe('Unknown option `holdPolicy`; known: callId, participantId, clientContext, signal.')
  })

  it('refuses unknown keys, naming those it knows', () => {
    const e = refused(decodeActionRequest('startHoldMusic', { callId: CALL, participantId: A, custmPrompt: prompt }))
    expect(e).toMatchObject({ path: 'custmPrompt', message: 'Unknown option `custmPrompt`; known: callId, participantId, clientContext, signal, holdPolicy, customPrompt.' })
    // A call action has no participant.
    expect(refused(decodeActionRequest('unmute', { callId: CALL, participantId: A })).path).toBe('participantId')
    // Keys named after Object.prototype members, as JSON.parse makes them (own properties).
    for (const key of ['__proto__', 'constructor', 'toString']) {
      expect(refused(decodeActionRequest('unmute', JSON.parse(`{"callId":"${CALL}","${key}":1}`))).path).toBe(key)
    }
  })

  it('refuses any request with a key that is neither its own nor its body\'s', () => {
    fc.assert(
      fc.property(fc.constantFrom(...actionNames), fc.string({ minLength: 1, maxLength: 16 }), fc.anything(), (action, key, value) => {
        const req = validRequest(action)
        fc.pre(!(key in req) && !['callId', 'participantId', 'clientContext', 'signal', 'holdPolicy', 'customPrompt', 'prompts', 'tones', 'participants', 'status',
          'bargeInAllowed', 'initialSilenceTimeoutInSeconds', 'maxSilenceTimeoutInSeconds', 'maxRecordDurationInSeconds', 'playBeep', 'stopTones',
          'requestedModalities', 'source', 'singleToneFlashDurationInMs'].includes(key))
        const r = decodeActionRequest(action, { ...req, [key]: value })
        return E.isLeft(r) && r.left.path === key && r.left.message.startsWith('Unknown option')
      }),
      { numRuns: 500 },
    )
  })

  it('checks ids, clientContext and signal as before', () => {
    expect(refused(decodeActionRequest('startHoldMusic', { callId: '../x', participantId: A })).path).toBe('callId')
    expect(refused(decodeActionRequest('startHoldMusic', { callId: CALL })).path).toBe('participantId')
    expect(refused(decodeActionRequest('unmute', { callId: CALL, clientContext: '' })).path).toBe('clientContext')
    expect(refused(decodeActionRequest('unmute', { callId: CALL, clientContext: 'constructor' })).path).toBe('clientContext')
    const e = refused(decodeActionRequest('unmute', { callId: CALL, signal: { aborted: false } }))
    expect(e).toMatchObject({ path: 'signal', message: 'Invalid option `signal`: got { aborted }; expected an AbortSignal.' })
  })

  it('decodes the body with the action\'s codec, and reports the failing field', () => {
    expect(refused(decodeActionRequest('playPrompt', { callId: CALL })).path).toBe('prompts')
    expect(refused(decodeActionRequest('playPrompt', { callId: CALL, prompts: [] })).path).toBe('prompts')
    expect(refused(decodeActionRequest('startHoldMusic', { callId: CALL, participantId: A, customPrompt: { mediaInfo: 5 } })).path).toContain('customPrompt')
  })

  it('returns what the orchestrator needs, and the body only when the request had body fields', () => {
    const controller = new AbortController()
    expect(decodeActionRequest('startHoldMusic', { callId: CALL, participantId: A, clientContext: 'k', signal: controller.signal, holdPolicy: 'swap', customPrompt: prompt })).toEqual(
      E.right({ action: 'startHoldMusic', callId: CALL, participantId: A, clientContext: 'k', signal: controller.signal, holdPolicy: 'swap', body: { customPrompt: prompt } }),
    )
    expect(decodeActionRequest('unmute', { callId: CALL, clientContext: undefined })).toEqual(E.right({ action: 'unmute', callId: CALL }))
    expect(decodeActionRequest('playPrompt', { callId: CALL, prompts: [prompt] })).toEqual(E.right({ action: 'playPrompt', callId: CALL, body: { prompts: [prompt] } }))
  })
})

describe('decodeCallRegistration', () => {
  it('accepts a call id with an optional kind and policy', () => {
    expect(decodeCallRegistration({ callId: CALL })).toEqual(E.right({ callId: CALL }))
    expect(decodeCallRegistration({ callId: CALL, kind: 'peerToPeer', holdPolicy: 'queue' })).toEqual(E.right({ callId: CALL, kind: 'peerToPeer', holdPolicy: 'queue' }))
    expect(decodeCallRegistration({ callId: CALL, kind: undefined })).toEqual(E.right({ callId: CALL }))
  })

  it('refuses a kind that is none of the three, in any case', () => {
    for (const kind of ['bogus', 'PeerToPeer', 'group ']) {
      const e = refused(decodeCallRegistration({ callId: CALL, kind }))
      expect(e.path).toBe('kind')
      expect(e.message).toContain(`Invalid option \`kind\`: got ${JSON.stringify(kind)}; expected one of "group", "peerToPeer", "unknown"`)
    }
  })

  it('refuses a bad hold policy, an unknown key, a bad call id and a non-object', () => {
    expect(refused(decodeCallRegistration({ callId: CALL, holdPolicy: 'Queue' })).path).toBe('holdPolicy')
    expect(refused(decodeCallRegistration({ callId: CALL, policy: 'queue' }))).toMatchObject({ path: 'policy', message: 'Unknown option `policy`; known: callId, kind, holdPolicy.' })
    expect(refused(decodeCallRegistration({ callId: 'a/b' })).path).toBe('callId')
    expect(refused(decodeCallRegistration({})).path).toBe('callId')
    expect(refused(decodeCallRegistration(null)).message).toContain('expected a call registration')
  })
})
