// Child entry (item 2): notifications decoded, routed and applied per second, in one process,
// with `openCalls` calls open, each with one operation waiting for its completion notification.
import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { createCallOrchestrator, type ActionResult, type NotificationHeaders } from '../../src/index.js'
import { settleFromBody, type Settle } from '../baselineWebhook.js'
import { childInput, reply, runAsChild } from '../support/childProcess.js'
import { createInstantGraphClient } from '../support/createInstantGraphClient.js'
import { pool, tick } from '../support/pool.js'
import { startLocalOpenId } from '../support/startLocalOpenId.js'
import { startProfiler } from '../support/startProfiler.js'
import { cpuSince, percentile } from '../support/summarize.js'
import type { DispatchRun } from './DispatchRun.js'

const Input = t.type({
  openCalls: t.number,
  notifications: t.number,
  latencySamples: t.number,
  auth: t.boolean,
  /** Notifications under way at once in the throughput pass. */
  window: t.number,
  /** Write a CPU profile of the throughput pass to this file. */
  profileFile: t.union([t.string, t.null]),
})

/** One open call and the operation it is waiting for. */
interface Slot {
  readonly callId: string
  readonly participantId: string
  action: 'startHoldMusic' | 'stopHoldMusic'
  clientContext: string
  outcome: Promise<ActionResult>
}

const shuffle = <A>(items: A[]): A[] => {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    const a = items[i] as A
    items[i] = items[j] as A
    items[j] = a
  }
  return items
}

runAsChild(async () => {
  const input = childInput(Input)
  const openId = input.auth ? await startLocalOpenId() : undefined
  const operationIds = new Map<string, string>()
  const orchestrator = createCallOrchestrator({
    graph: { client: createInstantGraphClient((clientContext, id) => operationIds.set(clientContext, id)) },
    notificationAuth: openId === undefined ? false : { appId: openId.appId, openIdConfigUrl: openId.openIdConfigUrl },
    maxCalls: input.openCalls + 10,
    maxPendingOperations: input.openCalls + 10,
    // Opening 100,000 calls takes longer than the default deadlines.
    timeouts: { startHoldMusic: 3_600_000, stopHoldMusic: 3_600_000 },
  })
  const headers: NotificationHeaders =
    openId === undefined ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', authorization: openId.authorization }

  const arm = (slot: Slot): void => {
    slot.clientContext = randomUUID()
    slot.outcome = orchestrator[slot.action]({ callId: slot.callId, participantId: slot.participantId, clientContext: slot.clientContext })
  }
  const slots: Slot[] = []
  for (let i = 0; i < input.openCalls; i++) {
    const slot: Slot = { callId: randomUUID(), participantId: randomUUID(), action: 'startHoldMusic', clientContext: '', outcome: Promise.resolve(E.left({ _tag: 'Cancelled', message: '' })) }
    arm(slot)
    slots.push(slot)
    if (i % 1000 === 999) await tick()
  }
  await tick()

  // The completion Graph would post, as the bytes of the POST body.
  const bodyOf = (slot: Slot, id = operationIds.get(slot.clientContext) ?? ''): string =>
    JSON.stringify({
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'deleted',
          resourceUrl: `communications/calls/${slot.callId}/operations/${id}`,
          resourceData: {
            '@odata.type': `#microsoft.graph.${slot.action}Operation`,
            '@odata.id': `communications/calls/${slot.callId}/operations/${id}`,
            id,
            status: 'completed',
            clientContext: slot.clientContext,
            resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Success' },
          },
        },
      ],
    })

  let errors = 0
  let sampled = 0
  /** Delivers one completion to each of `targets` (timed), then re-arms them (not timed). */
  const pass = async (targets: readonly Slot[], window: number, latencies?: Float64Array): Promise<{ cpuUs: number; wallMs: number }> => {
    const bodies = targets.map((slot) => bodyOf(slot))
    const c0 = process.cpuUsage()
    const t0 = performance.now()
    await pool(targets, window, async (slot, i) => {
      const start = performance.now()
      const answer = await orchestrator.handleNotification(bodies[i], headers)
      const result = await slot.outcome
      if (latencies !== undefined) latencies[sampled++] = (performance.now() - start) * 1000
      if (answer.status !== 202 || E.isLeft(result)) errors++
    })
    const measured = { cpuUs: cpuSince(c0), wallMs: performance.now() - t0 }
    for (const slot of targets) {
      operationIds.delete(slot.clientContext)
      slot.action = slot.action === 'startHoldMusic' ? 'stopHoldMusic' : 'startHoldMusic'
      arm(slot)
    }
    await tick()
    return measured
  }
  /** `count` targets: distinct calls when there are enough, otherwise rounds over all of them. */
  const rounds = (count: number): Slot[][] => {
    const out: Slot[][] = []
    for (let left = count; left > 0; left -= slots.length) out.push(shuffle([...slots]).slice(0, Math.min(left, slots.length)))
    return out
  }

  // Warm-up: the JIT, the key cache (auth on), the actors' first completions.
  for (const targets of rounds(Math.min(2000, input.notifications))) await pass(targets, input.window)
  let cpuUs = 0
  let wallMs = 0
  const stopProfiler = input.profileFile === null ? undefined : await startProfiler(input.profileFile)
  for (const targets of rounds(input.notifications)) {
    const r = await pass(targets, input.window)
    cpuUs += r.cpuUs
    wallMs += r.wallMs
  }
  await stopProfiler?.()

  // The baseline, same process and bodies: the hand-written bots' handler (parse, find the waiting
  // promise by clientContext, settle it), so the figures can be read as a ratio on a noisy machine.
  const pending = new Map<string, Settle>()
  const baselinePass = async (targets: readonly Slot[]): Promise<number> => {
    const bodies: string[] = []
    const outcomes: Promise<boolean>[] = []
    for (const slot of targets) {
      const clientContext = randomUUID()
      bodies.push(bodyOf({ ...slot, clientContext }, randomUUID()))
      outcomes.push(new Promise<boolean>((resolve) => pending.set(clientContext, resolve)))
    }
    const c0 = process.cpuUsage()
    await pool(targets, input.window, async (_slot, i) => {
      settleFromBody(bodies[i] ?? '', pending)
      if (!(await outcomes[i])) errors++
    })
    return cpuSince(c0)
  }
  for (const targets of rounds(Math.min(2000, input.notifications))) await baselinePass(targets)
  let baselineCpuUs = 0
  for (const targets of rounds(input.notifications)) baselineCpuUs += await baselinePass(targets)
  const latencies = new Float64Array(input.latencySamples)
  for (const targets of rounds(input.latencySamples)) await pass(targets, 1, latencies)
  latencies.sort()

  const run: DispatchRun = {
    openCalls: input.openCalls,
    auth: input.auth,
    notifications: input.notifications,
    perSec: (input.notifications / wallMs) * 1000,
    perCpuSec: (input.notifications / cpuUs) * 1e6,
    cpuUsPerNotification: cpuUs / input.notifications,
    baselineCpuUsPerNotification: baselineCpuUs / input.notifications,
    latencyP50Us: percentile(latencies, 0.5),
    latencyP99Us: percentile(latencies, 0.99),
    errors,
  }
  await reply(run)
  await orchestrator.close()
  await openId?.close()
})
