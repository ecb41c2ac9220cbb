import { readFileSync } from 'node:fs'
import os from 'node:os'
import { runWholeCalls, type WholeCallOptions, type WholeCallResult } from './calls/runWholeCalls.js'
import { runDispatch, type DispatchResult } from './dispatch/runDispatch.js'
import type { Variant } from './e2e/E2eRun.js'
import { runEndToEnd, type EndToEndResult } from './e2e/runEndToEnd.js'
import type { MemoryRun } from './memory/MemoryRun.js'
import { runMemory } from './memory/runMemory.js'
import type { ChildRunner } from './support/childProcess.js'
import { startRedisServer } from './support/startRedisServer.js'
import { summarizeProfile, type ProfileSummary } from './support/summarizeProfile.js'

/** Which parts of the suite to run. */
export type SuitePart = 'e2e' | 'dispatch' | 'memory' | 'redis' | 'calls'

/** Everything {@link runSuite} needs; {@link defaultSuiteOptions} and {@link smokeSuiteOptions} fill it. */
export interface SuiteOptions {
  readonly parts: readonly SuitePart[]
  readonly e2e: { readonly calls: number; readonly concurrency: number; readonly runs: number; readonly warmupRounds: number; readonly warmupCalls: number }
  readonly dispatch: { readonly openCalls: readonly number[]; readonly notifications: number; readonly latencySamples: number; readonly runs: number }
  readonly memory: { readonly calls: readonly number[] }
  /** Item 4: item 1's scenario with the Redis store, one and two instances (and the undici baseline for the ratio). */
  readonly redis: { readonly calls: number; readonly concurrency: number; readonly runs: number; readonly warmupRounds: number; readonly warmupCalls: number }
  /** Item 5: whole calls (answer → prompt → hold → release → hang up), callops against the undici bot. */
  readonly calls: WholeCallOptions
  /** A Redis for item 4 (its keys are left under `callops-bench:*`); by default a private redis-server is started. */
  readonly redisUrl?: string
  /** A folder for CPU profiles: one extra, unreported round of item 1 and a dispatch run are profiled. */
  readonly profileDir?: string
  readonly runner: ChildRunner
  /** Run items 1–3 at the same time: only for the smoke run, whose figures mean nothing. */
  readonly concurrent?: boolean
  readonly seed: number
  /** Progress lines (stderr in the CLI). */
  readonly log: (line: string) => void
}

/** The sizes the issue asks for. */
export const defaultSuiteOptions = {
  parts: ['e2e', 'dispatch', 'memory', 'redis', 'calls'],
  e2e: { calls: 2000, concurrency: 200, runs: 5, warmupRounds: 1, warmupCalls: 200 },
  dispatch: { openCalls: [1000, 100_000], notifications: 20_000, latencySamples: 5000, runs: 3 },
  memory: { calls: [10_000, 100_000] },
  redis: { calls: 1000, concurrency: 200, runs: 3, warmupRounds: 1, warmupCalls: 100 },
  calls: { calls: 1000, concurrency: 100, runs: 3, warmupRounds: 1, warmupCalls: 100 },
} as const satisfies Partial<SuiteOptions>

/** Sizes that finish in seconds: they prove the suite works, the figures mean little. */
export const smokeSuiteOptions = {
  parts: ['e2e', 'dispatch', 'memory', 'redis', 'calls'],
  e2e: { calls: 30, concurrency: 10, runs: 1, warmupRounds: 0, warmupCalls: 5 },
  dispatch: { openCalls: [50], notifications: 200, latencySamples: 50, runs: 1 },
  memory: { calls: [500] },
  redis: { calls: 10, concurrency: 5, runs: 1, warmupRounds: 0, warmupCalls: 2 },
  calls: { calls: 10, concurrency: 5, runs: 1, warmupRounds: 0, warmupCalls: 2 },
  concurrent: true,
} as const satisfies Partial<SuiteOptions>

/** The machine a run was made on. */
export interface MachineInfo {
  readonly nproc: number
  readonly cpuModel: string
  readonly node: string
  readonly platform: string
  readonly totalMemoryGiB: number
  /** 1-minute load average at the start and at the end: other work on the machine skews wall times. */
  readonly loadAverage: { readonly start: number; readonly end: number }
}

/** One line of the issue's budget and where this run stands. */
export interface BudgetLine {
  readonly item: string
  readonly target: string
  readonly measured: string
  /** The baseline's figure in the same run (or, where the run has none, the figure the issue started from). */
  readonly baseline: string
  /** `null` when the run did not measure it. */
  readonly met: boolean | null
}

/** Item 4 when it could not run. */
export interface NotRun {
  readonly status: 'not run'
  readonly reason: string
}

