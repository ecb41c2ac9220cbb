import { describe, expect, it } from 'vitest'
import { callMachine } from '../../machines/call.machine.js'
import type { CallEvent } from '../../machines/callTypes.js'
import { TONE_GAP_MS } from '../../machines/toneOrder.js'
import type { CallNotice } from '../../src/domain/CallNotice.js'
import type { IncomingCall } from '../../src/domain/IncomingCall.js'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { toCallView } from '../../src/orchestrator/CallView.js'
import { createCallTimers } from '../../src/runtime/createCallTimers.js'
import { createEffectRunner } from '../../src/runtime/createEffectRunner.js'
import { createEventPublisher } from '../../src/runtime/createEventPublisher.js'
import { createMemoryApplier } from '../../src/runtime/createMemoryApplier.js'
import { createNotificationDispatch } from '../../src/runtime/createNotificationDispatch.js'
import { createSignalBatches } from '../../src/runtime/createSignalBatches.js'
import { createWaiters } from '../../src/runtime/createWaiters.js'
import type { LiveCall } from '../../src/runtime/LiveCall.js'
import type { OrchestratorEvent } from '../../src/runtime/OrchestratorEvent.js'
import { createRuntimeCounters } from '../../src/runtime/RuntimeCounters.js'
import { withCallNews } from '../../src/runtime/withCallNews.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { controlledClock } from '../../src/testing/controlledClock.js'
import { testRegistry } from '../support/testRegistry.js'

// The runtime as createCallOrchestrator wires it (memory store), fed with routed CallNotice events
// at the notification dispatch: what the notification pipeline hands it once it decodes a batch.

const CALL = '11111111-2222-3333-4444-555555555555'
const noGraph = { send: () => () => new Promise(() => undefined), keepAlive: () => () => new Promise(() => undefined), close: async () => undefined } as unknown as GraphClient

const runtime = () => {
  const clock = controlledClock()
  const events = createEventPublisher(silentLogger)
  const heard: OrchestratorEvent[] = []
  events.subscribe((e) => heard.push(e))
  const counters = createRuntimeCounters()
  const waiters = createWaiters(silentLogger, events)
  let apply: (call: LiveCall, event: CallEvent) => void = () => undefined
  const registry = testRegistry(clock, false)
  const effects = withCallNews(
    createEffectRunner({ client: noGraph, logger: silentLogger, events, waiters, signals: createSignalBatches(), counters, now: () => clock.now(), answer: (c, e) => apply(c, e) }),
    events,
  )
  const memory = createMemoryApplier({ registry, events, effects, open: () => true }, (a) => createCallTimers(clock, a))
  apply = memory.apply
  const dispatch = createNotificationDispatch({ store: createMemoryStore(), logger: silentLogger, registry, counters, clock, apply })
  const news = (type?: string) => heard.filter((e) => e.type !== 'transition' && (type === undefined || e.type === type))
  const view = () => {
    const call = registry.get(CALL)
    return call === undefined ? undefined : toCallView(call.callId, call.actor.getSnapshot())
  }
  return { clock, events, heard, news, view, send: (...notices: CallNotice[]) => dispatch(notices.map((event) => ({ callId: CALL, event }))) }
}

const ringing = (answerDeadline: number): IncomingCall => ({
  callId: CALL,
  caller: [{ kind: 'phone', id: '+15550100' }],
  callees: [[{ kind: 'application', id: 'bot-app', displayName: 'Contoso IVR' }]],
  direction: 'incoming',
  incomingContext: { sourceParticipantId: 'p-caller' },
  answerDeadline,
})

