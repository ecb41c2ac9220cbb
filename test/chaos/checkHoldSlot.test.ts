import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import { createPrng } from '../../src/simulator/createPrng.js'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'
import { newChaosRun, type ChaosRun } from './ChaosRun.js'
import { drawTimeouts } from './chaosSettings.js'
import { checkHoldSlot, noteUnheard } from './checkHoldSlot.js'
import { leaveReachedBot, noteRosterArrival } from './leavesHeard.js'
import { teeArrivals } from './teeArrivals.js'

// Chaos seed 31337 (full run), call 833: the held participant left while the bot's stopHoldMusic
// for them was on its way; the simulator ended the hold, its `deleted` roster notification was
// dropped, and Graph refused the stop 404 (the participant was gone). callops kept the slot `held`,
// as it must: a refused stop was not carried out, and only a roster tells who left. The check
// counted the call stuck, as if every outcome had reached callops.

describe('checkHoldSlot: a held participant who left', () => {
  let sim: Simulator
  let server: http.Server
  let orchestrator: CallOrchestrator
  let run: ChaosRun
  let callId: string
  let participantIds: string[]
  let held: string

  beforeEach(async () => {
    sim = await createSimulator({ seed: 31_337 })
    const timeouts = drawTimeouts(createPrng(1))
    orchestrator = createCallOrchestrator({ graph: { baseUrl: sim.graphUrl, getToken: async () => 'token' }, notificationAuth: false, keepAlive: false, timeouts })
    const rostersHeard: ChaosRun['rostersHeard'] = new Map()
    const unheard: ChaosRun['unheard'] = new Map()
    orchestrator.subscribe((e) => noteUnheard(unheard, e))
    server = http.createServer(teeArrivals(orchestrator.webhook, { tone: () => undefined, roster: (id, arrival) => noteRosterArrival(rostersHeard, id, arrival) }))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`
    run = newChaosRun({ sim, orchestrator, callbackUrl, timeouts, faults: {}, callActionTimeouts: { answer: 5_000, reject: 5_000, redirect: 5_000, transfer: 6_000, hangUp: 5_000, removeParticipant: 5_000, createCall: 6_000 }, unheard, rostersHeard })
    const created = sim.createCall({ callbackUrl, group: true, participants: [{}, {}, {}] })
    if (E.isLeft(created)) throw new Error(created.left.message)
    callId = created.right.callId
    participantIds = created.right.participants.map((p) => p.id)
    held = participantIds[2] ?? ''
    orchestrator.registerCall({ callId, kind: 'group', holdPolicy: 'swap' })
    expect(E.isRight(await orchestrator.startHoldMusic({ callId, participantId: held, clientContext: 'hold' }))).toBe(true)
    await sim.idle()
  })

  afterEach(async () => {
    await orchestrator.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await sim.close()
  })

  /** The participant leaves; `dropped`: the roster notification saying so never leaves the simulator. */
  const leave = async (dropped: boolean): Promise<void> => {
    if (dropped) sim.setFaults({ dropRate: 1 }, callId)
    const leaving = sim.leave(callId, held)
    sim.setFaults({ dropRate: 0 }, callId)
    expect(E.isRight(await leaving)).toBe(true)
    await sim.idle()
  }

  it('is no stuck slot when the notification of the leave was lost: callops could not know, and the stop Graph refused 404 proves nothing', async () => {
    await leave(true)
    const stop = await orchestrator.stopHoldMusic({ callId, participantId: held, clientContext: 'stop' })
    expect(E.isLeft(stop) && stop.left._tag === 'Http' && stop.left.status).toBe(404)
    expect(orchestrator.getCall(callId)?.hold).toEqual({ participantId: held, phase: 'held' })
    expect(leaveReachedBot(run.rostersHeard, callId, held)).toBe(false)

    await checkHoldSlot(run, { callId }, 0, participantIds)

    expect(run.violations).toEqual([])
    expect(run.stuckSlots).toBe(0)
    expect(run.slotsWithoutHold).toBe(1)
    // The bot cannot get out (its stop is refused 404, its hold answered from the slot): the known limit.
    expect(run.keptAfterLostOutcome).toBe(1)
  })

  it('never sees a slot nobody holds when the leave reached callops: the slot was freed', async () => {
    await leave(false)
    expect(leaveReachedBot(run.rostersHeard, callId, held)).toBe(true)
    await checkHoldSlot(run, { callId }, 0, participantIds)
    // A slot kept after that would be stuck: callops was told.
    expect(run.violations).toEqual([])
    expect(run.slotsWithoutHold).toBe(0)
    expect(orchestrator.getCall(callId)?.hold).toBeUndefined()
  })

  it('counts a whole roster without the participant as the leave heard, and callops frees the slot from it', async () => {
    await leave(true)
    // A mute changes the bot's entry: the simulator sends the whole roster, the one who left missing.
    expect(E.isRight(await orchestrator.mute({ callId, clientContext: 'mute' }))).toBe(true)
    await sim.idle()
    expect(leaveReachedBot(run.rostersHeard, callId, held)).toBe(true)
    expect(orchestrator.getCall(callId)?.hold).toBeUndefined()
  })
})
