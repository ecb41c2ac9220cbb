/** Counters `stats()` reports. */
export interface RuntimeCounters {
  /** Notifications that matched no call or operation tracked here. */
  unmatched: number
  /** Notification events applied to a call. */
  applied: number
  /** Calls whose stored version was older than the one this instance had seen (a store that lost writes). */
  rollbacksDetected: number
  /** Of those, the calls whose newer version this instance put back. */
  rollbacksRepaired: number
  /** Requests sent although their operation's deadline had passed (their caller was, or is about to be, told `Timeout`). */
  sentAfterTimeout: number
  /** Requests recorded but not sent because their deadline passed while they were being recorded. */
  notSentAfterTimeout: number
  /** Commands and requests this instance refused to send because its lease on the store may have lapsed. */
  fenced: number
}

/** Fresh counters. */
export const createRuntimeCounters = (): RuntimeCounters => ({
  unmatched: 0,
  applied: 0,
  rollbacksDetected: 0,
  rollbacksRepaired: 0,
  sentAfterTimeout: 0,
  notSentAfterTimeout: 0,
  fenced: 0,
})
