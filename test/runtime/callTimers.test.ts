import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { CallEvent } from '../../machines/callTypes.js'
import { createCallTimers } from '../../src/runtime/createCallTimers.js'
import type { LiveCall } from '../../src/runtime/LiveCall.js'
import { controlledClock } from '../../src/testing/controlledClock.js'

// A call whose next deadline the test sets: the timers read only its context's deadlines.
const callAt = (name: string) => {
  let deadline: number | undefined
  const call = {
    key: name,
    ended: false,
    failed: false,
    actor: { getSnapshot: () => ({ context: { inFlight: {}, queue: [], ...(deadline === undefined ? {} : { answerBy: deadline }) } }) },
  } as unknown as LiveCall
  return { call, set: (at: number | undefined) => void (deadline = at) }
}

describe('the call timers', () => {
  it('apply deadline.reached to each call when its earliest deadline is reached, and not before', () => {
    const clock = controlledClock(0)
    const fired: Array<[string, number]> = []
    const timers = createCallTimers(clock, (call, event: CallEvent) => {
      if (event.type === 'deadline.reached') fired.push([call.key, event.now])
    })
    const a = callAt('a')
    const b = callAt('b')
    const c = callAt('c')
    a.set(300)
    b.set(100)
    c.set(200)
    for (const x of [a, b, c]) timers.arm(x.call)
    // One clock timer for all of them.
    expect(clock.pendingTimers).toBe(1)
    clock.advance(99)
    expect(fired).toEqual([])
    clock.advance(1)
    expect(fired).toEqual([['b', 100]])
    // Moved later, then cleared: c never fires, a fires at its new time.
    a.set(500)
    timers.arm(a.call)
    c.set(undefined)
    timers.arm(c.call)
    clock.advance(300)
    expect(fired).toEqual([['b', 100]])
    clock.advance(100)
    expect(fired).toEqual([
      ['b', 100],
      ['a', 500],
    ])
    expect(clock.pendingTimers).toBe(0)
  })

  it('still fire the other calls due at the same time, and keep later deadlines armed, when applying one of them throws', () => {
    const clock = controlledClock(0)
    const fired: string[] = []
    const timers = createCallTimers(clock, (call) => {
      fired.push(call.key)
      if (call.key === 'a') throw new Error('boom')
    })
    const calls = ['a', 'b', 'c'].map(callAt)
    calls.forEach((x, i) => x.set(i === 2 ? 200 : 100))
    for (const x of calls) timers.arm(x.call)
    expect(() => clock.advance(100)).toThrow('boom')
    expect(fired.sort()).toEqual(['a', 'b'])
    clock.advance(100)
    expect(fired.sort()).toEqual(['a', 'b', 'c'])
  })

  it('fire every call exactly once at its deadline, whatever order they are armed, moved and disarmed in', () => {
    // Mostly arms, so that many calls are armed at once and the heap has depth.
    const op = fc.record({ call: fc.nat(19), at: fc.option(fc.integer({ min: 1, max: 400 }), { freq: 8 }), disarm: fc.integer({ min: 0, max: 4 }).map((n) => n === 0), wait: fc.nat(40) })
    fc.assert(
      fc.property(fc.array(op, { minLength: 30, maxLength: 120 }), (ops) => {
        const clock = controlledClock(0)
        const fired: Array<[string, number]> = []
        const timers = createCallTimers(clock, (call) => fired.push([call.key, clock.now()]))
        const calls = Array.from({ length: 20 }, (_, i) => callAt(`c${i}`))
        // Each call's armed deadline, as the test last set it, until it fires.
        const expected = new Map<string, number>()
        for (const o of ops) {
          const x = calls[o.call] as ReturnType<typeof callAt>
          if (o.disarm) {
            timers.disarm(x.call)
            expected.delete(x.call.key)
          } else {
            const at = o.at === null ? undefined : clock.now() + o.at
            x.set(at)
            timers.arm(x.call)
            if (at === undefined) expected.delete(x.call.key)
            else expected.set(x.call.key, at)
          }
          clock.advance(o.wait)
          // Exactly the calls whose deadline has come fired, each once.
          const due = [...expected].filter(([, at]) => at <= clock.now()).map(([key]) => key)
          expect(fired.splice(0).map(([key]) => key).sort()).toEqual(due.sort())
          for (const key of due) expected.delete(key)
          expect(clock.pendingTimers).toBe(expected.size === 0 ? 0 : 1)
        }
        timers.disarmAll()
        expect(clock.pendingTimers).toBe(0)
      }),
      { seed: 17, numRuns: 300 },
    )
  })

  it('fire each call once at its last deadline after thousands of moves, the moved-from deadlines never', () => {
    // Every move leaves an entry behind; once they outnumber the live ones they are swept out. Here
    // the sweep comes with the first move of the third round, and most calls are not moved after it.
    const deadlines = fc.array(fc.integer({ min: 1_000, max: 9_000 }), { minLength: 2_000, maxLength: 2_000 })
    fc.assert(
      fc.property(deadlines, deadlines, deadlines, (first, second, third) => {
        const clock = controlledClock(0)
        const fired: Array<[string, number]> = []
        const timers = createCallTimers(clock, (call) => fired.push([call.key, clock.now()]))
        const calls = first.map((_, i) => callAt(`c${i}`))
        const last = new Map<string, number>()
        const move = (i: number, at: number): void => {
          const x = calls[i] as ReturnType<typeof callAt>
          x.set(at)
          timers.arm(x.call)
          last.set(x.call.key, at)
        }
        first.forEach((at, i) => move(i, at))
        second.forEach((at, i) => move(i, at))
        third.slice(0, 100).forEach((at, i) => move(i, at))
        // A millisecond at a time: the clock runs a timer at the end of each advance.
        for (let t = 0; t < 9_001; t++) clock.advance(1)
        const byKey = ([a]: [string, number], [b]: [string, number]): number => a.localeCompare(b)
        expect(fired.sort(byKey)).toEqual([...last].sort(byKey))
        expect(clock.pendingTimers).toBe(0)
      }),
      { seed: 5, numRuns: 5, endOnFailure: true },
    )
  })
})
