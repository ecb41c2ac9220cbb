import { describe, expect, it } from 'vitest'
import type { CallActionRequested, CallActionSettled, CallEmitted, CallEvent } from '../../machines/callTypes.js'
import type { IncomingCall } from '../../src/domain/IncomingCall.js'
import { accepted, completed, failed, hold, request, startCall } from './callHarness.js'

const ringing: IncomingCall = { callId: 'call-1', caller: [{ kind: 'phone', id: '+15550100' }], callees: [[{ kind: 'application', id: 'bot' }]], answerDeadline: 15_000 }
const said = (state: string, extra: Partial<Extract<CallEvent, { type: 'call.updated' }>> = {}): CallEvent => ({ type: 'call.updated', state, ...extra })
const act = (clientContext: string, action: CallActionRequested['action'], extra: Partial<CallActionRequested> = {}): CallActionRequested => ({
  type: 'callAction.requested',
  clientContext,
  action,
  deadline: 60_000,
  requestedAt: 1_000,
  ...extra,
})
const settledOf = (emitted: readonly CallEmitted[], key: string) => emitted.filter((e): e is CallActionSettled => e.type === 'callAction.settled' && e.clientContext === key)
const sentOf = (emitted: readonly CallEmitted[]) => emitted.filter((e) => e.type === 'effect.callAction')

describe('the bot’s call actions in the call machine', () => {
  it('an answer asked at or after the answer deadline fails AnswerTooLate before anything is sent, even before the deadline was armed', () => {
    const call = startCall({ incoming: ringing })
    const out = call.send(act('a1', 'answer', { requestedAt: 15_000 }))
    expect(sentOf(out)).toHaveLength(0)
    expect(settledOf(out, 'a1')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'AnswerTooLate', answerDeadline: 15_000 } })
  })

  it('an answer is sent once and settles when Graph says established (establishing first or not)', () => {
    const call = startCall({ incoming: ringing })
    const out = call.send(act('a1', 'answer', { body: { acceptedModalities: ['audio'] } }))
    expect(sentOf(out)).toEqual([{ type: 'effect.callAction', clientContext: 'a1', action: 'answer', body: { acceptedModalities: ['audio'] } }])
    expect(call.context().callActions?.['a1']).toMatchObject({ action: 'answer' })
    const done = call.send({ type: 'callAction.accepted', clientContext: 'a1', status: 202 }, said('established'))
    expect(settledOf(done, 'a1')[0]?.result).toMatchObject({ ok: true, outcome: { action: 'answer', state: 'established' } })
    expect(call.context().callActions).toEqual({})
  })

  it('a second answer, reject or redirect while one is under way is refused', () => {
    const call = startCall({ incoming: ringing })
    call.send(act('a1', 'answer'))
    const out = call.send(act('r1', 'reject'))
    expect(sentOf(out)).toHaveLength(0)
    expect(settledOf(out, 'r1')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'InvalidRequest' } })
  })

  it('a DELETE answered 404 ends the call: the hang-up resolves alreadyEnded and operations under way end CallEnded', () => {
    const call = startCall({ kind: 'group' })
    call.send(hold('h1', 'A'), act('x', 'hangUp'))
    const out = call.send({ type: 'callAction.accepted', clientContext: 'x', status: 404, alreadyEnded: true })
    expect(call.state()).toBe('terminated')
    expect(settledOf(out, 'x')).toHaveLength(1)
    expect(settledOf(out, 'x')[0]?.result).toMatchObject({ ok: true, outcome: { action: 'hangUp', alreadyEnded: true } })
    expect(call.settled('h1')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'CallEnded' } })
  })

  it('removing a participant settles on the 2xx and drops them from the roster, telling participantLeft', () => {
    const call = startCall({ kind: 'group' })
    call.send({ type: 'roster.updated', participants: [{ id: 'A', displayName: 'Alice' }] }, act('r', 'removeParticipant', { participantId: 'A' }))
    const out = call.send({ type: 'callAction.accepted', clientContext: 'r', status: 204 })
    expect(settledOf(out, 'r')[0]?.result).toMatchObject({ ok: true, outcome: { participantId: 'A' } })
    expect(call.context().roster).toEqual({})
    expect(out.some((e) => e.type === 'call.news' && e.news.type === 'participantLeft')).toBe(true)
  })

  it('a call action with no outcome by its deadline settles Timeout, and an HTTP refusal settles with the error', () => {
    const call = startCall({ kind: 'group' })
    call.send(act('t', 'transfer', { deadline: 5_000 }), act('r', 'removeParticipant', { participantId: 'A' }))
    const refused = call.send({ type: 'callAction.rejected', clientContext: 'r', error: { _tag: 'Http', status: 403, message: 'forbidden' } })
    expect(settledOf(refused, 'r')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'Http', status: 403 } })
    const late = call.send({ type: 'deadline.reached', now: 5_000 })
    expect(settledOf(late, 't')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'Timeout' } })
  })
})

