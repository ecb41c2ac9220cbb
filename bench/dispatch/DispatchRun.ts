import * as t from 'io-ts'

/** What one dispatch measurement (item 2) found. */
export const DispatchRun = t.type(
  {
    openCalls: t.number,
    auth: t.boolean,
    /** Notifications handled in the throughput pass. */
    notifications: t.number,
    /** Notifications decoded, routed and applied per second of wall time. */
    perSec: t.number,
    /** The same per second of this process's CPU time (one core). */
    perCpuSec: t.number,
    cpuUsPerNotification: t.number,
    /** The hand-written baseline's CPU per notification, same process and bodies (`settleFromBody`). */
    baselineCpuUsPerNotification: t.number,
    /** From handler entry to the operation's promise settling, one notification at a time. */
    latencyP50Us: t.number,
    latencyP99Us: t.number,
    /** Answers other than 202 and operations that did not succeed (should be 0). */
    errors: t.number,
  },
  'DispatchRun',
)
/** What one dispatch measurement found. */
export type DispatchRun = t.TypeOf<typeof DispatchRun>
