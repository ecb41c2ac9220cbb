import type { Clock } from './Clock.js'

// How fast a steady clock catches up with a wall clock that stepped: 2 % of the elapsed time, so a
// pending timeout lasts at most 2 % more or less, and a 1 h step is absorbed in about 50 h.
const SLEW = 0.02

/**
 * The clock the runtime reads: epoch milliseconds that advance with `clock.monotonic()` and follow
 * the wall clock (`clock.now()`) only by slewing, never by a step. A wall clock stepped back an hour
 * (NTP, a VM resume) then neither makes a pending 1 s timeout wait an hour nor, stepped forward,
 * fires it at once; yet the readings stay wall-clock timestamps, close to those of other instances,
 * so stored deadlines keep their meaning. A clock without `monotonic` is returned as it is.
 *
 * @param clock - the wall clock and timers to follow (the orchestrator's `clock` option)
 * @example
 * ```ts
 * const clock = steadyClock(systemClock)
 * const deadline = clock.now() + 1_000 // due after 1 s of elapsed time, whatever NTP does
 * ```
 */
export const steadyClock = (clock: Clock): Clock => {
  const monotonic = clock.monotonic?.bind(clock)
  if (monotonic === undefined) return clock
  let last = monotonic()
  // The steady reading is monotonic() + offset; the offset moves toward the wall clock's, slowly.
  let offset = clock.now() - last
  return {
    now: () => {
      const m = monotonic()
      const room = SLEW * Math.max(0, m - last)
      last = Math.max(last, m)
      offset += Math.max(-room, Math.min(room, clock.now() - m - offset))
      return Math.round(m + offset)
    },
    setTimeout: (fn, ms) => clock.setTimeout(fn, ms),
    clearTimeout: (handle) => clock.clearTimeout(handle),
    monotonic,
  }
}
