import { startChild, type ChildRunner } from '../support/childProcess.js'
import { spread, type Spread } from '../support/summarize.js'
import { DispatchRun } from './DispatchRun.js'

/** Sizes of the dispatch measurement (item 2). */
export interface DispatchOptions {
  /** Open calls of each configuration, e.g. 1,000 and 100,000. */
  readonly openCalls: readonly number[]
  readonly notifications: number
  readonly latencySamples: number
  /** Runs of each configuration, alternated. */
  readonly runs: number
  readonly runner: ChildRunner
  /**
   * Also run each size once more, auth off, with a CPU profile of the throughput pass written to
   * `<profileDir>/dispatch-<openCalls>.cpuprofile`; those runs are not in the figures.
   */
  readonly profileDir?: string
  readonly log: (line: string) => void
}

/** One configuration's figures over its runs. */
export interface DispatchSummary {
  readonly openCalls: number
  readonly auth: boolean
  readonly perSec: Spread
  readonly perCpuSec: Spread
  readonly cpuUsPerNotification: Spread
  /** The hand-written baseline's CPU per notification in the same processes. */
  readonly baselineCpuUsPerNotification: Spread
  /** callops's CPU per notification over the baseline's, run by run. */
  readonly vsBaseline: Spread
  readonly latencyP50Us: Spread
  readonly latencyP99Us: Spread
  readonly errors: number
}

/** Item 2's result. */
export interface DispatchResult {
  readonly notifications: number
  readonly runs: readonly DispatchRun[]
  readonly summary: readonly DispatchSummary[]
}

/** Item 2: each configuration (size × auth off/on) in a fresh process per run, configurations alternated. */
export const runDispatch = async (options: DispatchOptions): Promise<DispatchResult> => {
  const configs = options.openCalls.flatMap((openCalls) => [false, true].map((auth) => ({ openCalls, auth })))
  // At least one completion per open call: every call's state is replaced once per run, so a run
  // pays its share of the major GC that this churn brings about (at 100,000 calls about one per
  // 100,000 events); 20,000 of 100,000 calls made the line a coin toss between runs with and
  // without a marking phase.
  const perRun = (openCalls: number): number => Math.max(options.notifications, openCalls)
  const runs: DispatchRun[] = []
  for (let round = 0; round < options.runs; round++) {
    for (const { openCalls, auth } of configs) {
      const child = startChild(
        'dispatch/dispatchProcess',
        {
          openCalls,
          auth,
          notifications: perRun(openCalls),
          latencySamples: options.latencySamples,
          window: 64,
          profileFile: null,
        },
        { runner: options.runner, nodeFlags: ['--expose-gc', '--max-old-space-size=8192'] },
      )
      const run = await child.next(DispatchRun)
      await child.stop()
      options.log(
        `  run ${round + 1}/${options.runs} ${String(openCalls).padStart(7)} calls auth ${auth ? 'on ' : 'off'} ` +
          `${run.perCpuSec.toFixed(0).padStart(7)} /CPU-s ${run.cpuUsPerNotification.toFixed(1).padStart(6)} µs CPU each` +
          ` (baseline ${run.baselineCpuUsPerNotification.toFixed(1)} µs)` +
          `${run.errors > 0 ? `  (${run.errors} errors)` : ''}`,
      )
      runs.push(run)
    }
  }
  for (const openCalls of options.profileDir === undefined ? [] : options.openCalls) {
    const profileFile = `${options.profileDir ?? ''}/dispatch-${openCalls}.cpuprofile`
    const child = startChild(
      'dispatch/dispatchProcess',
      { openCalls, auth: false, notifications: perRun(openCalls), latencySamples: 100, window: 64, profileFile },
      { runner: options.runner, nodeFlags: ['--expose-gc', '--max-old-space-size=8192'] },
    )
    await child.next(DispatchRun)
    await child.stop()
    options.log(`  profiled one more run (${openCalls} calls, auth off): ${profileFile}`)
  }
  const summary = configs.map(({ openCalls, auth }): DispatchSummary => {
    const mine = runs.filter((r) => r.openCalls === openCalls && r.auth === auth)
    return {
      openCalls,
      auth,
      perSec: spread(mine.map((r) => r.perSec)),
      perCpuSec: spread(mine.map((r) => r.perCpuSec)),
      cpuUsPerNotification: spread(mine.map((r) => r.cpuUsPerNotification)),
      baselineCpuUsPerNotification: spread(mine.map((r) => r.baselineCpuUsPerNotification)),
      vsBaseline: spread(mine.map((r) => r.cpuUsPerNotification / r.baselineCpuUsPerNotification)),
      latencyP50Us: spread(mine.map((r) => r.latencyP50Us)),
      latencyP99Us: spread(mine.map((r) => r.latencyP99Us)),
      errors: mine.reduce((n, r) => n + r.errors, 0),
    }
  })
  return { notifications: options.notifications, runs, summary }
}
