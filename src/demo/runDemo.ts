import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import type { InspectionEvent } from 'xstate'
import { createCallOrchestrator, type CallOrchestrator, type CallOrchestratorOptions } from '../orchestrator/createCallOrchestrator.js'
import type { OrchestratorEvent } from '../runtime/OrchestratorEvent.js'
import { createSimulator } from '../simulator/index.js'
import { startCallCenterBot, type BotStep } from './callCenterBot.js'
import { playCallCenterCall, type CallScene } from './playCallCenterCall.js'
import { startDemoView } from './startDemoView.js'
import { startInspector, type DemoInspector } from './startInspector.js'
import { formatEntry, formatTable, toTimelineEntry, type OperationIndex, type TimelineEntry } from './timeline.js'

/** Options of {@link runDemo}. */
export interface DemoOptions {
  /** Seed of the simulator (ids, faults). Default 7. */
  readonly seed?: number
  /** How many customer calls play the scenario at once (even ones press 1, odd ones 2). Default 1 (with a full timeline). */
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
 * this process and plays a whole call-center call with faults on: the customer dials in, the bot
 * answers, plays the IVR menu and collects a key, holds the caller with music while it invites an
 * agent (a second hold is refused by the single-hold rule), releases the caller, then transfers
 * (key 1) or hangs up (key 2). Prints the timeline and a summary; resolves 0 only when every step
 * went as the rules say.
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
  const outcomes = new Map<string, number>()
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
      outcomes.set(k, (outcomes.get(k) ?? 0) + 1)
    }
    if (e.type === 'answer' && e.attempts !== undefined) retries += e.attempts - 1
    if (e.type === 'participantJoined' && e.participant.displayName !== undefined) names.set(e.participant.id, e.participant.displayName.replace(/ \(.*\)$/, ''))
    if (!verbose(e.callId)) return
    const entry = toTimelineEntry(e, Date.now() - started, index, (id) => (id === undefined ? undefined : names.get(id)))
    if (entry !== undefined) emit(entry)
  })
  server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve))
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
  const scripts = new Map<string, (step: BotStep) => Promise<void>>()
  const bot = startCallCenterBot(orchestrator, async (callId, step) => scripts.get(callId)?.(step))
  const tally = { holds: 0, overlaps: 0, transferred: 0, hungUp: 0 }
  const scene: CallScene = { sim, bot, callbackUrl, scripts, started, names, emit, verbose, tally }

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
      const p = await playCallCenterCall({ ...scene, verbose: (id) => (firstCall === undefined && i === 0 ? ((firstCall = id), true) : verbose(id)) }, i)
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
    const holds = { count: tally.holds, overlaps: tally.overlaps }
    out(JSON.stringify({ summary: { outcomes: Object.fromEntries(outcomes), retries, holds, transferred: tally.transferred, hungUp: tally.hungUp, notifications: stats.notifications, problems } }))
  } else {
    out('')
    out(formatTable('Operations by outcome', [...outcomes].sort().map(([k, v]) => [k, v])))
    out(
      formatTable('Graph and notifications', [
        ['HTTP requests', sim.requests().length],
        ['answered 429', stats.throttled],
        ['retries', retries],
        ['notifications sent', stats.notifications.sent],
        ['of which duplicates', stats.notifications.duplicated],
        ['holds recorded by the simulator', tally.holds],
        ['overlapping holds', tally.overlaps],
      ]),
    )
    out(formatTable('Calls', [['answered, transferred to the agent', tally.transferred], ['answered, hung up', tally.hungUp]]))
    out(problems.length === 0 ? '\nEvery step went as the rules say (answer, menu, key, single hold, invite, release, transfer or hang-up). ✔' : `\nProblems:\n${problems.map((p) => `  ✘ ${p}`).join('\n')}`)
  }

  await view?.untilInterrupted()
  if (inspector !== undefined) {
    // Listen before saying so: a Ctrl-C right after the line must not find SIGINT's default action.
    const interrupted = new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))
    err('Inspector is open; press Ctrl-C to stop.\n')
    await interrupted
    inspector.stop()
  }
  bot.stop()
  await orchestrator.close()
  server.closeAllConnections()
  await new Promise<void>((resolve) => server?.close(() => resolve()))
  await sim.close()
  return problems.length === 0 ? 0 : 1
}
