import * as t from 'io-ts'

/** What one bot process runs: callops (memory or Redis store) or a baseline. */
export const BotKind = t.keyof({ callops: null, fetch: null, undici: null, 'callops-redis': null }, 'BotKind')
/** What one bot process runs. */
export type BotKind = t.TypeOf<typeof BotKind>

/** The compared variants: item 1's three, and item 4's Redis store with one and with two instances. */
export const Variant = t.keyof({ callops: null, fetch: null, undici: null, 'callops-redis': null, 'callops-redis-2': null }, 'Variant')
/** One variant of the end-to-end comparison. */
export type Variant = t.TypeOf<typeof Variant>

/** What one bot process measured in one run. */
export const E2eRun = t.type(
  {
    variant: Variant,
    operations: t.number,
    /** Operations that ended in anything but success. */
    failures: t.number,
    /** Operations still waiting when the run ended (should be 0). */
    unsettled: t.number,
    notificationPosts: t.number,
    elapsedMs: t.number,
    opsPerSec: t.number,
    /** Bot process CPU (user + system) per operation, in microseconds, webhook included. */
    cpuUsPerOp: t.number,
    /** The kernel's part of it (system time: sockets, loopback TCP). */
    systemCpuUsPerOp: t.number,
    /** Two instances: the worse of the two processes. */
    latencyP50Ms: t.number,
    latencyP99Ms: t.number,
  },
  'E2eRun',
)
/** What one bot process measured in one run. */
export type E2eRun = t.TypeOf<typeof E2eRun>
