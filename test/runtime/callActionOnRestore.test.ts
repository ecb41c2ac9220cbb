import { describe, expect, it } from 'vitest'
import type { CallContext } from '../../machines/callTypes.js'
import { callActionOnRestore } from '../../src/runtime/callActionOnRestore.js'

// What restore() does with a call action whose sender died before Graph's answer (docs/reliability.md).

const context = (graphState?: string): CallContext => ({
  callId: 'call-1',
  holdPolicy: 'reject',
  kind: 'unknown',
  roster: {},
  queue: [],
  inFlight: {},
  orphans: {},
  joiners: {},
  ...(graphState === undefined ? {} : { graphState }),
})

describe('a call action taken up by restore()', () => {
  it('a hang-up or a participant removal (DELETEs) is resent with its participant and body', () => {
    expect(callActionOnRestore(context('established'), 'h', { action: 'hangUp', deadline: 1 })).toEqual({ type: 'effect.callAction', clientContext: 'h', action: 'hangUp' })
    expect(callActionOnRestore(context('established'), 'r', { action: 'removeParticipant', participantId: 'p1', deadline: 1 })).toMatchObject({ type: 'effect.callAction', participantId: 'p1' })
  })

  it('an answer, reject or redirect is resent while the call still rings, and left to the call state once it moved on', () => {
    expect(callActionOnRestore(context('incoming'), 'a', { action: 'answer', body: { acceptedModalities: ['audio'] }, deadline: 1 })).toMatchObject({ type: 'effect.callAction', body: { acceptedModalities: ['audio'] } })
    expect(callActionOnRestore(context(), 'r', { action: 'reject', deadline: 1 })).toMatchObject({ type: 'effect.callAction' })
    expect(callActionOnRestore(context('establishing'), 'a', { action: 'answer', deadline: 1 })).toEqual({ type: 'wait' })
  })

  it('a transfer is never resent: OutcomeUnknown, unless the call shows it under way', () => {
    expect(callActionOnRestore(context('established'), 't', { action: 'transfer', deadline: 1 })).toMatchObject({ type: 'callAction.rejected', error: { _tag: 'OutcomeUnknown', action: 'transfer', callId: 'call-1' } })
    expect(callActionOnRestore(context('transferring'), 't', { action: 'transfer', deadline: 1 })).toEqual({ type: 'wait' })
  })
})
