import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { createCallOrchestrator, type ActionResult, type CallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import type { ActionName } from '../../src/graph/actionCatalog.js'
import { createPrng, deriveSeed, type Prng } from '../../src/simulator/createPrng.js'
import { createSimulator, type Simulator, type SimulatorFaults } from '../../src/simulator/index.js'
import { makeChaosScript, type ChaosOp, type ChaosScript } from './chaosScript.js'
import { gcMode, heapAfterGc } from './heapAfterGc.js'
import { scaledFaults, type ChaosOptions } from './chaosSettings.js'
import { countOverlaps, isGraphHoldRefusal, type ChaosReport } from './chaosReport.js'
import { HOUR, steppingClock } from './steppingClock.js'

export { chaosFaults, chaosOptionsFromEnv, scaledFaults, type ChaosOptions } from './chaosSettings.js'
export { countOverlaps, formatChaosSummary, type ChaosReport } from './chaosReport.js'

// --- the run

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** How long past its own timeout an operation may take to settle before it counts as hung. */
const SETTLE_GRACE_MS = 15_000

interface Run {
  readonly sim: Simulator
  readonly orchestrator: CallOrchestrator
  readonly callbackUrl: string
  readonly timeouts: Readonly<Record<ActionName, number>>
  readonly outcomes: Map<string, number>
  readonly byAction: Map<string, number>
  readonly violations: string[]
  readonly pending: Set<string>
  readonly callIds: string[]
  readonly faults: SimulatorFaults
  /** Calls with a hold or stop whose outcome never reached callops (it timed out or was cancelled, and no late outcome came). */
  readonly unheard: Map<string, Map<string, { readonly action: ActionName; readonly clientRequestId?: string }>>
  operations: number
  retries: number
  slotsWithoutHold: number
  stuckSlots: number
  recoveredSlots: number
  keptAfterLostOutcome: number
  settled: number
  holds: number
  overlaps: number
  graphHoldRefusals: number
}

/** Sends one scripted operation through its own typed method of the orchestrator. */
const send = (
  o: CallOrchestrator,
  op: ChaosOp,
  callId: string,
  clientContext: string,
  participantIds: readonly string[],
  signal: AbortSignal | undefined,
): Promise<ActionResult> => {
  const base = { callId, clientContext, ...(signal === undefined ? {} : { signal }) }
  const who = (i: number): string => participantIds[i] ?? 'nobody'
  switch (op.action) {
    case 'startHoldMusic':
      return o.startHoldMusic({
        ...base,
        participantId: who(op.participant),
        holdPolicy: op.holdPolicy,
        ...(op.customPrompt ? { customPrompt: { mediaInfo: { uri: 'https://bot.contoso.com/hold.wav' } } } : {}),
      })
    case 'stopHoldMusic':
      return o.stopHoldMusic({ ...base, participantId: who(op.participant) })
    case 'unmute':
      return o.unmute(base)
    case 'mute':
      return o.mute(base)
    case 'playPrompt':
      return o.playPrompt({ ...base, prompts: Array.from({ length: op.prompts }, (_, i) => ({ mediaInfo: { uri: `https://bot.contoso.com/prompt-${i}.wav` } })) })
    case 'inviteParticipants':
      return o.inviteParticipants({ ...base, participants: [{ identity: { user: { id: `invitee-${clientContext}`, displayName: 'Invitee' } } }] })
  }
}

/** Runs one operation and records its outcome; resolves when it settled or was declared hung. */
const runOp = async (
  run: Run,
  script: ChaosScript,
  key: string,
  op: ChaosOp,
  participantIds: readonly string[],
  abortAfterMs: number | undefined,
): Promise<void> => {
  run.operations++
  run.pending.add(key)
  const startedAt = performance.now()
  const signal = abortAfterMs === undefined ? undefined : AbortSignal.timeout(abortAfterMs)
  const promise = send(run.orchestrator, op, script.callId, key, participantIds, signal)
  let timer: NodeJS.Timeout | undefined
  const hung = new Promise<'hung'>((resolve) => {
    timer = setTimeout(() => resolve('hung'), run.timeouts[op.action] + SETTLE_GRACE_MS)
  })
  const settledOrHung = await Promise.race([promise, hung])
  clearTimeout(timer)
  if (settledOrHung === 'hung') {
    run.violations.push(`call ${script.callId}: ${op.action} ${key} did not settle within its timeout + ${SETTLE_GRACE_MS} ms`)
    return
  }
  run.pending.delete(key)
  run.settled++
  const result = settledOrHung
  const tag = E.isRight(result) ? 'completed' : result.left._tag
  run.outcomes.set(tag, (run.outcomes.get(tag) ?? 0) + 1)
  const detail = `${op.action}${op.action === 'startHoldMusic' ? ` (${op.holdPolicy})` : ''} ${tag}${E.isLeft(result) ? ` ${result.left.message.replace(/[0-9a-f-]{36}|chaos-[0-9-]+|\d{4}-\d\d-\d\dT[0-9:.]+Z?/g, '…').slice(0, 70)}` : ''}`
  run.byAction.set(detail, (run.byAction.get(detail) ?? 0) + 1)
  if (E.isRight(result) && result.right.status !== 'completed') {
    run.violations.push(`call ${script.callId}: ${op.action} ${key} resolved Right with status ${result.right.status}`)
  }
  if (E.isLeft(result) && result.left._tag === 'OperationFailed' && isGraphHoldRefusal(result.left.resultInfo)) run.graphHoldRefusals++
  // The wall clock steps by an hour during the run: a timeout still lasts its time (the steady clock slews by 2 % at most).
  // (A hold joined to a pending hold of the same participant shares that one's deadline: not checked.)
  const took = performance.now() - startedAt
  const ownTimeout = E.isLeft(result) && result.left._tag === 'Timeout' && result.left.clientContext === key
  if (ownTimeout && took < run.timeouts[op.action] * 0.97 - 20) {
    run.violations.push(`call ${script.callId}: ${op.action} ${key} timed out after ${Math.round(took)} ms of its ${run.timeouts[op.action]} ms`)
  }
  // A bot that heard Timeout holds the same participant again; the first attempt may still end either
  // way. (Not after a queued hold's Timeout: it was still waiting in callops' queue, never sent.)
  if (tag === 'Timeout' && op.action === 'startHoldMusic' && op.holdPolicy !== 'queue' && !key.endsWith('-again')) {
    run.retries++
    await runOp(run, script, `${key}-again`, op, participantIds, undefined)
  }
}

/**
 * At a call's end, once the outcomes are in, callops' hold slot should agree with Graph. It may not
 * when an outcome of a hold or stop never reached callops: a dropped notification (the attempt timed
 * out and no late outcome followed), an attempt the bot cancelled, an `Http` failure that proves
 * nothing. callops cannot know then, and does not guess. A slot taken while the simulator has nobody
 * on hold although every outcome was heard is a stuck call. Otherwise the bot tries to get out as
 * it would in production (drops and failures off for the call): it stops that participant; if the
 * slot is still taken it holds the participant again and stops it.
 */
const checkSlot = async (run: Run, script: ChaosScript, index: number, participantIds: readonly string[]): Promise<void> => {
  await sleep(150) // the last notifications: latency ≤ 60 ms and a 20 ms reorder window
  const nobodyHeld = (): boolean => {
    const holds = run.sim.holds(script.callId)
    return E.isRight(holds) && holds.right.every((h) => h.end !== undefined)
  }
  const view = run.orchestrator.getCall(script.callId)
  if (view?.hold === undefined || view.operations.length > 0 || !nobodyHeld()) return
  run.slotsWithoutHold++
  // A request Graph refused (4xx) was heard, however late: callops got that answer. Wait for the
  // answers still on their way (late refusals), then count only what callops truly never got.
  const sent = [...(run.unheard.get(script.callId)?.values() ?? [])].flatMap((u) => (u.clientRequestId === undefined ? [] : [u.clientRequestId]))
  const answers = (): Map<string, number> => new Map(run.sim.requests().flatMap((r) => (r.clientRequestId !== undefined && sent.includes(r.clientRequestId) ? [[r.clientRequestId, r.status]] : [])))
  for (const until = Date.now() + (run.faults.lateRefusalMs ?? 0) + 500; answers().size < sent.length && Date.now() < until; ) await sleep(100)
  await sleep(50)
  const refused = [...answers()].filter(([, status]) => status === 400 || status === 404).map(([id]) => id)
  // (One never sent, a hold that timed out in callops' queue, has no outcome to lose.)
  const lost = sent.filter((id) => !refused.includes(id))
  if (run.orchestrator.getCall(script.callId)?.hold === undefined) return
  if (lost.length === 0) {
    run.stuckSlots++
    run.violations.push(`call ${script.callId}: hold slot ${view.hold.participantId}/${view.hold.phase} taken while the simulator has nobody on hold, though every hold and stop outcome was heard`)
    return
  }
  const held = participantIds.indexOf(view.hold.participantId)
  run.sim.setFaults({ dropRate: 0, failRate: 0, lateRefusalRate: 0 }, script.callId)
  const recovery: ChaosOp[] = [
    { action: 'stopHoldMusic', participant: held },
    { action: 'startHoldMusic', participant: held, holdPolicy: 'reject', customPrompt: false },
    { action: 'stopHoldMusic', participant: held },
  ]
  for (const [i, op] of recovery.entries()) {
    if (run.orchestrator.getCall(script.callId)?.hold === undefined) break
    run.retries++
    await runOp(run, script, `chaos-${index}-slot-${i}`, op, participantIds, undefined)
  }
  const { dropRate = 0, failRate = 0, lateRefusalRate = 0 } = run.faults
  run.sim.setFaults({ dropRate, failRate, lateRefusalRate }, script.callId)
  if (run.orchestrator.getCall(script.callId)?.hold === undefined) run.recoveredSlots++
  else run.keptAfterLostOutcome++
}

const hangUp = async (run: Run, script: ChaosScript): Promise<void> => {
  // The `terminated` notification is the one notification exempt from drops: without it callops
  // learns that the call ended only from its next keepAlive (15 minutes or more), far beyond a run
  // (see docs/reliability.md). The drop is drawn when hangUp starts, so it is restored at once.
  run.sim.setFaults({ dropRate: 0 }, script.callId)
  const ending = run.sim.hangUp(script.callId)
  run.sim.setFaults({ dropRate: run.faults.dropRate ?? 0 }, script.callId)
  // hangUp has already ended the call and closed its holds; read them now, before the simulator
  // forgets the call (it keeps only a few ended calls, so they do not count as a leak).
  const holds = run.sim.holds(script.callId)
  const ended = await ending
  if (E.isLeft(ended)) {
    run.violations.push(`call ${script.callId}: hang-up refused: ${ended.left.message}`)
    return
  }
  if (E.isLeft(holds)) {
    run.violations.push(`call ${script.callId}: holds not readable after hang-up: ${holds.left.message}`)
    return
  }
  run.holds += holds.right.length
  const overlaps = countOverlaps(holds.right)
  run.overlaps += overlaps
  if (overlaps > 0) run.violations.push(`call ${script.callId}: ${overlaps} overlapping hold intervals ${JSON.stringify(holds.right)}`)
  if (holds.right.some((h) => h.end === undefined)) run.violations.push(`call ${script.callId}: a hold interval is still open after hang-up`)
}

const playCall = async (run: Run, script: ChaosScript, index: number): Promise<void> => {
  const created = run.sim.createCall({
    callbackUrl: run.callbackUrl,
    callId: script.callId,
    group: true,
    participants: Array.from({ length: script.participants }, (_, i) => ({ displayName: `Customer ${i + 1}` })),
    faults: { retryAfterSeconds: script.retryAfterSeconds },
  })
  if (E.isLeft(created)) {
    run.violations.push(`call ${index}: the simulator refused it: ${created.left.message}`)
    return
  }
  run.callIds.push(script.callId)
  const participantIds = created.right.participants.map((p) => p.id)
  const registered = run.orchestrator.registerCall({ callId: script.callId, kind: 'group', holdPolicy: script.holdPolicy })
  if (E.isLeft(registered)) run.violations.push(`call ${script.callId}: registerCall refused: ${registered.left.message}`)
  let opIndex = 0
  for (const step of script.steps) {
    switch (step.kind) {
      case 'pause':
        await sleep(step.ms)
        break
      case 'leave': {
        // A Left only says the participant or the call is already gone.
        const id = participantIds[step.participant]
        if (id !== undefined) await run.sim.leave(script.callId, id)
        break
      }
      case 'ops': {
        const running: Promise<void>[] = []
        for (const { op, delayMs, abortAfterMs } of step.ops) {
          if (delayMs > 0) await sleep(delayMs)
          running.push(runOp(run, script, `chaos-${index}-${opIndex++}`, op, participantIds, abortAfterMs))
        }
        if (step.hangUpDuring) running.push(sleep(2).then(() => hangUp(run, script)))
        const leaving = step.leaveDuring === undefined ? undefined : participantIds[step.leaveDuring]
        if (leaving !== undefined) running.push(sleep(1).then(() => run.sim.leave(script.callId, leaving)).then(() => undefined))
        await Promise.all(running)
        break
      }
    }
  }
  if (script.hangUpAtEnd) {
    await checkSlot(run, script, index, participantIds)
    await hangUp(run, script)
  }
}

const drawTimeouts = (rand: Prng): Record<ActionName, number> => {
  const draw = (): number => 2_000 + 500 * Math.floor(rand.next() * 7)
  return {
    startHoldMusic: draw(),
    stopHoldMusic: draw(),
    unmute: draw(),
    mute: draw(),
    muteParticipant: draw(),
    playPrompt: draw(),
    recordResponse: draw(),
    sendDtmfTones: draw(),
    subscribeToTone: draw(),
    cancelMediaProcessing: draw(),
    updateRecordingStatus: draw(),
    inviteParticipants: draw(),
    addLargeGalleryView: draw(),
  }
}

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
  const sim = await createSimulator({ seed: options.seed, faults, maxEndedCalls: 16 })
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
  const orchestrator = createCallOrchestrator({
    clock,
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'chaos-token', retry: { retries: 4, minDelayMs: 20, maxDelayMs: 200, maxTotalMs: 4_000 } },
    // The real path: every notification's JWT is checked against the simulator's signing keys.
    notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
    timeouts,
    endedCallRetentionMs: retention,
  })
  let lateOutcomes = 0
  let lateHoldRefusals = 0
  const unheard = new Map<string, Map<string, { readonly action: ActionName; readonly clientRequestId?: string }>>()
  const settledKeys = new Set<string>()
  const violations: string[] = []
  orchestrator.subscribe((e) => {
    if (e.type === 'settled' && (e.action === 'startHoldMusic' || e.action === 'stopHoldMusic') && E.isLeft(e.result)) {
      if (e.result.left._tag === 'Timeout' || e.result.left._tag === 'Cancelled' || e.result.left._tag === 'Http') {
        const of = unheard.get(e.callId) ?? new Map<string, { action: ActionName; clientRequestId?: string }>()
        unheard.set(e.callId, of.set(e.clientContext, { action: e.action, ...(e.clientRequestId === undefined ? {} : { clientRequestId: e.clientRequestId }) }))
      }
    }
    if (e.type === 'lateOutcome') {
      const of = unheard.get(e.callId)
      of?.delete(e.clientContext)
      if (of?.size === 0) unheard.delete(e.callId)
      lateOutcomes++
      if (isGraphHoldRefusal(e.operation.resultInfo)) lateHoldRefusals++
    }
    if (e.type === 'settled' && e.clientContext.startsWith('chaos-')) {
      if (settledKeys.has(e.clientContext)) violations.push(`call ${e.callId}: ${e.clientContext} settled twice`)
      settledKeys.add(e.clientContext)
    }
  })
  const server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
  const heapBefore = await heapAfterGc()

  const run: Run = {
    sim,
    orchestrator,
    callbackUrl,
    timeouts,
    outcomes: new Map(),
    byAction: new Map(),
    violations,
    pending: new Set(),
    callIds: [],
    faults,
    unheard,
    operations: 0,
    retries: 0,
    slotsWithoutHold: 0,
    stuckSlots: 0,
    recoveredSlots: 0,
    keptAfterLostOutcome: 0,
    settled: 0,
    holds: 0,
    overlaps: 0,
    graphHoldRefusals: 0,
  }
  stepLater()
  let next = 0
  let done = 0
  const worker = async (): Promise<void> => {
    while (next < options.calls) {
      const index = next++
      // Each call's script comes from its own stream, so it does not depend on which worker ran first.
      const script = makeChaosScript(createPrng(deriveSeed(options.seed, `call-${index}`)), options.operationsPerCall)
      await playCall(run, script, index)
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
    tracked: { calls: stats.calls, pendingOperations: stats.pendingOperations },
    heap: { beforeBytes: heapBefore, afterBytes: heapAfter, mode: gcMode },
    durationMs: Date.now() - started,
  }
}
