// Child entry: one whole-call bot (callops or the undici baseline) taking calls the simulator
// rings. Only this process's CPU is measured, from the first ring of the measured calls until the
// last notification they caused has been handled.
import { randomUUID } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as t from 'io-ts'
import { request } from 'undici'
import { childInput, reply, runAsChild } from '../support/childProcess.js'
import { pool } from '../support/pool.js'
import { callopsWholeCallBot } from './callopsWholeCallBot.js'
import { undiciWholeCallBot } from './undiciWholeCallBot.js'
import { WholeCallVariant, type WholeCallRun } from './WholeCallRun.js'

const Input = t.type({ variant: WholeCallVariant, simUrl: t.string, graphUrl: t.string, calls: t.number, concurrency: t.number, warmupCalls: t.number })

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

runAsChild(async () => {
  const input = childInput(Input)
  const bot = input.variant === 'callops' ? callopsWholeCallBot(input.graphUrl) : undiciWholeCallBot(input.graphUrl)
  let posts = 0
  const server = http.createServer((req, res) => {
    posts++
    bot.webhook(req, res)
  })
  server.keepAliveTimeout = 30_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`

  let failures = 0
  // The ring is one request to the simulator's admin API, the same undici request for both bots.
  const wholeCall = async (callId: string): Promise<void> => {
    const participantId = randomUUID()
    const seen = bot.ringing(callId)
    const res = await request(`${input.simUrl}/_sim/incoming`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ callbackUrl, callId, participants: [{ id: participantId }], answerDeadlineMs: 120_000 }),
    })
    await res.body.dump()
    if (res.statusCode !== 201) throw new Error(`the simulator refused to ring: HTTP ${res.statusCode}`)
    await seen
    failures += await bot.wholeCall(callId, participantId, callbackUrl)
  }
  const ids = (n: number): string[] => Array.from({ length: n }, () => randomUUID())

  await pool(ids(input.warmupCalls), input.concurrency, wholeCall)
  await settled(() => posts, 100, 30_000)
  failures = 0
  const postsBefore = posts
  globalThis.gc?.()

  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  await pool(ids(input.calls), input.concurrency, wholeCall)
  const elapsedMs = performance.now() - t0
  // Trailing roster and call notifications are part of the bot's work too.
  await settled(() => posts, 50, 10_000)
  const cpu = process.cpuUsage(cpu0)
  const cpuUs = cpu.user + cpu.system
  const run: WholeCallRun = {
    variant: input.variant,
    calls: input.calls,
    failures,
    unsettled: bot.pending(),
    notificationPosts: posts - postsBefore,
    elapsedMs,
    callsPerSec: (input.calls / elapsedMs) * 1000,
    callsPerCpuSec: (input.calls / cpuUs) * 1e6,
    cpuUsPerCall: cpuUs / input.calls,
  }
  await reply(run)
  await bot.close()
  server.closeAllConnections()
  server.close()
})
