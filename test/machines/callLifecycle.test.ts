import { describe, expect, it } from 'vitest'
import type { CallEvent } from '../../machines/callTypes.js'
import type { IncomingCall } from '../../src/domain/IncomingCall.js'
import { accepted, completed, hold, request, startCall } from './callHarness.js'

const said = (state: string, extra: Partial<Extract<CallEvent, { type: 'call.updated' }>> = {}): CallEvent => ({ type: 'call.updated', state, ...extra })
const ringing: IncomingCall = { callId: 'call-1', caller: [{ kind: 'encrypted' }], callees: [[{ kind: 'application', id: 'bot' }]], answerDeadline: 15_000 }
const errorOf = (call: ReturnType<typeof startCall>, key: string) => {
  const s = call.settled(key)[0]
  return s === undefined || s.result.ok ? undefined : s.result.error
}

describe('the call lifecycle', () => {
  it('a call callops first meets any other way than ringing starts established with a free hold slot', () => {
    expect(startCall().state()).toBe('established.hold.free')
  })

  it('a ringing call goes incoming → establishing → established, and the answer deadline no longer applies once it moved on', () => {
    const call = startCall({ incoming: ringing })
    expect(call.state()).toBe('incoming.awaitingAnswer')
    expect(call.context().answerBy).toBe(15_000)
    call.send(said('establishing'))
    expect(call.state()).toBe('establishing')
    expect(call.context().answerBy).toBeUndefined()
    call.send(said('established'))
    expect(call.state()).toBe('established.hold.free')
  })

  it('operations are refused with InvalidRequest before anything is sent while the call is not established, and with CallEnded once it is ending', () => {
    const call = startCall({ incoming: ringing })
    const out = call.send(hold('h1', 'A'), request('p1', 'playPrompt'))
    expect(out.map((e) => e.type)).toEqual(['operation.settled', 'operation.settled'])
    expect(errorOf(call, 'h1')).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    call.send(said('establishing'), hold('h2', 'A'))
    expect(errorOf(call, 'h2')?._tag).toBe('InvalidRequest')
    call.send(said('established'), said('terminating'), hold('h3', 'A'))
    expect(call.state()).toBe('terminating')
    expect(errorOf(call, 'h3')?._tag).toBe('CallEnded')
    expect(call.http('h1').length + call.http('h2').length + call.http('h3').length).toBe(0)
  })

  it('a transfer runs beside the hold slot: it shows as transferring, and when it fails the participant is still held and the failure recorded', () => {
    const call = startCall({ kind: 'group' })
    call.send(hold('h1', 'A'), accepted('h1', completed()))
    expect(call.state()).toBe('established.hold.held')
    call.send(said('transferring'))
    expect(call.state()).toBe('established.hold.held + established.transfer.transferring')
    const failure = { resultInfo: { code: 500, subcode: 7000, message: 'transfer failed' } }
    call.send(said('established', { detail: failure }))
    expect(call.state()).toBe('established.hold.held')
    expect(call.context().transferFailure).toEqual(failure)
    expect(call.context().hold?.participantId).toBe('A')
  })

  it('an accepted transfer leaves established: new operations are refused, those under way still end, and terminated ends them CallEnded', () => {
    const call = startCall({ kind: 'group' })
    call.send(request('p1', 'playPrompt'), said('transferring'), said('transferaccepted'), request('p2', 'playPrompt'))
    expect(call.state()).toBe('transferAccepted')
    expect(errorOf(call, 'p2')?._tag).toBe('InvalidRequest')
    call.send({ type: 'call.terminated' })
    expect(call.state()).toBe('terminated')
    expect(errorOf(call, 'p1')?._tag).toBe('CallEnded')
  })

  it('a redirected call goes incoming → redirecting → terminated', () => {
    const call = startCall({ incoming: ringing })
    call.send(said('redirecting'), said('terminated'))
    expect(call.state()).toBe('terminated')
    expect(call.emitted.flatMap((e) => (e.type === 'call.news' && e.news.type === 'callState' ? [e.news.state] : []))).toEqual(['redirecting', 'terminated'])
  })
})