/** Item 4: item 1's result with the Redis store. */
export interface RedisRun extends EndToEndResult {
  readonly status: 'ran'
  /** Which Redis: a private redis-server (with its version) or the URL given. */
  readonly redis: string
}

/** What `npm run bench` writes to bench/results/latest.json. */
export interface BenchResults {
  readonly startedAt: string
  readonly finishedAt: string
  readonly command: string
  readonly machine: MachineInfo
  readonly options: Omit<SuiteOptions, 'log' | 'runner'> & { readonly runner: ChildRunner['kind'] }
  readonly e2e: EndToEndResult | null
  readonly dispatch: DispatchResult | null
  readonly memory: readonly MemoryRun[] | null
  readonly redis: NotRun | RedisRun
  readonly calls: WholeCallResult | null
  readonly profiles: readonly ProfileSummary[]
  readonly budget: readonly BudgetLine[]
}

const cpuModel = (): string => {
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))
    if (m?.[1] !== undefined) return m[1].trim()
  } catch {
    // not Linux: fall back to what node says
  }
  return os.cpus()[0]?.model ?? 'unknown'
}

const fmt = (x: number, digits = 0): string => x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })

const times = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '?' : `${fmt(x, 2)}×`)

/**
 * The dispatch targets as ratios to the hand-written handler in the same run. Issue 17 set them in
 * notifications per CPU-second on a machine where that handler took 4.6 µs a notification: 50,000
 * /CPU-s (20 µs) is 4.35× it, 25,000 (40 µs) 8.7×. The issue reads every figure as a ratio to its
 * baseline, and the machines these runs land on differ in speed by 1.5× and more, so the ratio
 * decides; the absolute figure is printed beside it.
 */
export const ISSUE_HANDLER_US = 4.6
/** Auth off: at most this many times the handler's CPU per notification (50,000 /CPU-s on the issue's machine). */
export const DISPATCH_RATIO_OFF = 1e6 / 50_000 / ISSUE_HANDLER_US
/** Auth on, the same token again: at most this many times the handler's CPU (25,000 /CPU-s on the issue's machine). */
export const DISPATCH_RATIO_ON = 1e6 / 25_000 / ISSUE_HANDLER_US

/**
 * Reads issue 17's table off a run: each line with its target, callops's figure and the baseline's
 * figure in the same run (the hand-written undici bot, or the hand-written notification handler).
 */
