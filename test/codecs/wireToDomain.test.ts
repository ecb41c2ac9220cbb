import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { CallResource } from '../../src/codecs/CallResource.js'
import { CommsNotification } from '../../src/codecs/CommsNotification.js'
import { decode } from '../../src/codecs/decode.js'
import { isLegacyNotification } from '../../src/codecs/isLegacyNotification.js'
import { ResultInfo } from '../../src/codecs/ResultInfo.js'
import { toCallStateDetail } from '../../src/codecs/toCallStateDetail.js'
import { toIdentityList } from '../../src/codecs/toIdentityList.js'
import { isPolicyRecordingInvite, toIncomingCall } from '../../src/codecs/toIncomingCall.js'
import { toOperationReport } from '../../src/codecs/toOperationReport.js'
import { statusWithCompletion } from '../../src/domain/statusWithCompletion.js'
import { toCallEvents } from '../../src/notifications/toCallEvents.js'

const right = <A>(r: E.Either<{ readonly message: string }, A>): A => {
  if (E.isLeft(r)) throw new Error(r.left.message)
  return r.right
}

describe('an operation outcome read with its completionReason', () => {
  it('a completed operation whose completionReason is "unknown" (an unknown error) has failed', () => {
    expect(statusWithCompletion('completed', 'unknown')).toBe('failed')
  })

  it.each([
    ['completed', 'completedSuccessfully', 'completed'],
    ['completed', 'mediaOperationCanceled', 'completed'],
    ['completed', undefined, 'completed'],
    ['running', 'unknown', 'running'],
    ['failed', 'unknown', 'failed'],
    [undefined, 'unknown', undefined],
  ] as const)('%s with %s stays %s', (status, reason, expected) => {
    expect(statusWithCompletion(status, reason)).toBe(expected)
  })

  it('the answer and notification codec applies it', () => {
    expect(toOperationReport({ status: 'completed', completionReason: 'unknown' })).toEqual({ status: 'failed', completionReason: 'unknown' })
  })
})

describe('resultInfo in every documented spelling', () => {
  it.each([
    [{ code: '200', subcode: '5001', message: 'The conversation has ended.' }, { code: 200, subcode: 5001, message: 'The conversation has ended.' }],
    [{ code: '0' }, { code: 0 }],
    [{ code: 500, subCode: 7000, message: '<message>' }, { code: 500, subcode: 7000, message: '<message>' }],
    [{ code: 200, subcode: null, message: null }, { code: 200 }],
  ])('%j reads as %j', (wire, domain) => {
    expect(right(decode(ResultInfo, wire))).toEqual(domain)
  })

  it('a code that is no number is refused at its path', () => {
    expect(decode(ResultInfo, { code: 'OK' })).toMatchObject({ _tag: 'Left', left: { path: 'code' } })
  })
})

describe('identities', () => {
  it('lists every member of an identitySet in a stable order, encrypted ones as such, later members as unknown', () => {
    const set = {
      '@odata.type': '#microsoft.graph.identitySet',
      phone: { id: '+15550100' },
      user: { id: 'u1', displayName: 'Ann', tenantId: 't1', identityProvider: 'AAD' },
      device: null,
      hologram: { id: 'h1' },
      encrypted: { '@odata.type': '#microsoft.graph.identity', id: '1xt4uextl99s' },
    }
    expect(toIdentityList(set)).toEqual([
      { kind: 'user', id: 'u1', displayName: 'Ann', tenantId: 't1' },
      { kind: 'phone', id: '+15550100' },
      { kind: 'encrypted', id: '1xt4uextl99s' },
      { kind: 'unknown', id: 'h1' },
    ])
    expect(toIdentityList(null)).toEqual([])
  })
})

describe('incoming calls', () => {
  const incoming = {
    state: 'incoming',
    direction: 'incoming',
    source: { identity: { encrypted: { id: 'enc-1' } } },
    targets: [{ identity: { applicationInstance: { id: 'ai-1', displayName: 'Line 1' } } }],
    incomingContext: { observedParticipantId: 'p1', onBehalfOf: { user: { id: 'boss' } }, transferor: null },
    chatInfo: { threadId: 't' },
  }

  it('carry the caller, callees, context and chat, with a 15 s deadline from the receive time', () => {
    expect(toIncomingCall('c1', right(decode(CallResource, incoming)), 1_000)).toEqual({
      callId: 'c1',
      caller: [{ kind: 'encrypted', id: 'enc-1' }],
      callees: [[{ kind: 'applicationInstance', id: 'ai-1', displayName: 'Line 1' }]],
      direction: 'incoming',
      incomingContext: { observedParticipantId: 'p1', onBehalfOf: [{ kind: 'user', id: 'boss' }] },
      chatInfo: { threadId: 't' },
      answerDeadline: 16_000,
    })
  })

  it('are policy-based recording invites when applicationMetadata.botData.inviteReasons says so, and then have 5 s', () => {
    const recording = { ...incoming, applicationMetadata: { botData: { inviteReasons: ['policyBasedRecording'] } } }
    expect(isPolicyRecordingInvite(right(decode(CallResource, recording)))).toBe(true)
    expect(isPolicyRecordingInvite(right(decode(CallResource, { ...incoming, applicationMetadata: { botData: { inviteReasons: 'PolicyBasedRecording' } } })))).toBe(false)
    expect(toIncomingCall('c1', right(decode(CallResource, recording)), 1_000).answerDeadline).toBe(6_000)
  })

  it('only a created notification with state incoming is an incoming call', () => {
    const note = (changeType: string) => right(decode(CommsNotification, { changeType, resourceUrl: '/communications/calls/c1', resourceData: incoming }))
    expect(right(toCallEvents(note('created'), 0, 0))[0]?.event.type).toBe('call.incoming')
    expect(right(toCallEvents(note('updated'), 0, 0))[0]?.event).toMatchObject({ type: 'call.updated', state: 'incoming' })
  })
})

describe('call-state news', () => {
  const update = (resourceData: unknown) =>
    right(toCallEvents(right(decode(CommsNotification, { changeType: 'updated', resourceUrl: '/communications/calls/c1', resourceData })), 0, 0))

  it('keeps state, media and tone values callops does not know, rather than refusing them', () => {
    expect(update({ state: 'parked', mediaState: { audio: 'unknownFutureValue' }, toneInfo: { tone: 'tone10', sequenceId: '7' } })).toEqual([
      { callId: 'c1', event: { type: 'call.updated', state: 'parked', detail: { audio: 'unknownFutureValue' }, tone: { tone: 'tone10', sequenceId: 7 } } },
    ])
  })

  it('tells the audio going inactive during a transfer', () => {
    expect(toCallStateDetail(right(decode(CallResource, { state: 'transferring', mediaState: { audio: 'inactive' } })))).toEqual({ audio: 'inactive' })
  })
})

describe('the legacy (Skype calling) format', () => {
  it('is a body with a top-level callState and no value array', () => {
    expect(isLegacyNotification({ id: 'x', participants: [], isMultiparty: false, presentedModalityTypes: ['audio'], callState: 'incoming' })).toBe(true)
    expect(isLegacyNotification({ id: 'x', callState: 'established', operationOutcome: { type: 'answerOutcome', outcome: 'success' } })).toBe(true)
    expect(isLegacyNotification({ value: [], callState: 'incoming' })).toBe(false)
    expect(isLegacyNotification({ value: [] })).toBe(false)
    expect(isLegacyNotification('incoming')).toBe(false)
  })
})
