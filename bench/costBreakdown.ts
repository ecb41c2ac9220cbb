// `npx tsx bench/costBreakdown.ts`: where one operation's CPU goes inside the bot, without HTTP.
// (0) XState's building blocks on a trivial machine: the floor under operations as child actors.
// (1) The call machine alone (XState), run as the runtime runs it (a snapshot stepped with
//     callMachine.transition, no actor): µs per event of the hold → stop → unmute scenario.
// (2) The orchestrator in-process (instant Graph client, no sockets): µs per command and per
//     notification of each kind, so the part outside XState can be read off by difference.
// Figures are CPU (process.cpuUsage) medians over repeated passes on warmed code.
import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { callMachine } from '../machines/call.machine.js'
import type { CallEmitted } from '../machines/callTypes.js'
import { createCallRunners, type CallRunner } from '../src/runtime/createCallRunner.js'
import { createCallOrchestrator, type ActionResult } from '../src/index.js'
import { createInstantGraphClient } from './support/createInstantGraphClient.js'
import { tick } from './support/pool.js'
import { xstatePrimitiveCosts } from './support/xstatePrimitiveCosts.js'

const CALLS = Number(process.argv[2] ?? 2000)
const PASSES = 12

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN
const cpu = (): number => {
  const u = process.cpuUsage()
  return u.user + u.system
}

// --- (1) the call machine alone

const machineCosts = (): Map<string, number> => {
  const samples = new Map<string, number[]>()
  const start = createCallRunners(callMachine)
  const outbox: CallEmitted[] = []
  for (let pass = 0; pass < PASSES; pass++) {
    const sums = new Map<string, number>()
    const counts = new Map<string, number>()
    const timed = (name: string, f: () => void): void => {
      const t0 = cpu()
      f()
      sums.set(name, (sums.get(name) ?? 0) + cpu() - t0)
      counts.set(name, (counts.get(name) ?? 0) + 1)
    }
    for (let i = 0; i < CALLS; i++) {
      const callId = randomUUID()
      const participantId = randomUUID()
      let actor!: CallRunner
      timed('create a call', () => {
        const started = start(outbox, { input: { callId, holdPolicy: 'reject' } }, (err) => {
          throw err
        })
        if (E.isLeft(started)) throw new Error('the call did not start')
        actor = started.right
      })
      timed('call.updated', () => actor.send({ type: 'call.updated', state: 'established', kind: 'group' }))
      for (const action of ['startHoldMusic', 'stopHoldMusic', 'unmute'] as const) {
        const clientContext = randomUUID()
        const id = randomUUID()
        const final = action === 'unmute'
        timed(`operation.requested (${action})`, () =>
          actor.send({
            type: 'operation.requested',
            clientContext,
            action,
            ...(final ? {} : { participantId }),
            deadline: Date.now() + 60_000,
          }),
        )
        timed(`http.accepted (${final ? 'completed: settles' : 'running'})`, () =>
          actor.send({ type: 'http.accepted', clientContext, report: { id, status: final ? 'completed' : 'running', clientContext } }),
        )
        if (!final) {
          timed('notification.operation (settles)', () =>
            actor.send({
              type: 'notification.operation',
              report: { id, status: 'completed', clientContext, resultInfo: { code: 200, subcode: 0, message: 'Success' } },
            }),
          )
        }
        timed('roster.updated', () => actor.send({ type: 'roster.updated', participants: [{ id: participantId, displayName: 'x' }] }))
        outbox.length = 0
      }
      actor.stop()
    }
    if (pass < 2) continue
    for (const [name, sum] of sums) samples.set(name, [...(samples.get(name) ?? []), sum / (counts.get(name) ?? 1)])
  }
  return new Map([...samples].map(([name, xs]) => [name, median(xs)]))
}

// --- (2) the orchestrator in-process