describe('a transfer of a call an invite made a group call', () => {
  it('is refused InvalidRequest before anything is sent once an invite succeeded in a peer-to-peer call', () => {
    const call = startCall({ kind: 'peerToPeer' })
    call.send(request('i1', 'inviteParticipants'), accepted('i1', completed('i1')))
    expect(call.context().groupByInvite).toBe(true)
    const out = call.send(act('t1', 'transfer'))
    expect(sentOf(out)).toHaveLength(0)
    expect(settledOf(out, 't1')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'InvalidRequest', path: 'callId', message: expect.stringMatching(/invite made it a group call/) } })
  })

  it('also in a call that rang the bot one to one (no chatInfo or meetingInfo), answered and then invited into', () => {
    const call = startCall({ incoming: ringing })
    call.send(act('a1', 'answer'), { type: 'callAction.accepted', clientContext: 'a1', status: 202 }, said('established'))
    call.send(request('i1', 'inviteParticipants'), accepted('i1', completed('i1')))
    const out = call.send(act('t1', 'transfer'))
    expect(sentOf(out)).toHaveLength(0)
    expect(settledOf(out, 't1')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'InvalidRequest' } })
  })

  it('is still sent after a failed invite, and in a group call after an invite', () => {
    const p2p = startCall({ kind: 'peerToPeer' })
    p2p.send(request('i1', 'inviteParticipants'), accepted('i1', failed('i1')))
    expect(sentOf(p2p.send(act('t1', 'transfer')))).toHaveLength(1)
    const group = startCall({ kind: 'group' })
    group.send(request('i1', 'inviteParticipants'), accepted('i1', completed('i1')))
    expect(sentOf(group.send(act('t1', 'transfer')))).toHaveLength(1)
  })
})

describe('a call the bot created', () => {
  it('starts establishing and its createCall (already sent) settles on established, or fails with the terminated resultInfo', () => {
    const up = startCall({ outgoing: true })
    expect(up.state()).toBe('establishing')
    expect(sentOf(up.send(act('c', 'createCall', { sent: true })))).toHaveLength(0)
    expect(settledOf(up.send(said('established')), 'c')[0]?.result).toMatchObject({ ok: true, outcome: { action: 'createCall', state: 'established' } })
    const down = startCall({ outgoing: true })
    down.send(act('c', 'createCall', { sent: true }))
    const out = down.send(said('terminated', { detail: { resultInfo: { code: 480, subcode: 10_004 } } }))
    expect(settledOf(out, 'c')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'CallActionFailed', action: 'createCall', resultInfo: { code: 480 } } })
  })

  it('a createCall whose established came before the 201 was handled settles at once', () => {
    const call = startCall({ outgoing: true })
    call.send(said('established'))
    expect(settledOf(call.send(act('c', 'createCall', { sent: true })), 'c')[0]?.result).toMatchObject({ ok: true })
  })
})

describe('a transfer Graph fails without telling transferring first', () => {
  it('fails with the resultInfo of the established that came back, and the hold slot is untouched', () => {
    const call = startCall({ kind: 'group' })
    call.send(hold('h1', 'A'), act('t', 'transfer'), { type: 'callAction.accepted', clientContext: 't', status: 202 })
    const out = call.send(said('established', { detail: { resultInfo: { code: 500, subcode: 7700 } } }))
    expect(settledOf(out, 't')[0]?.result).toMatchObject({ ok: false, error: { _tag: 'CallActionFailed', action: 'transfer', resultInfo: { code: 500, subcode: 7700 } } })
    expect(call.state()).toBe('established.hold.holding')
    expect(call.context().transferFailure).toMatchObject({ resultInfo: { code: 500, subcode: 7700 } })
  })
})
