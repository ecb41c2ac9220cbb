// Child entry: one bot (callops or a baseline) driving the scenario against the simulator.
// Only this process's CPU is measured (process.cpuUsage), from the first operation of the measured
// calls until the last notification they caused has been handled.
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as t from 'io-ts'
import { request } from 'undici'
import { createFetchBaseline } from '../baselineFetch.js'
import { createUndiciBaseline } from '../baselineUndici.js'
import { childInput, receive, reply, runAsChild } from '../support/childProcess.js'
import { pool } from '../support/pool.js'
import { startProfiler } from '../support/startProfiler.js'
import { percentile } from '../support/summarize.js'
import type { BenchBot } from './BenchBot.js'
import { createCallopsBot } from './createCallopsBot.js'
import { BotKind, type E2eRun } from './E2eRun.js'
import { createStoreFor } from './storeFor.js'

const Input = t.type({
  variant: BotKind,
  /**
   * Item 4 with two instances: this process and a peer share one Redis, and each gives its calls
   * the peer's callback URL, so every outcome is applied on one instance and awaited on the other.
   */
  pair: t.boolean,
  simUrl: t.string,
  graphUrl: t.string,
  calls: t.number,
  concurrency: t.number,
  warmupCalls: t.number,
  /** Redis variants: where Redis listens and the key prefix of this run. */
  redisUrl: t.union([t.string, t.null]),
  redisPrefix: t.union([t.string, t.null]),
  /** Write a V8 CPU profile of the measured window (the `--cpu-prof` profiler) to this file. */
  profileFile: t.union([t.string, t.null]),
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves once `count()` has not changed for `quietMs` (or after `maxMs`). */
const settled = async (count: () => number, quietMs: number, maxMs: number): Promise<void> => {
  const end = Date.now() + maxMs
  let last = -1
  while (Date.now() < end) {
    const now = count()
    if (now === last) return
    last = now
    await sleep(quietMs)
  }
}

/** Pair mode: what the parent sends once both instances listen, and when to start measuring. */
const Peer = t.type({ peerCallbackUrl: t.string })
const Go = t.type({ go: t.literal(true) })

const makeBot = (input: t.TypeOf<typeof Input>): BenchBot => {
  switch (input.variant) {
    case 'fetch':
      return createFetchBaseline({ graphUrl: input.graphUrl })
    case 'undici':
      return createUndiciBaseline({ graphUrl: input.graphUrl })
    case 'callops':
      return createCallopsBot({ graphUrl: input.graphUrl })
    case 'callops-redis':
      return createCallopsBot({ graphUrl: input.graphUrl, store: createStoreFor(input.redisUrl, input.redisPrefix) })
  }
}

runAsChild(async () => {
  const input = childInput(Input)
  const bot = makeBot(input)
  let posts = 0
  const server = http.createServer((req, res) => {
    posts++
    bot.webhook(req, res)
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const ownUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`
  let callbackUrl = ownUrl
  if (input.pair) {
    await reply({ callbackUrl: ownUrl })
    callbackUrl = (await receive(Peer)).peerCallbackUrl
  }

  // Calls are made on the simulator before the clock starts; each announces itself with an
  // `established` notification, which callops turns into a live call actor.
  const participantId = randomUUID()
  const newCalls = async (n: number): Promise<string[]> => {
    const ids = Array.from({ length: n }, () => randomUUID())
    await pool(ids, 32, async (callId) => {
      const res = await request(`${input.simUrl}/_sim/calls`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ callbackUrl, callId, group: true, participants: [{ id: participantId }] }),
      })
      await res.body.dump()
      if (res.statusCode !== 201) throw new Error(`the simulator refused a call: HTTP ${res.statusCode}`)
    })
    return ids
  }
  const warmIds = await newCalls(input.warmupCalls)
  const ids = await newCalls(input.calls)
  await settled(() => posts, 100, 30_000)

  let failures = 0
  const latencies = new Float64Array(input.calls * 3)
  let sample = 0
  const timed = async (op: Promise<boolean>, started: number, record: boolean): Promise<void> => {
    const ok = await op
    if (!ok) failures++
    if (record) latencies[sample++] = performance.now() - started
  }
  const scenario = (record: boolean) => async (callId: string): Promise<void> => {
    let t0 = performance.now()
    await timed(bot.startHoldMusic(callId, participantId), t0, record)
    t0 = performance.now()
    await timed(bot.stopHoldMusic(callId, participantId), t0, record)
    t0 = performance.now()
    await timed(bot.unmute(callId), t0, record)
  }

  await pool(warmIds, input.concurrency, scenario(false))
  await settled(() => posts, 100, 30_000)
  failures = 0
  const postsBefore = posts
  globalThis.gc?.()
  if (input.pair) {
    // Both instances start their measured calls together.
    await reply({ ready: true })
    await receive(Go)
  }

  const stopProfiler = input.profileFile === null ? undefined : await startProfiler(input.profileFile)
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await pool(ids, input.concurrency, scenario(true))
  const elapsedMs = performance.now() - t0
  // The trailing roster notifications are part of the bot's work too.
  await settled(() => posts, 50, 10_000)
  const cpu = process.cpuUsage(cpu0)
  const cpuUs = cpu.user + cpu.system
  await stopProfiler?.()
  const operations = input.calls * 3
  const sortedLatencies = latencies.subarray(0, sample).sort()
  const run: E2eRun = {
    variant: input.variant,
    operations,
    failures,
    unsettled: bot.pending(),
    notificationPosts: posts - postsBefore,
    elapsedMs,
    opsPerSec: (operations / elapsedMs) * 1000,
    cpuUsPerOp: cpuUs / operations,
    systemCpuUsPerOp: cpu.system / operations,
    latencyP50Ms: percentile(sortedLatencies, 0.5),
    latencyP99Ms: percentile(sortedLatencies, 0.99),
  }
  await reply(run)
  await bot.close()
  server.closeAllConnections()
  server.close()
})
