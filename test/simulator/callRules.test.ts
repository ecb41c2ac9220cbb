import * as E from 'fp-ts/lib/Either.js'
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest'
import { createSimulator, holdConflictInfo, notOnHoldInfo, participantGoneInfo } from '../../src/simulator/index.js'
import type { HoldInterval, Simulator, SimulatorFaults } from '../../src/simulator/index.js'
import { completions, postGraph, startCallbackServer } from './callbackServer.js'
import type { CallbackServer } from './callbackServer.js'

let sim: Simulator
let callback: CallbackServer
// A clock the test moves by hand, so hold intervals have exact bounds.
let clock = 1_000

beforeAll(async () => {
  sim = await createSimulator({ seed: 7, now: () => clock })
  callback = await startCallbackServer()
})
afterAll(async () => {
  await sim.close()
  await callback.close()
})
afterEach(() => {
  clock += 1_000
})

const newCall = (options: { group?: boolean; faults?: SimulatorFaults } = {}): string => {
  const call = sim.createCall({ callbackUrl: callback.url, participants: [{ id: 'alice', displayName: 'Alice' }, { id: 'bob' }], ...options })
  if (E.isLeft(call)) throw new Error(call.left.message)
  return call.right.callId
}

/** Runs an action and waits for its completion's resourceData. */
const run = async (callId: string, path: string, clientContext: string): Promise<Record<string, unknown>> => {
  const res = await postGraph(sim.graphUrl, `${callId}/${path}`, { clientContext })
  expect(res.status).toBeLessThan(300)
  const all = await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === clientContext))
  return completions(all).find((c) => c['clientContext'] === clientContext) ?? {}
}

const holdsOf = (callId: string): HoldInterval[] => {
  const h = sim.holds(callId)
  if (E.isLeft(h)) throw new Error(h.left.message)
  return h.right
}

const rosterUpdates = (callId: string): Record<string, unknown>[][] =>
  callback
    .notifications()
    .filter((n) => n['resourceUrl'] === `/communications/calls/${callId}/participants` && n['changeType'] === 'updated')
    .map((n) => (Array.isArray(n['resourceData']) ? (n['resourceData'] as Record<string, unknown>[]) : []))

describe('the single-hold rule is the ground truth', () => {
  test('a second participant cannot be put on hold while another is; intervals are recorded', async () => {
    const callId = newCall()
    clock = 10_000
    expect(await run(callId, 'participants/alice/startHoldMusic', 'hold-a')).toMatchObject({ status: 'completed' })
    clock = 11_000
    const second = await run(callId, 'participants/bob/startHoldMusic', 'hold-b')
    expect(second['status']).toBe('failed')
    expect(second['resultInfo']).toMatchObject(holdConflictInfo)
    expect(holdsOf(callId)).toEqual([{ participantId: 'alice', start: 10_000 }])
    clock = 12_000
    expect(await run(callId, 'participants/alice/stopHoldMusic', 'unhold-a')).toMatchObject({ status: 'completed' })
    clock = 13_000
    expect(await run(callId, 'participants/bob/startHoldMusic', 'hold-b-2')).toMatchObject({ status: 'completed' })
    expect(holdsOf(callId)).toEqual([
      { participantId: 'alice', start: 10_000, end: 12_000 },
      { participantId: 'bob', start: 13_000 },
    ])
  })

  test('a hold shows in the roster as inactive media streams', async () => {
    const callId = newCall()
    await run(callId, 'participants/alice/startHoldMusic', 'hold-roster')
    const roster = await callback.waitFor(() => rosterUpdates(callId).length > 0).then(() => rosterUpdates(callId).at(-1) ?? [])
    const alice = roster.find((p) => p['id'] === 'alice')
    expect(alice?.['mediaStreams']).toEqual([expect.objectContaining({ direction: 'inactive' })])
    expect(roster.find((p) => p['id'] === 'bob')?.['mediaStreams']).toEqual([expect.objectContaining({ direction: 'sendReceive' })])
  })

  test('holds requested at the same time never overlap, whatever order they complete in', async () => {
    const real = await createSimulator({ seed: 99, faults: { notificationLatencyMs: [0, 15] } })
    try {
      const created = real.createCall({ callbackUrl: callback.url, participants: [{ id: 'a' }, { id: 'b' }, { id: 'c' }] })
      if (E.isLeft(created)) throw new Error(created.left.message)
      const callId = created.right.callId
      for (let round = 0; round < 15; round++) {
        const answers = await Promise.all(
          ['a', 'b', 'c'].map((p) => postGraph(real.graphUrl, `${callId}/participants/${p}/startHoldMusic`, { clientContext: `r${round}-${p}` })),
        )
        expect(answers.map((a) => a.status)).toEqual([202, 202, 202])
        const all = await callback.waitFor((ns) => ['a', 'b', 'c'].every((p) => completions(ns).some((c) => c['clientContext'] === `r${round}-${p}`)))
        const outcomes = ['a', 'b', 'c'].map((p) => completions(all).find((c) => c['clientContext'] === `r${round}-${p}`)?.['status'])
        expect(outcomes.filter((s) => s === 'completed')).toHaveLength(1)
        const held = ['a', 'b', 'c'][outcomes.indexOf('completed')] ?? ''
        await postGraph(real.graphUrl, `${callId}/participants/${held}/stopHoldMusic`, { clientContext: `stop-${round}` })
        await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === `stop-${round}`))
      }
      const holds = real.holds(callId)
      const intervals = E.isRight(holds) ? holds.right : []
      expect(intervals).toHaveLength(15)
      for (let i = 1; i < intervals.length; i++) {
        const previous = intervals[i - 1]
        expect(previous?.end).toBeDefined()
        expect(previous?.end ?? Infinity).toBeLessThanOrEqual(intervals[i]?.start ?? -Infinity)
      }
    } finally {
      await real.close()
    }
  })

  test('stopHoldMusic for a participant not on hold fails with a resultInfo', async () => {
    const callId = newCall()
    const stop = await run(callId, 'participants/bob/stopHoldMusic', 'stop-not-held')
    expect(stop['status']).toBe('failed')
    expect(stop['resultInfo']).toMatchObject(notOnHoldInfo)
    expect(holdsOf(callId)).toEqual([])
  })

  test('a participant who leaves ends their hold, and their pending operations fail', async () => {
    const callId = newCall()
    clock = 20_000
    await run(callId, 'participants/alice/startHoldMusic', 'hold-then-leave')
    clock = 21_000
    const left = await sim.leave(callId, 'alice')
    expect(E.isRight(left)).toBe(true)
    expect(holdsOf(callId)).toEqual([{ participantId: 'alice', start: 20_000, end: 21_000 }])
    const deleted = callback.notifications().find((n) => n['changeType'] === 'deleted' && n['resourceUrl'] === `/communications/calls/${callId}/participants`)
    expect(deleted?.['resourceData']).toEqual([expect.objectContaining({ id: 'alice' })])
    // bob's hold is still pending (latency) when bob leaves: it fails once its time comes.
    sim.setFaults({ notificationLatencyMs: [50, 50] }, callId)
    await postGraph(sim.graphUrl, `${callId}/participants/bob/startHoldMusic`, { clientContext: 'bob-pending' })
    await sim.leave(callId, 'bob')
    const all = await callback.waitFor((ns) => completions(ns).some((c) => c['clientContext'] === 'bob-pending'))
    expect(completions(all).find((c) => c['clientContext'] === 'bob-pending')).toMatchObject({ status: 'failed', resultInfo: participantGoneInfo })
    expect((await postGraph(sim.graphUrl, `${callId}/participants/bob/stopHoldMusic`, {})).status).toBe(404)
  })
})

