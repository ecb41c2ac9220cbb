import { randomUUID } from 'node:crypto'
import * as t from 'io-ts'
import { startChild, type BenchChild, type ChildRunner } from '../support/childProcess.js'
import { spread, type Spread } from '../support/summarize.js'
import { E2eRun, type Variant } from './E2eRun.js'

/** Sizes of the end-to-end comparison (item 1). */
export interface EndToEndOptions {
  /** Calls per run, each doing startHoldMusic → stopHoldMusic → unmute. */
  readonly calls: number
  /** Calls under way at once. */
  readonly concurrency: number
  /** Measured rounds; each runs every variant once, in turn (A B C A B C …). */
  readonly runs: number
  /** Rounds run first and thrown away. */
  readonly warmupRounds: number
  /** Calls each bot process runs before its measured calls, to warm the JIT and the connections. */
  readonly warmupCalls: number
  readonly variants: readonly Variant[]
  /** Write a CPU profile of every measured bot run's measured window to `<profileDir>/<variant>-round<n>.cpuprofile` (the second instance of a pair: `…-peer.cpuprofile`). */
  readonly profileDir?: string
  /** Redis for the `callops-redis` variants (item 4). */
  readonly redisUrl?: string
  readonly seed: number
  readonly runner: ChildRunner
  readonly log: (line: string) => void
}

/** One variant's figures over the measured rounds. */
export interface VariantSummary {
  readonly variant: Variant
  readonly opsPerSec: Spread
  readonly cpuUsPerOp: Spread
  readonly systemCpuUsPerOp: Spread
  readonly latencyP50Ms: Spread
  readonly latencyP99Ms: Spread
  /** Per round: this variant's CPU per operation divided by the undici baseline's in the same round. */
  readonly cpuVsUndici: Spread | null
  /** Per round: this variant's operations/s divided by the undici baseline's in the same round. */
  readonly opsVsUndici: Spread | null
  readonly failures: number
  readonly unsettled: number
}

/** Item 1's result: every run and the summary. */
export interface EndToEndResult {
  readonly calls: number
  readonly concurrency: number
  readonly rounds: readonly (readonly E2eRun[])[]
  readonly summary: readonly VariantSummary[]
}

const SimReady = t.type({ url: t.string, graphUrl: t.string })

/** Starts the simulator in its own process. */
export const startSimulatorProcess = async (
  seed: number,
  runner: ChildRunner,
): Promise<{ child: BenchChild; url: string; graphUrl: string }> => {
  const child = startChild('e2e/simulatorProcess', { seed }, { runner })
  const ready = await child.next(SimReady)
  return { child, ...ready }
}

const ratio = (rounds: readonly (readonly E2eRun[])[], variant: Variant, key: 'cpuUsPerOp' | 'opsPerSec'): Spread | null => {
  const values: number[] = []
  for (const round of rounds) {
    const mine = round.find((r) => r.variant === variant)
    const base = round.find((r) => r.variant === 'undici')
    if (mine !== undefined && base !== undefined) values.push(mine[key] / base[key])
  }
  return values.length === 0 ? null : spread(values)
}

const botInput = (sim: { url: string; graphUrl: string }, options: EndToEndOptions) => ({
  simUrl: sim.url,
  graphUrl: sim.graphUrl,
  calls: options.calls,
  concurrency: options.concurrency,
  warmupCalls: options.warmupCalls,
  redisUrl: options.redisUrl ?? null,
})

const Listening = t.type({ callbackUrl: t.string })
const Ready = t.type({ ready: t.literal(true) })

