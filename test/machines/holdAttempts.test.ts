import { describe, expect, it } from 'vitest'
import type { CallEmitted } from '../../machines/callTypes.js'
import { accepted, completed, failed, hold, httpError, notified, rejected, startCall, unhold, type CallHarness } from './callHarness.js'

// Issue 14, findings 1 and 2: every attempt's outcome counts, late ones included, until no
// startHoldMusic can still have put the participant on hold.

const types = (emitted: readonly CallEmitted[]) => emitted.map((e) => `${e.type} ${'clientContext' in e ? e.clientContext : ''}`.trim())

const tick = (now: number) => ({ type: 'deadline.reached', now }) as const

/** A hold of A that timed out at 800 ms: the caller was told Timeout, the slot is `A/holding`. */
const timedOutHold = (key = 'h1'): CallHarness => {
  const call = startCall()
  call.send(hold(key, 'A', { deadline: 800 }), tick(800))
  expect(call.settled(key)).toMatchObject([{ result: { ok: false, error: { _tag: 'Timeout' } } }])
  expect(call.state()).toBe('established.hold.holding')
  return call
}

describe('a hold refused late (finding 1)', () => {
  it.each([400, 404])('a hold answered HTTP %i after its timeout frees the slot, so another participant can be held', (status) => {
    const call = timedOutHold()
    const out = call.send(rejected('h1', httpError(status)))
    expect(types(out)).toEqual(['operation.lateOutcome h1'])
    expect(out[0]).toMatchObject({ operation: { status: 'failed' }, error: { _tag: 'Http', status } })
    expect(call.state()).toBe('established.hold.free')
    expect(types(call.send(hold('h2', 'B')))).toEqual(['effect.http h2'])
  })

  it('a 5xx or a network error after the timeout proves nothing: the slot stays, and a later completion still confirms the hold', () => {
    const call = timedOutHold()
    expect(call.send(rejected('h1', httpError(503)), rejected('h1', httpError()))).toEqual([])
    expect(call.state()).toBe('established.hold.holding')
    expect(call.context().inFlight['h1']?.timedOut).toBe(true)
    call.send(notified(completed('h1')))
    expect(call.state()).toBe('established.hold.held')
  })

  it('a stopHoldMusic refused after its timeout leaves the participant held, and a later release still frees the slot', () => {
    const call = startCall()
    call.send(hold('h1', 'A'), accepted('h1', completed()), unhold('s1', 'A', { deadline: 800 }), tick(800))
    expect(call.state()).toBe('established.hold.held')
    const out = call.send(rejected('s1', httpError(400)))
    expect(types(out)).toEqual(['operation.lateOutcome s1'])
    expect(call.state()).toBe('established.hold.held')
    expect(call.send(hold('h2', 'B'))).toMatchObject([{ type: 'operation.settled', result: { ok: false, error: { _tag: 'HoldConflict', heldBy: 'A' } } }])
    call.send(unhold('s2', 'A', { deadline: 120_000 }), accepted('s2', completed()))
    expect(call.state()).toBe('established.hold.free')
  })
})

describe('a cancelled hold attempt still counts (the chaos run\'s stuck slot)', () => {
  const cancel = (clientContext: string) => ({ type: 'operation.cancel', clientContext }) as const

  it('a hold cancelled after it was sent, then refused 404 (the participant had left), frees the slot, so another participant can be held', () => {
    const call = startCall()
    call.send(hold('h1', 'A'), cancel('h1'))
    expect(call.settled('h1')).toMatchObject([{ result: { ok: false, error: { _tag: 'Cancelled' } } }])
    expect(call.state()).toBe('established.hold.holding')
    const out = call.send(rejected('h1', httpError(404)))
    expect(types(out)).toEqual(['operation.lateOutcome h1'])
    expect(call.state()).toBe('established.hold.free')
    expect(call.context().inFlight['h1']).toBeUndefined()
    expect(types(call.send(hold('h2', 'B')))).toEqual(['effect.http h2'])
  })

  it('a hold cancelled after it was sent that Graph carried out anyway confirms the slot', () => {
    const call = startCall()
    call.send(hold('h1', 'A'), cancel('h1'), accepted('h1', completed()))
    expect(call.state()).toBe('established.hold.held')
    expect(call.context().hold).toMatchObject({ operation: { clientContext: 'h1', status: 'completed' } })
  })

  it('a cancelled request that was aborted under way proves nothing: the slot stays until a definite outcome', () => {
    const call = startCall()
    call.send(hold('h1', 'A'), cancel('h1'), rejected('h1', { _tag: 'Cancelled', message: 'cancelled while under way' }))
    expect(call.state()).toBe('established.hold.holding')
    call.send(notified(failed('h1')))
    expect(call.state()).toBe('established.hold.free')
  })
})