describe('mute state and roster', () => {
  test('unmute and mute change the bot mute state and post the roster with isMuted', async () => {
    const callId = newCall()
    const view = sim.call(callId)
    const botId = E.isRight(view) ? view.right.botParticipantId : ''
    expect(E.isRight(view) && view.right.botMuted).toBe(true)
    const unmute = await postGraph(sim.graphUrl, `${callId}/unmute`, { clientContext: 'unmute-1' })
    expect(unmute.status).toBe(200)
    expect(unmute.body['status']).toBe('completed')
    await callback.waitFor(() => rosterUpdates(callId).some((r) => r.some((p) => p['id'] === botId && p['isMuted'] === false)))
    const after = sim.call(callId)
    expect(E.isRight(after) && after.right.botMuted).toBe(false)
    await postGraph(sim.graphUrl, `${callId}/mute`, {})
    await callback.waitFor(() => (rosterUpdates(callId).at(-1) ?? []).some((p) => p['id'] === botId && p['isMuted'] === true))
  })

  test('muting a participant marks them muted in the roster', async () => {
    const callId = newCall()
    expect((await postGraph(sim.graphUrl, `${callId}/participants/bob/mute`, {})).status).toBe(200)
    await callback.waitFor(() => (rosterUpdates(callId).at(-1) ?? []).some((p) => p['id'] === 'bob' && p['isMuted'] === true))
  })

  test('a participant who joins shows in the next roster update', async () => {
    const callId = newCall()
    const joined = await sim.join(callId, { id: 'carol', displayName: 'Carol' })
    expect(joined).toEqual(E.right({ id: 'carol', displayName: 'Carol', isMuted: false, onHold: false }))
    expect(rosterUpdates(callId).at(-1)?.map((p) => p['id'])).toContain('carol')
    expect(E.isLeft(await sim.join(callId, { id: 'carol' }))).toBe(true)
  })
})

describe('hanging up', () => {
  test('posts the call as terminated, ends open holds and abandons pending operations', async () => {
    const callId = newCall()
    clock = 30_000
    await run(callId, 'participants/alice/startHoldMusic', 'hold-before-hangup')
    sim.setFaults({ notificationLatencyMs: [60_000, 60_000] }, callId)
    await postGraph(sim.graphUrl, `${callId}/playPrompt`, { prompts: [{ mediaInfo: { uri: 'https://x/a.wav' } }], clientContext: 'never-completes' })
    sim.setFaults({ notificationLatencyMs: [0, 0] }, callId)
    clock = 31_000
    const ended = await sim.hangUp(callId)
    expect(E.isRight(ended) && ended.right.state).toBe('terminated')
    const terminated = callback.notifications().find((n) => n['resourceUrl'] === `/communications/calls/${callId}` && n['changeType'] === 'deleted')
    expect(terminated?.['resourceData']).toMatchObject({ '@odata.type': '#microsoft.graph.call', id: callId, state: 'terminated' })
    expect(holdsOf(callId)).toEqual([{ participantId: 'alice', start: 30_000, end: 31_000 }])
    expect(E.isRight(ended) && ended.right.pendingOperations).toEqual([])
    expect(completions(callback.notifications()).some((c) => c['clientContext'] === 'never-completes')).toBe(false)
    expect(E.isLeft(await sim.hangUp(callId))).toBe(true)
  })
})