describe('call news for bot code', () => {
  it('a call ringing the bot is told once as incoming, waits for its answer, and is moved on when the answer deadline passes', () => {
    const r = runtime()
    const incoming = ringing(r.clock.now() + 15_000)
    r.send({ type: 'call.incoming', incoming })
    r.send({ type: 'call.incoming', incoming })
    expect(r.news()).toEqual([{ type: 'incoming', callId: CALL, incoming }])
    expect(r.view()).toMatchObject({ state: 'incoming.awaitingAnswer', graphState: 'incoming' })
    r.clock.advance(14_999)
    expect(r.view()?.state).toBe('incoming.awaitingAnswer')
    r.clock.advance(1)
    expect(r.view()?.state).toBe('incoming.deadlineMissed')
  })

  it('an established before its establishing moves the call on once and never back; an unknown state is kept and told', () => {
    const r = runtime()
    r.send({ type: 'call.incoming', incoming: ringing(r.clock.now() + 15_000) })
    r.send({ type: 'call.updated', state: 'established' }, { type: 'call.updated', state: 'establishing' }, { type: 'call.updated', state: 'parked' })
    expect(r.view()).toMatchObject({ state: 'established.hold.free', graphState: 'parked' })
    expect(r.news('callState')).toEqual([
      { type: 'callState', callId: CALL, state: 'established', previous: 'incoming', known: true },
      { type: 'callState', callId: CALL, state: 'parked', previous: 'established', known: false },
    ])
  })

  it('tones are told once each and in sequence order when notifications repeat and reorder; a missing one is waited for briefly', () => {
    const r = runtime()
    const tone = (t: string, sequenceId: number): CallNotice => ({ type: 'call.updated', state: 'established', tone: { tone: t, sequenceId } })
    r.send(tone('tone2', 2), tone('tone1', 1), tone('tone1', 1), tone('tone2', 2), tone('tone3', 3), tone('pound', 5))
    expect(r.news('tone').map((e) => e.type === 'tone' && `${e.tone}#${e.sequenceId}`)).toEqual(['tone1#1', 'tone2#2', 'tone3#3'])
    r.clock.advance(TONE_GAP_MS - 1)
    expect(r.news('tone')).toHaveLength(3)
    r.clock.advance(1)
    r.send(tone('tone4', 4), tone('star', 6))
    expect(r.news('tone').map((e) => e.type === 'tone' && `${e.tone}#${e.sequenceId}`)).toEqual(['tone1#1', 'tone2#2', 'tone3#3', 'pound#5', 'star#6'])
  })

  it('participants joined and left are told with their ids and identities, computed from roster changes', () => {
    const r = runtime()
    const alice = { id: 'p-alice', displayName: 'Alice', identity: [{ kind: 'user' as const, id: 'u-alice', displayName: 'Alice' }] }
    r.send({ type: 'roster.updated', participants: [alice] })
    r.send({ type: 'roster.updated', participants: [alice, { id: 'p-bob' }] })
    r.send({ type: 'roster.updated', participants: [{ ...alice, isMuted: true }, { id: 'p-bob' }] })
    r.send({ type: 'roster.removed', participantIds: ['p-alice', 'p-nobody'] })
    expect(r.news().filter((e) => e.type === 'participantJoined' || e.type === 'participantLeft')).toEqual([
      { type: 'participantJoined', callId: CALL, participant: alice },
      { type: 'participantJoined', callId: CALL, participant: { id: 'p-bob' } },
      { type: 'participantLeft', callId: CALL, participantId: 'p-alice', identity: alice.identity, displayName: 'Alice' },
    ])
  })

  it('media state changes and the end of the call with its resultInfo and terminationReason are told once', () => {
    const r = runtime()
    r.send({ type: 'call.updated', state: 'established', detail: { audio: 'active' } }, { type: 'call.updated', state: 'established', detail: { audio: 'active' } })
    r.send({ type: 'call.updated', state: 'established', detail: { audio: 'inactive' } })
    const detail = { resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' }, terminationReason: 'AppTransferred' }
    r.send({ type: 'call.terminated', detail }, { type: 'call.terminated', detail })
    expect(r.news('mediaState')).toEqual([
      { type: 'mediaState', callId: CALL, audio: 'active' },
      { type: 'mediaState', callId: CALL, audio: 'inactive', previous: 'active' },
    ])
    expect(r.news('terminated')).toEqual([{ type: 'terminated', callId: CALL, ...detail }])
    expect(r.view()).toMatchObject({ state: 'terminated', graphState: 'terminated', termination: detail })
  })
})
