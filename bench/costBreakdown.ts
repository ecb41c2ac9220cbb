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
import { startInProcessScenario } from './support/inProcessScenario.js'
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
  const scenario = await startInProcessScenario(CALLS)
  const samples = new Map<string, number[]>()
  const record = (name: string, us: number): void => void samples.set(name, [...(samples.get(name) ?? []), us / CALLS])
  for (let pass = 0; pass < PASSES; pass++) {
    const completions = scenario.completionBodies()
    let t0 = cpu()
    await scenario.complete(completions)
    if (pass >= 2) record('notification: operation completed (settles the caller)', cpu() - t0)
    const rosters = scenario.rosterBodies()
    t0 = cpu()
    await scenario.roster(rosters)
    if (pass >= 2) record('notification: roster updated (2 participants, no entry changed)', cpu() - t0)
    t0 = cpu()
    await scenario.command()
    if (pass >= 2) record('command: startHoldMusic/stopHoldMusic until its answer is applied', cpu() - t0)
  }
  await scenario.close()
  return new Map([...samples].map(([name, xs]) => [name, median(xs)]))
}

const print = (title: string, costs: Map<string, number>): void => {
  process.stdout.write(`${title}\n`)
  for (const [name, us] of costs) process.stdout.write(`  ${us.toFixed(1).padStart(6)} µs  ${name}\n`)
}

print('XState building blocks on a trivial machine, µs CPU each:', xstatePrimitiveCosts())
print(`call machine alone (XState), ${CALLS} calls, µs CPU per event:`, machineCosts())
print(`orchestrator in-process (no HTTP), ${CALLS} open calls, µs CPU each:`, await orchestratorCosts())