const orchestratorCosts = async (): Promise<Map<string, number>> => {
  const operationIds = new Map<string, string>()
  const orchestrator = createCallOrchestrator({
    graph: { client: createInstantGraphClient((clientContext, id) => operationIds.set(clientContext, id)) },
    notificationAuth: false,
    maxCalls: CALLS + 10,
    maxPendingOperations: CALLS + 10,
  })
  const headers = { 'content-type': 'application/json' }
  type Slot = { callId: string; participantId: string; botId: string; userId: string; appId: string; action: 'startHoldMusic' | 'stopHoldMusic'; clientContext: string; outcome?: Promise<ActionResult> }
  const slots: Slot[] = Array.from({ length: CALLS }, () => ({ callId: randomUUID(), participantId: randomUUID(), botId: randomUUID(), userId: randomUUID(), appId: randomUUID(), action: 'startHoldMusic', clientContext: '' }))
  const arm = (s: Slot): void => {
    s.clientContext = randomUUID()
    s.outcome = orchestrator[s.action]({ callId: s.callId, participantId: s.participantId, clientContext: s.clientContext })
  }
  const completion = (s: Slot): string => {
    const id = operationIds.get(s.clientContext) ?? ''
    const url = `communications/calls/${s.callId}/operations/${id}`
    return JSON.stringify({
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'deleted',
          resourceUrl: url,
          resourceData: {
            '@odata.type': `#microsoft.graph.${s.action}Operation`,
            '@odata.id': url,
            id,
            status: 'completed',
            clientContext: s.clientContext,
            resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Success' },
          },
        },
      ],
    })
  }
  // A roster update as the simulator sends it: the bot and one participant.
  const roster = (s: Slot): string =>
    JSON.stringify({
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'updated',
          resourceUrl: `/communications/calls/${s.callId}/participants`,
          // The same two participants each time, as in a real call (the roster does not grow).
          resourceData: [s.participantId, s.botId].map((id, i) => ({
            '@odata.type': '#microsoft.graph.participant',
            id,
            info: { identity: i === 0 ? { user: { id: s.userId, displayName: 'Participant 1' } } : { application: { id: s.appId, displayName: 'Bot' } } },
            mediaStreams: [{ mediaType: 'audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
            isMuted: false,
            isInLobby: false,
          })),
        },
      ],
    })

  const samples = new Map<string, number[]>()
  const record = (name: string, us: number): void => void samples.set(name, [...(samples.get(name) ?? []), us / CALLS])
  for (const s of slots) arm(s)
  await tick()
  for (let pass = 0; pass < PASSES; pass++) {
    const bodies = slots.map(completion)
    let t0 = cpu()
    for (let i = 0; i < slots.length; i++) {
      await orchestrator.handleNotification(bodies[i], headers)
      const r = await slots[i]?.outcome
      if (r === undefined || E.isLeft(r)) throw new Error('an operation did not complete')
    }
    if (pass >= 2) record('notification: operation completed (settles the caller)', cpu() - t0)
    const rosters = slots.map(roster)
    t0 = cpu()
    for (const body of rosters) await orchestrator.handleNotification(body, headers)
    if (pass >= 2) record('notification: roster updated (2 participants, no entry changed)', cpu() - t0)
    t0 = cpu()
    for (const s of slots) {
      s.action = s.action === 'startHoldMusic' ? 'stopHoldMusic' : 'startHoldMusic'
      arm(s)
    }
    await tick()
    if (pass >= 2) record('command: startHoldMusic/stopHoldMusic until its answer is applied', cpu() - t0)
  }
  await orchestrator.close()
  return new Map([...samples].map(([name, xs]) => [name, median(xs)]))
}

const print = (title: string, costs: Map<string, number>): void => {
  process.stdout.write(`${title}\n`)
  for (const [name, us] of costs) process.stdout.write(`  ${us.toFixed(1).padStart(6)} µs  ${name}\n`)
}

print('XState building blocks on a trivial machine, µs CPU each:', xstatePrimitiveCosts())
print(`call machine alone (XState), ${CALLS} calls, µs CPU per event:`, machineCosts())
print(`orchestrator in-process (no HTTP), ${CALLS} open calls, µs CPU each:`, await orchestratorCosts())
