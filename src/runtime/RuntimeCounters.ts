/** Counters `stats()` reports. */
export interface RuntimeCounters {
  /** Notifications that matched no call or operation tracked here. */
  unmatched: number
  /** Notification events applied to a call. */
  applied: number
}

/** Fresh counters. */
export const createRuntimeCounters = (): RuntimeCounters => ({ unmatched: 0, applied: 0 })
