import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import type { InspectionEvent } from 'xstate'
import { createCallOrchestrator, type CallOrchestrator, type CallOrchestratorOptions } from '../orchestrator/createCallOrchestrator.js'
import type { OrchestratorEvent } from '../runtime/OrchestratorEvent.js'
import { createSimulator, type Simulator } from '../simulator/index.js'
import { startDemoView } from './startDemoView.js'
import { startInspector, type DemoInspector } from './startInspector.js'
import { formatEntry, formatTable, toTimelineEntry, type OperationIndex, type TimelineEntry } from './timeline.js'

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Seed of the simulator (ids, faults). Default 7. */
  readonly seed?: number
  /** How many customer calls play the scenario at once. Default 1 (with a full timeline). */
  readonly calls?: number
  /** Print the timeline as JSON lines instead of text. */
  readonly json?: boolean
  /**
   * Attach @statelyai/inspect's inspector server on this port (0: none) and stay open until Ctrl-C.
   * Resolves 2 at once, with a message, when that optional package is missing or the port is taken.
   */
  readonly inspectPort?: number
  /** Serve callops's live view, print its URL, play once a page is open, and stay open until Ctrl-C. */
  readonly view?: boolean
  readonly stdout?: (line: string) => void
  readonly stderr?: (text: string) => void
}

interface Context {
  readonly sim: Simulator
  readonly orchestrator: CallOrchestrator
  readonly callbackUrl: string
  readonly started: number
  readonly names: Map<string, string>
  readonly emit: (e: TimelineEntry) => void
  readonly verbose: (callId: string) => boolean
  readonly holds: { count: number; overlaps: number }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

const until = async (predicate: () => boolean, ms: number): Promise<boolean> => {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) return false
    await sleep(2)
  }
  return true
}

/** Plays the scenario on one new call; returns what went differently from the script. */
const playScenario = async (ctx: Context, index: number): Promise<string[]> => {
  const { sim, orchestrator } = ctx
  const created = sim.createCall({
    callbackUrl: ctx.callbackUrl,
    group: true,
    participants: [{ displayName: 'Alice (caller)' }, { displayName: 'Bob (caller)' }, { displayName: 'Carol (agent)' }],
  })
  if (E.isLeft(created)) return [`could not create call ${index}: ${created.left.message}`]
  const { callId } = created.right
  const [alice, bob] = created.right.participants.map((p) => p.id)
  if (alice === undefined || bob === undefined) return ['the simulator gave too few participants']
  for (const p of created.right.participants) ctx.names.set(p.id, p.displayName.replace(/ \(.*\)$/, ''))
  orchestrator.registerCall({ callId, kind: 'group' })
  const problems: string[] = []
  const step = (what: string) => {
    if (ctx.verbose(callId)) ctx.emit({ t: Date.now() - ctx.started, callId, what: `▶ ${what}` })
  }
  const expect = (ok: boolean, what: string) => {
    if (!ok) problems.push(`call ${callId}: ${what}`)
  }
  const requestsFor = () => sim.requests().filter((r) => r.callId === callId).length

  step('The agent puts Alice on hold (music plays); Graph sends her notification twice')
  sim.setFaults({ duplicateRate: 1 }, callId)
  const held = await orchestrator.startHoldMusic({
    callId,
    participantId: alice,
    customPrompt: { mediaInfo: { uri: 'https://bot.contoso.com/onHold.wav' } },
  })
  expect(E.isRight(held), `holding Alice should complete, got ${E.isLeft(held) ? held.left._tag : ''}`)
  sim.setFaults({ duplicateRate: 0 }, callId)

  step('The agent tries to hold Bob too: refused by the single-hold rule, no HTTP request sent')
  const sentBefore = requestsFor()
  const refused = await orchestrator.startHoldMusic({ callId, participantId: bob })
  expect(E.isLeft(refused) && refused.left._tag === 'HoldConflict', 'holding Bob while Alice is on hold should be a HoldConflict')
  expect(requestsFor() === sentBefore, 'the refused hold must not reach Graph')

  step("The agent releases Alice (her notification beats the HTTP answer) and holds Bob with the queue policy")
  sim.setFaults({ notifyBeforeAnswer: 1 }, callId)
  const [released, queued] = await Promise.all([
    orchestrator.stopHoldMusic({ callId, participantId: alice }),
    orchestrator.startHoldMusic({ callId, participantId: bob, holdPolicy: 'queue' }),
  ])
  expect(E.isRight(released), 'releasing Alice should complete')
  expect(E.isRight(queued), 'the queued hold of Bob should complete once Alice is released')
  sim.setFaults({ notifyBeforeAnswer: 0 }, callId)

  step('The bot unmutes itself; Graph throttles the first try with a 429')
  sim.setFaults({ throttleRate: 1, retryAfterSeconds: 1 }, callId)
  const unmuting = orchestrator.unmute({ callId })
  const throttled = await until(() => sim.requests().some((r) => r.callId === callId && r.status === 429), 5_000)
  sim.setFaults({ throttleRate: 0 }, callId)
  const unmuted = await unmuting
  expect(throttled, 'the first unmute should have been throttled')
  expect(E.isRight(unmuted), 'unmute should complete after the retry')

  step('The agent releases Bob and the call ends')
  const releasedBob = await orchestrator.stopHoldMusic({ callId, participantId: bob })
  expect(E.isRight(releasedBob), 'releasing Bob should complete')
  await sim.hangUp(callId)

  const holds = sim.holds(callId)
  if (E.isRight(holds)) {
    const spans = holds.right
    ctx.holds.count += spans.length
    expect(spans.length === 2, `two holds expected, the simulator recorded ${spans.length}`)
    for (let i = 1; i < spans.length; i++) {
      const prev = spans[i - 1]
      const cur = spans[i]
      if (prev === undefined || cur === undefined || (prev.end !== undefined && prev.end <= cur.start)) continue
      ctx.holds.overlaps++
      problems.push(`call ${callId}: the simulator recorded overlapping holds`)
    }
  }
  return problems
}