export const budgetOf = (r: Pick<BenchResults, 'e2e' | 'dispatch' | 'memory' | 'redis' | 'calls'>): BudgetLine[] => {
  const lines: BudgetLine[] = []
  const notMeasured = (item: string, target: string, baseline = '–'): BudgetLine => ({ item, target, measured: 'not measured', baseline, met: null })

  const callops = r.e2e?.summary.find((s) => s.variant === 'callops')
  const undici = r.e2e?.summary.find((s) => s.variant === 'undici')
  const ratio = callops?.cpuVsUndici?.median
  const item1 = 'bot CPU per operation vs the undici bot'
  lines.push(
    callops === undefined || ratio === undefined
      ? notMeasured(item1, '≤ 1.5×')
      : {
          item: item1,
          target: '≤ 1.5×',
          measured: `${times(ratio)} (${fmt(callops.cpuUsPerOp.median)} µs/op)`,
          baseline: `undici bot ${undici === undefined ? '?' : fmt(undici.cpuUsPerOp.median)} µs/op`,
          met: ratio <= 1.5,
        },
  )

  const off = r.dispatch?.summary.filter((s) => !s.auth) ?? []
  const smallest = off[0]
  const largest = off[off.length - 1]
  const handler = (us: number): string => `hand-written handler ${fmt(1e6 / us)} /CPU-s`
  const item2 = `dispatch, auth off, ${smallest === undefined ? '1,000' : fmt(smallest.openCalls)} open calls`
  const target2 = `≥ 50,000 /CPU-s (≤ ${fmt(DISPATCH_RATIO_OFF, 2)}× the handler)`
  lines.push(
    smallest === undefined
      ? notMeasured(item2, target2)
      : {
          item: item2,
          target: target2,
          measured: `${fmt(smallest.perCpuSec.median)} /CPU-s (${times(smallest.vsBaseline.median)} the handler)`,
          baseline: handler(smallest.baselineCpuUsPerNotification.median),
          met: smallest.vsBaseline.median <= DISPATCH_RATIO_OFF,
        },
  )

  const growth = smallest !== undefined && largest !== undefined && largest !== smallest ? largest.cpuUsPerNotification.median / smallest.cpuUsPerNotification.median : undefined
  const item3 = 'dispatch cost, most open calls vs fewest'
  lines.push(
    growth === undefined || largest === undefined || smallest === undefined
      ? notMeasured(item3, '≤ 1.2×')
      : {
          item: `dispatch cost at ${fmt(largest.openCalls)} vs ${fmt(smallest.openCalls)} open calls`,
          target: '≤ 1.2×',
          measured: times(growth),
          baseline: `hand-written handler ${times(largest.baselineCpuUsPerNotification.median / smallest.baselineCpuUsPerNotification.median)}`,
          met: growth <= 1.2,
        },
  )

  // Graph sends one token with many notifications; issue 17 measured ~4,300 /CPU-s before the cache of verified tokens.
  const on = r.dispatch?.summary.find((s) => s.auth && s.openCalls === smallest?.openCalls)
  const item4 = 'dispatch, auth on, the same token again'
  const target4 = `≥ 25,000 /CPU-s (≤ ${fmt(DISPATCH_RATIO_ON, 2)}× the handler)`
  lines.push(
    on === undefined || smallest === undefined
      ? notMeasured(item4, target4, 'before the token cache ~4,300 /CPU-s')
      : {
          item: item4,
          target: target4,
          measured: `${fmt(on.perCpuSec.median)} /CPU-s (${times(on.vsBaseline.median)} the handler)`,
          baseline: `auth off ${fmt(smallest.perCpuSec.median)} /CPU-s; ${handler(on.baselineCpuUsPerNotification.median)}; before the token cache ~4,300`,
          met: on.vsBaseline.median <= DISPATCH_RATIO_ON,
        },
  )

  const item5 = 'Redis store, one instance / two, vs the undici bot'
  if (r.redis.status === 'not run') lines.push(notMeasured(item5, '≤ 2× / ≤ 3×'))
  else {
    const one = r.redis.summary.find((s) => s.variant === 'callops-redis')?.cpuVsUndici?.median
    const two = r.redis.summary.find((s) => s.variant === 'callops-redis-2')?.cpuVsUndici?.median
    const base = r.redis.summary.find((s) => s.variant === 'undici')
    lines.push({
      item: item5,
      target: '≤ 2× / ≤ 3×',
      measured: `${times(one)} / ${times(two)}`,
      baseline: `undici bot ${base === undefined ? '?' : fmt(base.cpuUsPerOp.median)} µs/op`,
      met: one === undefined || two === undefined ? null : one <= 2 && two <= 3,
    })
  }

  const worst = r.memory === null || r.memory.length === 0 ? undefined : r.memory.reduce((a, m) => (m.heapInFlightBytesPerCall > a.heapInFlightBytesPerCall ? m : a))
  const item6 = 'heap per open call with one operation in flight'
  lines.push(
    worst === undefined
      ? notMeasured(item6, '≤ 4 KiB', 'issue start 8.8 KiB')
      : {
          item: item6,
          target: '≤ 4 KiB',
          measured: `${fmt(worst.heapInFlightBytesPerCall / 1024, 1)} KiB (worst, at ${fmt(worst.calls)} calls)`,
          baseline: 'no hand-written bot measured; issue start 8.8 KiB',
          met: worst.heapInFlightBytesPerCall <= 4 * 1024,
        },
  )

  const whole = r.calls?.summary.find((s) => s.variant === 'callops')
  const wholeBase = r.calls?.summary.find((s) => s.variant === 'undici')
  const item7 = 'whole calls (answer → prompt → hold → release → hang up) per CPU-second'
  lines.push(
    whole === undefined || wholeBase === undefined
      ? notMeasured(item7, 'measured against the undici bot, reported')
      : {
          item: item7,
          target: 'measured against the undici bot, reported',
          measured: `${fmt(whole.callsPerCpuSec.median)} calls/CPU-s (${times(whole.vsUndici.median)} the undici bot's rate)`,
          baseline: `undici bot ${fmt(wholeBase.callsPerCpuSec.median)} calls/CPU-s`,
          met: true,
        },
  )
  return lines
}

