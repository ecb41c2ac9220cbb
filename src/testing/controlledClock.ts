import type { Clock } from '../domain/Clock.js'

/** A {@link Clock} that moves only when the test says so. */
export interface ControlledClock extends Clock {
  /** Moves time (wall and monotonic) forward by `ms` and runs every timer that falls due, in time order. */
  advance(ms: number): void
  /**
   * Steps the wall clock by `ms` (negative: back) and nothing else, as NTP or a VM resume does:
   * the monotonic clock and the timers armed on it do not move.
   */
  stepWall(ms: number): void
  /** Elapsed milliseconds since the clock was made: moved by `advance`, not by `stepWall`. */
  monotonic(): number
  /** Timers armed and not yet run or cleared. */
  readonly pendingTimers: number
}

/**
 * Creates a clock for tests: pass it as the orchestrator's `clock` and operation deadlines,
 * keepAlive and the retention of ended calls move only on `advance`, so a test of a 60-second
 * timeout or a 15-minute keepAlive takes no real time. Timers follow its monotonic clock, as
 * Node's do, so `stepWall` tests a wall clock that jumps.
 *
 * @param start - the initial epoch milliseconds (a fixed date by default, for reproducible logs)
 * @example
 * ```ts
 * const clock = controlledClock()
 * const orchestrator = createCallOrchestrator({ graph, notificationAuth: false, clock, timeouts: { startHoldMusic: 5_000 } })
 * const held = orchestrator.startHoldMusic({ callId, participantId })
 * clock.advance(5_000)
 * expect((await held).left._tag).toBe('Timeout')
 * ```
 */
export const controlledClock = (start = 1_700_000_000_000): ControlledClock => {
  let wall = start
  let elapsed = 0
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => wall,
    monotonic: () => elapsed,
    setTimeout: (fn, ms) => {
      const id = nextId++
      timers.set(id, { at: elapsed + ms, fn })
      return id
    },
    clearTimeout: (handle) => {
      if (typeof handle === 'number') timers.delete(handle)
    },
    advance(ms) {
      wall += ms
      elapsed += ms
      for (;;) {
        let due: [number, { at: number; fn: () => void }] | undefined
        for (const entry of timers) if (entry[1].at <= elapsed && (due === undefined || entry[1].at < due[1].at)) due = entry
        if (due === undefined) return
        timers.delete(due[0])
        due[1].fn()
      }
    },
    stepWall(ms) {
      wall += ms
    },
    get pendingTimers() {
      return timers.size
    },
  }
}
