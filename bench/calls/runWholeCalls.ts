import { startSimulatorProcess } from '../e2e/runEndToEnd.js'
import type { ChildRunner } from '../support/childProcess.js'
import { startChild } from '../support/childProcess.js'
import { spread, type Spread } from '../support/summarize.js'
import { WholeCallRun, type WholeCallVariant } from './WholeCallRun.js'

/** Sizes of item 5. */
export interface WholeCallOptions {
  readonly calls: number
  readonly concurrency: number
  readonly runs: number
  readonly warmupRounds: number
  readonly warmupCalls: number
}

/** One bot's figures over the measured rounds. */
export interface WholeCallSummary {
  readonly variant: WholeCallVariant
  readonly callsPerCpuSec: Spread
  readonly callsPerSec: Spread
  readonly cpuUsPerCall: Spread
  /** Per round: this bot's calls per CPU-second divided by the undici bot's in the same round. */
  readonly vsUndici: Spread
  readonly failures: number
  readonly unsettled: number
}

/** Item 5's result. */
export interface WholeCallResult {
  readonly calls: number
  readonly concurrency: number
  readonly rounds: readonly (readonly WholeCallRun[])[]
  readonly summary: readonly WholeCallSummary[]
}

const variants: readonly WholeCallVariant[] = ['callops', 'undici']

/**
 * Item 5: whole calls. The simulator in its own process rings the bot; each bot (a fresh process
 * per run) answers, plays a prompt, holds and releases the caller and hangs up; the two bots
 * alternate within every round.
 */
export const runWholeCalls = async (options: WholeCallOptions & { readonly seed: number; readonly runner: ChildRunner; readonly log: (line: string) => void }): Promise<WholeCallResult> => {
  const sim = await startSimulatorProcess(options.seed, options.runner)
  const rounds: WholeCallRun[][] = []
  try {
    for (let round = 0; round < options.warmupRounds + options.runs; round++) {
      const measured = round >= options.warmupRounds
      const results: WholeCallRun[] = []
      for (const variant of variants) {
        const bot = startChild(
          'calls/wholeCallProcess',
          { variant, simUrl: sim.url, graphUrl: sim.graphUrl, calls: options.calls, concurrency: options.concurrency, warmupCalls: options.warmupCalls },
          { runner: options.runner, nodeFlags: ['--expose-gc'] },
        )
        try {
          const run = await bot.next(WholeCallRun)
          options.log(
            `  ${measured ? `round ${round - options.warmupRounds + 1}/${options.runs}` : 'warm-up'} whole calls ${variant.padEnd(8)} ` +
              `${run.callsPerCpuSec.toFixed(0).padStart(6)} calls/CPU-s  ${run.cpuUsPerCall.toFixed(0).padStart(6)} µs CPU/call` +
              `${run.failures + run.unsettled > 0 ? `  (${run.failures} failed, ${run.unsettled} unsettled)` : ''}`,
          )
          results.push(run)
        } finally {
          await bot.stop()
        }
      }
      if (measured) rounds.push(results)
    }
  } finally {
    await sim.child.stop()
  }
  const summary = variants.map((variant): WholeCallSummary => {
    const runs = rounds.flatMap((r) => r.filter((x) => x.variant === variant))
    const ratios = rounds.flatMap((r) => {
      const mine = r.find((x) => x.variant === variant)
      const base = r.find((x) => x.variant === 'undici')
      return mine === undefined || base === undefined ? [] : [mine.callsPerCpuSec / base.callsPerCpuSec]
    })
    return {
      variant,
      callsPerCpuSec: spread(runs.map((r) => r.callsPerCpuSec)),
      callsPerSec: spread(runs.map((r) => r.callsPerSec)),
      cpuUsPerCall: spread(runs.map((r) => r.cpuUsPerCall)),
      vsUndici: spread(ratios),
      failures: runs.reduce((n, r) => n + r.failures, 0),
      unsettled: runs.reduce((n, r) => n + r.unsettled, 0),
    }
  })
  return { calls: options.calls, concurrency: options.concurrency, rounds, summary }
}