/** Runs the parts of the benchmark suite that `options.parts` names. */
export const runSuite = async (options: SuiteOptions, command: string): Promise<BenchResults> => {
  const startedAt = new Date().toISOString()
  const loadStart = os.loadavg()[0] ?? 0
  const has = (p: SuitePart): boolean => options.parts.includes(p)
  const variants: Variant[] = ['callops', 'fetch', 'undici']
  const profiles: ProfileSummary[] = []

  const item1 = async (): Promise<EndToEndResult | null> => {
    if (!has('e2e')) return null
    const { calls, concurrency, runs } = options.e2e
    options.log(`item 1: end to end, ${calls} calls, ${concurrency} at a time, ${runs} rounds of ${variants.join(' → ')}`)
    const result = await runEndToEnd({ ...options.e2e, variants, runner: options.runner, seed: options.seed, log: options.log })
    if (options.profileDir !== undefined) {
      options.log('item 1: one more round, profiled (not in the figures)')
      await runEndToEnd({ ...options.e2e, runs: 1, warmupRounds: 0, variants, runner: options.runner, seed: options.seed + 1, profileDir: options.profileDir, log: options.log })
      for (const v of variants) profiles.push(summarizeProfile(`${options.profileDir}/${v}-round1.cpuprofile`))
    }
    return result
  }

  const item2 = async (): Promise<DispatchResult | null> => {
    if (!has('dispatch')) return null
    options.log(`item 2: notification dispatch at ${options.dispatch.openCalls.join(' and ')} open calls, auth off and on`)
    const { profileDir } = options
    const result = await runDispatch({ ...options.dispatch, runner: options.runner, log: options.log, ...(profileDir === undefined ? {} : { profileDir }) })
    if (profileDir !== undefined) for (const n of options.dispatch.openCalls) profiles.push(summarizeProfile(`${profileDir}/dispatch-${n}.cpuprofile`))
    return result
  }

  const item3 = async (): Promise<MemoryRun[] | null> => {
    if (!has('memory')) return null
    options.log(`item 3: memory per open call at ${options.memory.calls.join(' and ')} calls`)
    return runMemory(options.memory.calls, options.runner, options.log)
  }

  const item5 = async (): Promise<WholeCallResult | null> => {
    if (!has('calls')) return null
    const { calls, concurrency, runs } = options.calls
    options.log(`item 5: whole calls, ${calls} rung calls, ${concurrency} at a time, ${runs} rounds of callops → undici bot`)
    return runWholeCalls({ ...options.calls, runner: options.runner, seed: options.seed + 5, log: options.log })
  }

  const item4 = async (): Promise<NotRun | RedisRun> => {
    if (!has('redis')) return { status: 'not run', reason: 'not asked for' }
    const own = options.redisUrl === undefined ? await startRedisServer() : undefined
    const url = options.redisUrl ?? own?.url
    if (url === undefined) return { status: 'not run', reason: 'no Redis: redis-server is not installed and --redis was not given' }
    const { calls, concurrency, runs } = options.redis
    options.log(`item 4: Redis store, ${calls} calls, ${concurrency} at a time, ${runs} rounds of one instance → two instances → undici baseline`)
    try {
      const variants: Variant[] = ['callops-redis', 'callops-redis-2', 'undici']
      const result = await runEndToEnd({ ...options.redis, variants, redisUrl: url, runner: options.runner, seed: options.seed + 4, log: options.log })
      if (options.profileDir !== undefined) {
        options.log('item 4: one more round, profiled (not in the figures)')
        const profiled: Variant[] = ['callops-redis', 'callops-redis-2']
        await runEndToEnd({ ...options.redis, runs: 1, warmupRounds: 0, variants: profiled, redisUrl: url, runner: options.runner, seed: options.seed + 5, profileDir: options.profileDir, log: options.log })
        for (const v of profiled) profiles.push(summarizeProfile(`${options.profileDir}/${v}-round1.cpuprofile`))
        profiles.push(summarizeProfile(`${options.profileDir}/callops-redis-2-round1-peer.cpuprofile`))
      }
      return { status: 'ran', redis: own === undefined ? url : `private redis-server ${own.version}`, ...result }
    } finally {
      await own?.stop()
    }
  }

  let e2e: EndToEndResult | null
  let dispatch: DispatchResult | null
  let memory: MemoryRun[] | null
  let redis: NotRun | RedisRun
  let calls: WholeCallResult | null
  if (options.concurrent === true) {
    ;[e2e, dispatch, memory, redis, calls] = await Promise.all([item1(), item2(), item3(), item4(), item5()])
  } else {
    e2e = await item1()
    dispatch = await item2()
    memory = await item3()
    redis = await item4()
    calls = await item5()
  }
  if (redis.status === 'not run' && has('redis')) options.log(`item 4: not run: ${redis.reason}`)

  const { log: _log, runner, concurrent: _concurrent, ...rest } = options
  const partial = { e2e, dispatch, memory, redis, calls }
  return {
    startedAt,
    finishedAt: new Date().toISOString(),
    command,
    machine: {
      nproc: os.availableParallelism(),
      cpuModel: cpuModel(),
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      totalMemoryGiB: Math.round(os.totalmem() / 2 ** 30),
      loadAverage: { start: loadStart, end: os.loadavg()[0] ?? 0 },
    },
    options: { ...rest, runner: runner.kind },
    ...partial,
    profiles,
    budget: budgetOf(partial),
  }
}
