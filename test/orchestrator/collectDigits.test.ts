import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { collectDigits } from '../../src/index.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { createEventPublisher } from '../../src/runtime/createEventPublisher.js'
import { controlledClock } from '../../src/testing/controlledClock.js'

const CALL = 'call-1'
const setup = () => {
  const events = createEventPublisher(silentLogger)
  const clock = controlledClock()
  const press = (...tones: string[]) => {
    for (const tone of tones) events.publish({ type: 'tone', callId: CALL, tone })
  }
  return { events, clock, press }
}

describe('collectDigits', () => {
  it('resolves with the tones once the count is reached, ignoring other calls', async () => {
    const { events, clock, press } = setup()
    const digits = collectDigits(events, { callId: CALL, count: 3, timeoutMs: 5_000, clock })
    events.publish({ type: 'tone', callId: 'other-call', tone: 'tone9' })
    press('tone1', 'tone2', 'tone3', 'tone4')
    expect(await digits).toEqual(E.right({ tones: ['tone1', 'tone2', 'tone3'], endedBy: 'count' }))
    expect(events.listening()).toBe(false)
  })

  it('stops at the terminator, which is not part of the input', async () => {
    const { events, clock, press } = setup()
    const digits = collectDigits(events, { callId: CALL, count: 10, terminator: 'pound', timeoutMs: 5_000, clock })
    press('tone4', 'star', 'pound')
    expect(await digits).toEqual(E.right({ tones: ['tone4', 'star'], endedBy: 'terminator' }))
  })

  it('times out on the injected clock with what was pressed so far', async () => {
    const { events, clock, press } = setup()
    const digits = collectDigits(events, { callId: CALL, count: 4, timeoutMs: 5_000, clock })
    press('tone1')
    clock.advance(4_999)
    press('tone2')
    clock.advance(1)
    expect(await digits).toMatchObject({ _tag: 'Left', left: { _tag: 'Timeout', tones: ['tone1', 'tone2'] } })
    expect(clock.pendingTimers).toBe(0)
  })

  it('ends Cancelled when its signal aborts (also one aborted before), and CallEnded when the call ends; it never rejects', async () => {
    const { events, clock, press } = setup()
    const abort = new AbortController()
    const digits = collectDigits(events, { callId: CALL, count: 4, timeoutMs: 5_000, clock, signal: abort.signal })
    press('tone1')
    abort.abort()
    expect(await digits).toMatchObject({ _tag: 'Left', left: { _tag: 'Cancelled' } })
    const already = await collectDigits(events, { callId: CALL, timeoutMs: 5_000, clock, signal: AbortSignal.abort() })
    expect(already).toMatchObject({ _tag: 'Left', left: { _tag: 'Cancelled' } })
    const ending = collectDigits(events, { callId: CALL, terminator: 'pound', timeoutMs: 5_000, clock })
    events.publish({ type: 'terminated', callId: CALL })
    expect(await ending).toMatchObject({ _tag: 'Left', left: { _tag: 'CallEnded' } })
    expect(clock.pendingTimers).toBe(0)
    expect(events.listening()).toBe(false)
  })
})
