/** Time as the orchestrator sees it; tests pass a controlled one so deadlines need no real waiting. */
export interface Clock {
  /** Epoch milliseconds: the wall clock, which NTP, a VM resume or an operator may step. */
  now(): number
  /** Runs `fn` after `ms` of elapsed (monotonic) time, whatever the wall clock does meanwhile. */
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  /**
   * Milliseconds from an arbitrary origin that never step (`performance.now()`). Optional: a clock
   * without it has its wall readings taken as monotonic.
   */
  monotonic?(): number
}

/** The real clock. Its timers do not keep the process alive. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms)
    t.unref()
    return t
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
  monotonic: () => performance.now(),
}