describe('every hold attempt counts (finding 2)', () => {
  it('a timed-out hold, a retry that fails, then the first failing late: the slot is freed', () => {
    const call = timedOutHold()
    call.send(hold('h2', 'A', { deadline: 5_000 }), rejected('h2', httpError(400)))
    expect(call.settled('h2')).toMatchObject([{ result: { ok: false, error: { _tag: 'Http', status: 400 } } }])
    expect(call.state()).toBe('established.hold.holding')
    call.send(notified(failed('h1')))
    expect(call.state()).toBe('established.hold.free')
    expect(call.context().hold).toBeUndefined()
  })

  it('the same in the other order: the first fails late while the retry is pending, then the retry fails', () => {
    const call = timedOutHold()
    call.send(hold('h2', 'A', { deadline: 5_000 }), notified(failed('h1')))
    expect(call.state()).toBe('established.hold.holding')
    expect(call.context().hold?.attempts).toEqual(['h2'])
    call.send(accepted('h2', { status: 'failed', resultInfo: { code: 500 } }))
    expect(call.state()).toBe('established.hold.free')
  })

  it('a late success of the first attempt after the retry failed puts the slot on hold with that operation', () => {
    const call = timedOutHold()
    call.send(hold('h2', 'A', { deadline: 5_000 }), rejected('h2', httpError(404)), notified(completed('h1')))
    expect(call.state()).toBe('established.hold.held')
    expect(call.context().hold).toMatchObject({ holdKey: 'h1', operation: { clientContext: 'h1', status: 'completed' } })
  })

  it('three attempts: the slot is freed only when the last one that may hold has failed for certain', () => {
    const call = timedOutHold()
    call.send(hold('h2', 'A', { deadline: 1_600 }), tick(1_600), hold('h3', 'A', { deadline: 5_000 }))
    expect(call.context().hold?.attempts).toEqual(['h1', 'h2', 'h3'])
    call.send(rejected('h3', httpError(400)), notified(failed('h1')))
    expect(call.state()).toBe('established.hold.holding')
    call.send(rejected('h2', httpError(409)))
    expect(call.state()).toBe('established.hold.free')
  })

  it('an attempt that ended without an outcome (cancelled) keeps the slot, however the others end', () => {
    const call = startCall()
    call.send(hold('h1', 'A'), { type: 'operation.cancel', clientContext: 'h1' }, hold('h2', 'A'), rejected('h2', httpError(400)))
    expect(call.state()).toBe('established.hold.holding')
    expect(call.context().hold?.attempts).toEqual(['h1'])
  })

  it('a late success of an attempt from before a successful release does not take the slot again', () => {
    const call = timedOutHold()
    call.send(unhold('s1', 'A', { deadline: 5_000 }), accepted('s1', completed()))
    expect(call.state()).toBe('established.hold.free')
    call.send(hold('h2', 'A', { deadline: 5_000 }), notified(completed('h1')))
    // h1 was carried out before s1; only h2 may hold A now.
    expect(call.state()).toBe('established.hold.holding')
    expect(call.context().hold).toMatchObject({ holdKey: 'h2', attempts: ['h2'] })
    call.send(rejected('h2', httpError(400)))
    expect(call.state()).toBe('established.hold.free')
  })

  it('a release that timed out while the hold was unconfirmed frees the slot when it succeeds late', () => {
    const call = timedOutHold()
    call.send(unhold('s1', 'A', { deadline: 1_600 }), tick(1_600))
    expect(call.state()).toBe('established.hold.holding')
    call.send(notified(completed('s1')))
    expect(call.state()).toBe('established.hold.free')
  })

  it('such a release covers only the attempts sent before it: after its late success, a newer attempt alone holds the slot', () => {
    const call = timedOutHold()
    call.send(unhold('s1', 'A', { deadline: 1_600 }), tick(1_600), hold('h2', 'A', { deadline: 5_000 }), notified(completed('s1')))
    expect(call.state()).toBe('established.hold.holding')
    expect(call.context().hold).toMatchObject({ holdKey: 'h2', attempts: ['h2'] })
    call.send(rejected('h2', httpError(400)))
    expect(call.state()).toBe('established.hold.free')
  })

  it('a hold confirmed before a release that timed out is taken back by its late success, while a newer attempt may still hold', () => {
    const call = timedOutHold()
    call.send(unhold('s1', 'A', { deadline: 1_600 }), tick(1_600), hold('h2', 'A', { deadline: 5_000 }), notified(completed('h1')))
    expect(call.state()).toBe('established.hold.held')
    call.send(notified(completed('s1')))
    expect(call.state()).toBe('established.hold.holding')
    expect(call.context().hold).toMatchObject({ holdKey: 'h2', attempts: ['h2'] })
    expect(call.context().hold?.operation).toBeUndefined()
    call.send(accepted('h2', { status: 'failed', resultInfo: { code: 500 } }))
    expect(call.state()).toBe('established.hold.free')
  })

  it('during a release asked for while holding, the attempts still count: a late success confirms, late failures free', () => {
    const confirmed = timedOutHold()
    confirmed.send(unhold('s1', 'A', { deadline: 5_000 }), notified(completed('h1')))
    expect(confirmed.state()).toBe('established.hold.releasing')
    confirmed.send(rejected('s1', httpError(400)))
    expect(confirmed.state()).toBe('established.hold.held')

    const refused = timedOutHold()
    refused.send(hold('h2', 'A', { deadline: 1_600 }), tick(1_600), unhold('s1', 'A', { deadline: 5_000 }))
    refused.send(rejected('h1', httpError(400)))
    expect(refused.state()).toBe('established.hold.releasing')
    refused.send(notified(failed('h2')))
    expect(refused.state()).toBe('established.hold.free')
  })
})