/** Two bot processes on one Redis, each commanding half the calls and receiving the other half's notifications. */
const runPair = async (sim: { url: string; graphUrl: string }, options: EndToEndOptions, profileFile: string | null): Promise<E2eRun> => {
  const redisPrefix = `callops-bench:${randomUUID()}`
  const half = { ...botInput(sim, options), calls: Math.ceil(options.calls / 2), warmupCalls: Math.ceil(options.warmupCalls / 2) }
  const bots = [0, 1].map((i) =>
    startChild(
      'e2e/botProcess',
      { ...half, variant: 'callops-redis', pair: true, redisPrefix, profileFile: profileFile === null || i === 0 ? profileFile : profileFile.replace(/\.cpuprofile$/, '-peer.cpuprofile') },
      { runner: options.runner, nodeFlags: ['--expose-gc'] },
    ),
  )
  try {
    const urls = await Promise.all(bots.map((b) => b.next(Listening)))
    bots.forEach((b, i) => b.send({ peerCallbackUrl: urls[1 - i]?.callbackUrl }))
    await Promise.all(bots.map((b) => b.next(Ready)))
    for (const b of bots) b.send({ go: true })
    const runs = await Promise.all(bots.map((b) => b.next(E2eRun)))
    const operations = runs.reduce((n, r) => n + r.operations, 0)
    const elapsedMs = Math.max(...runs.map((r) => r.elapsedMs))
    const total = (key: 'cpuUsPerOp' | 'systemCpuUsPerOp'): number => runs.reduce((n, r) => n + r[key] * r.operations, 0) / operations
    return {
      variant: 'callops-redis-2',
      operations,
      failures: runs.reduce((n, r) => n + r.failures, 0),
      unsettled: runs.reduce((n, r) => n + r.unsettled, 0),
      notificationPosts: runs.reduce((n, r) => n + r.notificationPosts, 0),
      elapsedMs,
      opsPerSec: (operations / elapsedMs) * 1000,
      cpuUsPerOp: total('cpuUsPerOp'),
      systemCpuUsPerOp: total('systemCpuUsPerOp'),
      latencyP50Ms: Math.max(...runs.map((r) => r.latencyP50Ms)),
      latencyP99Ms: Math.max(...runs.map((r) => r.latencyP99Ms)),
    }
  } finally {
    await Promise.all(bots.map((b) => b.stop()))
  }
}

/** Runs one variant once: one bot process, or two for `callops-redis-2`. */
const runVariant = async (
  variant: Variant,
  sim: { url: string; graphUrl: string },
  options: EndToEndOptions,
  profileFile: string | null,
): Promise<E2eRun> => {
  if (variant === 'callops-redis-2') return runPair(sim, options, profileFile)
  const bot = startChild(
    'e2e/botProcess',
    {
      ...botInput(sim, options),
      variant,
      pair: false,
      redisPrefix: variant === 'callops-redis' ? `callops-bench:${randomUUID()}` : null,
      profileFile,
    },
    { runner: options.runner, nodeFlags: ['--expose-gc'] },
  )
  try {
    return await bot.next(E2eRun)
  } finally {
    await bot.stop()
  }
}

/**
 * Item 1: the simulator in one child process, each bot run in a fresh child process, variants
 * alternated within every round so drift of the machine hits them alike.
 */
export const runEndToEnd = async (options: EndToEndOptions): Promise<EndToEndResult> => {
  const sim = await startSimulatorProcess(options.seed, options.runner)
  const rounds: E2eRun[][] = []
  try {
    const total = options.warmupRounds + options.runs
    for (let round = 0; round < total; round++) {
      const measured = round >= options.warmupRounds
      const results: E2eRun[] = []
      for (const variant of options.variants) {
        const profileFile =
          measured && options.profileDir !== undefined ? `${options.profileDir}/${variant}-round${round - options.warmupRounds + 1}.cpuprofile` : null
        const run = await runVariant(variant, sim, options, profileFile)
        options.log(
          `  ${measured ? `round ${round - options.warmupRounds + 1}/${options.runs}` : 'warm-up'} ${variant.padEnd(15)} ` +
            `${run.opsPerSec.toFixed(0).padStart(6)} ops/s  ${run.cpuUsPerOp.toFixed(0).padStart(5)} µs CPU/op` +
            `${run.failures + run.unsettled > 0 ? `  (${run.failures} failed, ${run.unsettled} unsettled)` : ''}`,
        )
        results.push(run)
      }
      if (measured) rounds.push(results)
    }
  } finally {
    await sim.child.stop()
  }
  const summary = options.variants.map((variant): VariantSummary => {
    const runs = rounds.flatMap((r) => r.filter((x) => x.variant === variant))
    return {
      variant,
      opsPerSec: spread(runs.map((r) => r.opsPerSec)),
      cpuUsPerOp: spread(runs.map((r) => r.cpuUsPerOp)),
      systemCpuUsPerOp: spread(runs.map((r) => r.systemCpuUsPerOp)),
      latencyP50Ms: spread(runs.map((r) => r.latencyP50Ms)),
      latencyP99Ms: spread(runs.map((r) => r.latencyP99Ms)),
      cpuVsUndici: ratio(rounds, variant, 'cpuUsPerOp'),
      opsVsUndici: ratio(rounds, variant, 'opsPerSec'),
      failures: runs.reduce((n, r) => n + r.failures, 0),
      unsettled: runs.reduce((n, r) => n + r.unsettled, 0),
    }
  })
  return { calls: options.calls, concurrency: options.concurrency, rounds, summary }
}
