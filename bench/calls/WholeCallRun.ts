import * as t from 'io-ts'

/** The bots of item 5. */
export const WholeCallVariant = t.keyof({ callops: null, undici: null }, 'WholeCallVariant')
/** One bot of item 5. */
export type WholeCallVariant = t.TypeOf<typeof WholeCallVariant>

/** What one whole-call bot process measured in one run. */
export const WholeCallRun = t.type(
  {
    variant: WholeCallVariant,
    calls: t.number,
    /** Steps (of five per call) that did not succeed. */
    failures: t.number,
    /** Steps or rings still waiting when the run ended (should be 0). */
    unsettled: t.number,
    notificationPosts: t.number,
    elapsedMs: t.number,
    callsPerSec: t.number,
    /** Whole calls per second of bot process CPU (user + system), ring request and webhook included. */
    callsPerCpuSec: t.number,
    cpuUsPerCall: t.number,
  },
  'WholeCallRun',
)
/** What one whole-call bot process measured in one run. */
export type WholeCallRun = t.TypeOf<typeof WholeCallRun>