// The Stately inspector and the live view can watch at once.
const both = (a: CallOrchestratorOptions['inspect'], b: CallOrchestratorOptions['inspect']): NonNullable<CallOrchestratorOptions['inspect']> => {
  const call = (o: CallOrchestratorOptions['inspect'], e: InspectionEvent) => (typeof o === 'function' ? o(e) : o?.next?.(e))
  return (e) => {
    call(a, e)
    call(b, e)
  }
}

/**
 * The README's demo: starts the Graph simulator and a small call-center bot on the orchestrator in
 * this process, plays a customer call (hold, refused second hold, release and queued hold, unmute
 * through a 429) with faults on, prints the timeline and a summary. Resolves the exit code.
 */
export const runDemo = async (options: DemoOptions = {}): Promise<number> => {
  const out = options.stdout ?? ((l: string) => process.stdout.write(`${l}\n`))
  const err = options.stderr ?? ((t: string) => process.stderr.write(t))
  const calls = options.calls ?? 1
  let inspector: DemoInspector | undefined
  if (options.inspectPort !== undefined && options.inspectPort > 0) {
    // Before the simulator starts: a missing package or a busy port leaves nothing open behind.
    const started = await startInspector(options.inspectPort)
    if (E.isLeft(started)) {
      err(`${started.left}\n`)
      return 2
    }
    inspector = started.right
    err(`Inspector server on ${inspector.url}: it listens on every network interface, and the Stately page it embeds needs internet\n`)
  }
  const sim = await createSimulator({ seed: options.seed ?? 7 })
  const view = options.view === true ? await startDemoView(err) : undefined

  const started = Date.now()
  const names = new Map<string, string>()
  const index: OperationIndex = { action: new Map(), participant: new Map() }
  const tally = new Map<string, number>()
  let retries = 0
  let firstCall: string | undefined
  const verbose = (callId: string) => calls === 1 || callId === firstCall
  const emit = (e: TimelineEntry) => out(options.json === true ? JSON.stringify(e) : formatEntry(e))

  let server: http.Server | undefined
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'demo-token', retry: { retries: 4, minDelayMs: 50 } },
    // The real path: notifications are checked against the simulator's signing keys.
    notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
    ...(inspector === undefined && view === undefined ? {} : { inspect: both(inspector?.inspect, view?.inspect) }),
  })
  await view?.watch(orchestrator)
  orchestrator.subscribe((e: OrchestratorEvent) => {
    if (e.type === 'settled') {
      const k = E.isRight(e.result) ? e.result.right.status : e.result.left._tag
      tally.set(k, (tally.get(k) ?? 0) + 1)
    }
    if (e.type === 'answer' && e.attempts !== undefined) retries += e.attempts - 1
    if (!verbose(e.callId)) return
    const entry = toTimelineEntry(e, Date.now() - started, index, (id) => (id === undefined ? undefined : names.get(id)))
    if (entry !== undefined) emit(entry)
  })
  server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
  const holdsRecorded = { count: 0, overlaps: 0 }
  const ctx: Context = { sim, orchestrator, callbackUrl, started, names, emit, verbose, holds: holdsRecorded }

  if (options.json !== true) {
    out(`callops demo: a Graph calls simulator on ${sim.url} (seed ${sim.seed}) and a call-center bot on ${callbackUrl}`)
    out(calls === 1 ? '' : `Playing the scenario on ${calls} calls at once; the timeline shows the first.\n`)
  }
  const problems: string[] = []
  let done = 0
  const progress = () => {
    if (calls > 1) err(`\r  ${done}/${calls} calls done`)
  }
  const running: Promise<void>[] = []
  const concurrency = Math.min(calls, 200)
  let next = 0
  const worker = async () => {
    while (next < calls) {
      const i = next++
      const p = await playScenario({ ...ctx, verbose: (id) => (firstCall === undefined && i === 0 ? ((firstCall = id), true) : verbose(id)) }, i)
      problems.push(...p)
      done++
      if (done % 10 === 0 || done === calls) progress()
    }
  }
  for (let w = 0; w < concurrency; w++) running.push(worker())
  await Promise.all(running)
  if (calls > 1) err('\n')
  await sim.idle()

  const stats = sim.stats()
  if (options.json === true) {
    out(JSON.stringify({ summary: { outcomes: Object.fromEntries(tally), retries, holds: holdsRecorded, notifications: stats.notifications, problems } }))
  } else {
    out('')
    out(formatTable('Operations by outcome', [...tally].sort().map(([k, v]) => [k, v])))
    out(
      formatTable('Graph and notifications', [
        ['HTTP requests', sim.requests().length],
        ['answered 429', stats.throttled],
        ['retries', retries],
        ['notifications sent', stats.notifications.sent],
        ['of which duplicates', stats.notifications.duplicated],
        ['holds recorded by the simulator', holdsRecorded.count],
        ['overlapping holds', holdsRecorded.overlaps],
      ]),
    )
    out(problems.length === 0 ? '\nEvery step went as the single-hold rule says. ✔' : `\nProblems:\n${problems.map((p) => `  ✘ ${p}`).join('\n')}`)
  }

  await view?.untilInterrupted()
  if (inspector !== undefined) {
    // Listen before saying so: a Ctrl-C right after the line must not find SIGINT's default action.
    const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))
    err('Inspector is open; press Ctrl-C to stop.\n')
    await interrupted
    inspector.stop()
  }
  await orchestrator.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  await sim.close()
  return problems.length === 0 ? 0 : 1
}
