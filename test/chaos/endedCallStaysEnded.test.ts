import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/orchestrator/createCallOrchestrator.js'
import type { OrchestratorEvent } from '../../src/runtime/OrchestratorEvent.js'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'
import { controlledClock, type ControlledClock } from '../support/controlledClock.js'
import { batch, rosterUpdated } from '../support/notifications.js'

// Chaos seed 20250101 (full run) found it: a script kept commanding a call it had hung up; once the
// ended call had left memory, each command sent a request to Graph and tracked the call again.

const RETENTION_MS = 60_000

const until = async (predicate: () => boolean, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 2))
  }
}

describe('a call that ended and left memory stays ended', () => {
  let sim: Simulator
  let server: http.Server
  let clock: ControlledClock
  let orchestrator: CallOrchestrator
  let callId: string
  let participantId: string

  beforeEach(async () => {
    sim = await createSimulator({ seed: 1 })
    clock = controlledClock(Date.now())
    orchestrator = createCallOrchestrator({
      graph: { baseUrl: sim.graphUrl, getToken: async () => 'token' },
      notificationAuth: false,
      clock,
      keepAlive: false,
      endedCallRetentionMs: RETENTION_MS,
    })
    server = http.createServer(orchestrator.webhook)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const created = sim.createCall({ callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`, participants: [{}, {}] })
    if (E.isLeft(created)) throw new Error(created.left.message)
    callId = created.right.callId
    participantId = created.right.participants[0]?.id ?? ''
    orchestrator.registerCall({ callId, kind: 'group' })
    expect(E.isRight(await orchestrator.startHoldMusic({ callId, participantId }))).toBe(true)
    await sim.hangUp(callId)
    await until(() => orchestrator.getCall(callId)?.state === 'terminated')
    clock.advance(RETENTION_MS)
    expect(orchestrator.getCall(callId)).toBeUndefined()
  })

  afterEach(async () => {
    await orchestrator.close()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
    await sim.close()
  })

  it('answers a later command CallEnded without sending anything to Graph or tracking the call again', async () => {
    const sent = sim.requests().length
    const result = await orchestrator.unmute({ callId })
    expect(E.isLeft(result) && result.left._tag).toBe('CallEnded')
    expect(sim.requests().length).toBe(sent)
    expect(orchestrator.stats().calls).toBe(0)
  })

  it('does not track it again for a late roster notification', async () => {
    const answer = await orchestrator.handleNotification(batch(rosterUpdated(callId, [{ id: participantId }])), {})
    expect(answer.status).toBeLessThan(300)
    expect(orchestrator.getCall(callId)).toBeUndefined()
    expect(orchestrator.stats().calls).toBe(0)
  })

  it('refuses to register it again', () => {
    const registered = orchestrator.registerCall({ callId, kind: 'group' })
    expect(E.isLeft(registered) && registered.left._tag).toBe('CallEnded')
    expect(orchestrator.stats().calls).toBe(0)
  })
})

// Chaos seed 133074 (full run) found it: a request retried after a 429 was answered once its call had
// ended and left memory; the answer was still sent to the call's stopped actor.
describe('an HTTP answer that arrives after its call left memory', () => {
  it('changes nothing: no transition is published and nothing is sent to the stopped actor', async () => {
    const sim = await createSimulator({ seed: 2 })
    const clock = controlledClock(Date.now())
    const orchestrator = createCallOrchestrator({
      graph: { baseUrl: sim.graphUrl, getToken: async () => 'token' },
      notificationAuth: false,
      clock,
      keepAlive: false,
      endedCallRetentionMs: RETENTION_MS,
    })
    const server = http.createServer(orchestrator.webhook)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    try {
      const created = sim.createCall({
        callbackUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cb`,
        participants: [{}],
        // The answer is written 300 ms after the request arrives: the call ends meanwhile.
        faults: { answerLatencyMs: [300, 300] },
      })
      if (E.isLeft(created)) throw new Error(created.left.message)
      const { callId } = created.right
      orchestrator.registerCall({ callId, kind: 'group' })
      const events: OrchestratorEvent[] = []
      orchestrator.subscribe((e) => events.push(e))
      const unmuting = orchestrator.unmute({ callId, clientContext: 'late-answer' })
      await until(() => events.some((e) => e.type === 'request'))
      await sim.hangUp(callId)
      const result = await unmuting
      expect(E.isLeft(result) && result.left._tag).toBe('CallEnded')
      clock.advance(RETENTION_MS)
      expect(orchestrator.getCall(callId)).toBeUndefined()
      const seen = events.length
      await until(() => events.some((e) => e.type === 'answer'))
      expect(events.slice(seen).map((e) => e.type)).toEqual(['answer'])
      expect(warn.mock.calls.filter((c) => String(c[0]).includes('stopped actor'))).toEqual([])
    } finally {
      warn.mockRestore()
      await orchestrator.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await sim.close()
    }
  })
})
