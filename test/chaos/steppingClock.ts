import { systemClock, type Clock } from '../../src/domain/Clock.js'

/** One hour, the size of each step. */
export const HOUR = 3_600_000

/** The orchestrator's clock in a chaos run: real timers and monotonic time, a wall clock the run steps by an hour. */
export interface SteppingClock extends Clock {
  /** Moves the wall clock by `ms`; timers and `monotonic()` do not move. */
  step(ms: number): void
}

/** Creates a {@link SteppingClock} reading `Date.now()` plus the steps so far. */
export const steppingClock = (): SteppingClock => {
  let offset = 0
  return {
    now: () => Date.now() + offset,
    monotonic: () => performance.now(),
    setTimeout: (fn, ms) => systemClock.setTimeout(fn, ms),
    clearTimeout: (h) => systemClock.clearTimeout(h),
    step: (ms) => {
      offset += ms
    },
  }
}
