/** What the simulator counted since it started (`GET /_sim/stats`, `simulator.stats()`). */
export interface SimulatorStats {
  /** Graph requests by action (`startHoldMusic`, `keepAlive`, `unknown`, ...) and answered status. */
  readonly requests: Readonly<Record<string, Readonly<Record<string, number>>>>
  /** Requests answered 429 by the throttling fault. */
  readonly throttled: number
  /** Requests answered 503 by the unavailability fault. */
  readonly unavailable: number
  /** Requests refused late (400 or 404) by the late-refusal fault. */
  readonly refusedLate: number
  readonly notifications: {
    /** Notifications delivered (a 2xx answer from the callback), duplicates included. */
    readonly sent: number
    /** Notifications not sent by the drop fault. */
    readonly dropped: number
    /** Notifications sent a second time by the duplicate fault. */
    readonly duplicated: number
    /** Notifications whose POST failed (network error or non-2xx answer). */
    readonly failed: number
    /** Notifications spelled in a documented variant. */
    readonly variants: number
  }
  readonly operations: {
    readonly started: number
    readonly completed: number
    readonly failed: number
    /** Pending operations discarded when their call ended. */
    readonly abandoned: number
  }
  readonly calls: { readonly created: number; readonly ended: number }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] extends object ? Mutable<T[K]> : T[K] }

/** The counters, mutable inside the simulator. */
export type StatsCounters = Mutable<Omit<SimulatorStats, 'requests'>> & {
  readonly requests: Map<string, Map<number, number>>
  readonly countRequest: (action: string, status: number) => void
  readonly snapshot: () => SimulatorStats
}

/** Creates zeroed counters. */
export const createSimulatorStats = (): StatsCounters => {
  const requests = new Map<string, Map<number, number>>()
  const counters: StatsCounters = {
    requests,
    throttled: 0,
    unavailable: 0,
    refusedLate: 0,
    notifications: { sent: 0, dropped: 0, duplicated: 0, failed: 0, variants: 0 },
    operations: { started: 0, completed: 0, failed: 0, abandoned: 0 },
    calls: { created: 0, ended: 0 },
    countRequest: (action, status) => {
      let byStatus = requests.get(action)
      if (byStatus === undefined) requests.set(action, (byStatus = new Map()))
      byStatus.set(status, (byStatus.get(status) ?? 0) + 1)
    },
    snapshot: () => ({
      requests: Object.fromEntries(
        [...requests].map(([a, m]) => [a, Object.fromEntries([...m].map(([s, n]) => [String(s), n]))]),
      ),
      throttled: counters.throttled,
      unavailable: counters.unavailable,
      refusedLate: counters.refusedLate,
      notifications: { ...counters.notifications },
      operations: { ...counters.operations },
      calls: { ...counters.calls },
    }),
  }
  return counters
}
