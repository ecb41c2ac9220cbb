import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { createCallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import { createPrng, deriveSeed } from '../../src/simulator/createPrng.js'
import { createSimulator } from '../../src/simulator/index.js'
import { newChaosRun, sleep, type ChaosRun } from './ChaosRun.js'
import { makeChaosScript } from './chaosScript.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { playWholeCall } from './playWholeCall.js'
import { teeArrivals } from './teeArrivals.js'
import { noteRosterArrival, type RosterHeard } from './leavesHeard.js'
import { makeWholeCallScript } from './wholeCallScript.js'
import { gcMode, heapAfterGc } from './heapAfterGc.js'
import { WHOLE_CALL_SHARE, drawTimeouts, scaledFaults, type ChaosOptions } from './chaosSettings.js'
import { isGraphHoldRefusal, type ChaosReport } from './chaosReport.js'
import { playChaosCall } from './playChaosCall.js'
import { noteUnheard } from './checkHoldSlot.js'
import { HOUR, steppingClock } from './steppingClock.js'

export { chaosFaults, chaosOptionsFromEnv, scaledFaults, type ChaosOptions } from './chaosSettings.js'
export { countOverlaps, formatChaosSummary, type ChaosReport } from './chaosReport.js'

/**
 * Plays `calls` seeded call scripts against the simulator with every fault on, through a real
 * orchestrator whose webhook is served on loopback, and checks the invariants: every operation
 * settles, the simulator's holds never overlap within a call, no unhandled rejection or uncaught
 * exception, nothing tracked once every call ended, and the heap back near its start.
 */
export const runChaos = async (options: ChaosOptions): Promise<ChaosReport> => {
  const started = Date.now()
  const processErrors: string[] = []
  const onRejection = (reason: unknown): void => {
    processErrors.push(`unhandledRejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`)
  }
  const onException = (err: Error): void => {
    processErrors.push(`uncaughtException: ${err.stack ?? err.message}`)
  }
  process.on('unhandledRejection', onRejection)
  process.on('uncaughtException', onException)

  const rand = createPrng(options.seed)
  const timeouts = drawTimeouts(rand)
  const retention = options.endedCallRetentionMs ?? 250
  const faults = scaledFaults(options.faultScale ?? 1)
  const sim = await createSimulator({ seed: options.seed, faults, maxEndedCalls: 64 })
  // The wall clock jumps an hour back or forth every 200 to 700 ms (seeded), as NTP or a VM resume may.
  const clock = steppingClock()
  let clockSteps = 0
  let stepper: NodeJS.Timeout | undefined
  const stepLater = (): void => {
    stepper = setTimeout(() => {
      clock.step(rand.chance(0.5) ? HOUR : -HOUR)
      clockSteps++
      stepLater()
    }, 200 + Math.floor(rand.next() * 500))
  }
  // Call actions of whole calls wait 5 or 6 s for the state that shows their outcome.
  const callActionTimeouts = { answer: 5_000, reject: 5_000, redirect: 5_000, transfer: 6_000, hangUp: 5_000, removeParticipant: 5_000, createCall: 6_000 }
  const orchestrator = createCallOrchestrator({
    clock,
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'chaos-token', retry: { retries: 4, minDelayMs: 20, maxDelayMs: 200, maxTotalMs: 4_000 } },
    // The real path: every notification's JWT is checked against the simulator's signing keys.
    notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
    timeouts,
    callActionTimeouts,
    endedCallRetentionMs: retention,
  })
  let lateOutcomes = 0
  let lateHoldRefusals = 0
  const unheard: ChaosRun['unheard'] = new Map()
  const settledKeys = new Set<string>()
  const violations: string[] = []
  const incomingHeard = new Map<string, number>()
  const tonesDelivered: ChaosRun['tonesDelivered'] = new Map()
  const toneArrivals: ChaosRun['toneArrivals'] = new Map()
  const rostersHeard = new Map<string, RosterHeard>()
  const createdCalls = new Map<string, string>()
  orchestrator.subscribe((e) => {
    // Whole calls: incoming news once per rung call, tones in order, each call action settled once.
    if (e.type === 'incoming') incomingHeard.set(canonicalId(e.callId), (incomingHeard.get(canonicalId(e.callId)) ?? 0) + 1)
    if (e.type === 'tone') {
      const of = tonesDelivered.get(canonicalId(e.callId)) ?? []
      tonesDelivered.set(canonicalId(e.callId), [...of, { tone: e.tone, sequenceId: e.sequenceId ?? -1, at: performance.now() }])
    }
    if (e.type === 'transition' && e.callAction === 'createCall' && e.clientContext !== undefined) createdCalls.set(e.clientContext, e.callId)
    if (e.type === 'callActionSettled') {
      if (settledKeys.has(e.clientContext)) violations.push(`call ${e.callId}: ${e.action} ${e.clientContext} settled twice`)
      settledKeys.add(e.clientContext)
    }
    noteUnheard(unheard, e)
    if (e.type === 'lateOutcome') {
      lateOutcomes++
      if (isGraphHoldRefusal(e.operation.resultInfo)) lateHoldRefusals++
    }
    if (e.type === 'settled' && e.clientContext.startsWith('chaos-')) {
      if (settledKeys.has(e.clientContext)) violations.push(`call ${e.callId}: ${e.clientContext} settled twice`)
      settledKeys.add(e.clientContext)
    }
  })
  const server = http.createServer(
    teeArrivals(orchestrator.webhook, {
      tone: (callId, sequenceId) => {
        toneArrivals.set(callId, [...(toneArrivals.get(callId) ?? []), { sequenceId, at: performance.now() }])
      },
      roster: (callId, arrival) => noteRosterArrival(rostersHeard, callId, arrival),
    }),
  )
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
  const heapBefore = await heapAfterGc()

  const run = newChaosRun({
    sim,
    orchestrator,
    callbackUrl,
    timeouts,
    faults,
    callActionTimeouts,
    violations,
    unheard,
    incomingHeard,
    tonesDelivered,
    toneArrivals,
    rostersHeard,
    createdCalls,
  })
  stepLater()
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < options.calls) {
      const index = next++
      // Each call's script comes from its own stream, so it does not depend on which worker ran first.
      // A share of the calls are whole calls (drawn from a stream of their own, so the established
      // calls' scripts stay those of the seed before whole calls joined).
      if (createPrng(deriveSeed(options.seed, `whole-${index}`)).chance(options.wholeCallShare ?? WHOLE_CALL_SHARE)) {
        await playWholeCall(run, makeWholeCallScript(createPrng(deriveSeed(options.seed, `call-${index}`)), index), index)
      } else {
        run.establishedCalls++
        await playChaosCall(run, makeChaosScript(createPrng(deriveSeed(options.seed, `call-${index}`)), options.operationsPerCall), index)
      }
      done++
      options.onCallDone?.(done, options.calls)
    }
  }
  await Promise.all(Array.from({ length: Math.min(options.concurrency, options.calls) }, worker))
  clearTimeout(stepper)

  await sim.idle()
  // Ended calls leave the orchestrator after the retention; wait for it (bounded) before counting.
  const until = Date.now() + retention + 5_000
  while (orchestrator.stats().calls > 0 && Date.now() < until) await sleep(50)
  const stats = orchestrator.stats()
  if (stats.pendingOperations > 0) violations.push(`the orchestrator still waits for ${stats.pendingOperations} operations`)
  if (stats.pendingCallActions > 0) violations.push(`the orchestrator still waits for ${stats.pendingCallActions} call actions`)
  if (run.pendingCallActions.size > 0) violations.push(`unsettled call actions: ${[...run.pendingCallActions].slice(0, 20).join(', ')}`)
  for (const id of run.rungCalls) {
    const heard = incomingHeard.get(canonicalId(id)) ?? 0
    if (heard !== 1) violations.push(`call ${id}: incoming heard ${heard} times, not once`)
  }
  if (stats.calls > 0) {
    const still = run.callIds.flatMap((id) => {
      const view = orchestrator.getCall(id)
      return view === undefined ? [] : [`${id} (${view.state})`]
    })
    violations.push(`the orchestrator still tracks ${stats.calls} calls after they all ended: ${still.slice(0, 10).join(', ')}`)
  }
  if (run.pending.size > 0) violations.push(`unsettled operations: ${[...run.pending].slice(0, 20).join(', ')}`)
  const heapAfter = await heapAfterGc()

  await orchestrator.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  const simulator = sim.stats()
  await sim.close()
  // Give a late rejection a turn to surface before the listeners go.
  await sleep(20)
  process.off('unhandledRejection', onRejection)
  process.off('uncaughtException', onException)

  return {
    seed: options.seed,
    calls: options.calls,
    faultScale: options.faultScale ?? 1,
    operations: run.operations,
    settled: run.settled,
    outcomes: Object.fromEntries(run.outcomes),
    details: Object.fromEntries([...run.byAction].sort(([a], [b]) => a.localeCompare(b))),
    lateOutcomes,
    retries: run.retries,
    clockSteps,
    slotsWithoutHold: run.slotsWithoutHold,
    stuckSlots: run.stuckSlots,
    recoveredSlots: run.recoveredSlots,
    keptAfterLostOutcome: run.keptAfterLostOutcome,
    simulator,
    holds: run.holds,
    overlaps: run.overlaps,
    graphHoldRefusals: run.graphHoldRefusals + lateHoldRefusals,
    violations,
    processErrors,
    tracked: { calls: stats.calls, pendingOperations: stats.pendingOperations, pendingCallActions: stats.pendingCallActions },
    whole: {
      calls: run.wholeCalls,
      establishedCalls: run.establishedCalls,
      operations: run.wholeCallOperations,
      callActions: run.callActions,
      callActionsSettled: run.callActionsSettled,
      callActionOutcomes: Object.fromEntries([...run.callActionOutcomes].sort(([a], [b]) => a.localeCompare(b))),
      tones: { pressed: run.tonesPressed, delivered: run.tonesHeard, dropped: run.tonesDropped, stale: run.tonesStale },
    },
    heap: { beforeBytes: heapBefore, afterBytes: heapAfter, mode: gcMode },
    durationMs: Date.now() - started,
  }
}
