import { describe, expect, it } from 'vitest'
import type { AnyMachineSnapshot } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import type { CallNews } from '../../machines/callNews.js'
import type { CallActionRequested, CallContext, CallEmitted, CallEvent, CallInput } from '../../machines/callTypes.js'
import { accepted, completed, failed, hold, httpError, notified, rejected, request, running, stateOf, unhold } from './callHarness.js'
import { checkCallStep, type OpenRequests } from './callInvariants.js'
import { coverageReport, recordCoverage, replay, type GeneratedPaths } from './coverage.js'
import { exploreLive } from './exploreLive.js'
import { compileMachineStep } from '../../machines/machineStep.js'
import { inspectorMarks } from '../../machines/callSetup.js'
import { expectSameSteps } from './stepAgreement.js'

// The call machine runs its operations' lifecycles itself (operationMachine's transitions, stepped
// in its context: machines/operationStep.ts): the model offers only what the runtime sends
// (requests, HTTP answers, notifications, deadlines, cancels, the call's own news), and each
// operation.ended or operation.late the call hears is what that lifecycle reports in answer. Path
// generation runs live actors (see exploreLive), as in production.

const DEADLINE = 1_000

/** What Graph and the runtime could tell each operation next, given where its lifecycle is. */
const answersFor = (snapshot: AnyMachineSnapshot): CallEvent[] => {
  const c = snapshot.context as CallContext
  return Object.keys(c.inFlight).flatMap((clientContext): CallEvent[] => {
    const f = c.inFlight[clientContext]
    const state = f === undefined ? undefined : stateOf(f.op.value)
    switch (state) {
      case 'requested':
        // Success, and a definite failure; failures that prove nothing come from the deadline.
        return [accepted(clientContext, completed()), rejected(clientContext, httpError(404))]
      case 'failed.timedOut':
        // The late outcome: Graph's notification after the deadline.
        return [notified(completed(clientContext)), notified(failed(clientContext))]
      default:
        return []
    }
  })
}

interface Scenario {
  readonly name: string
  readonly input: CallInput
  /** Requests the bot may make; offered while fewer than `busy` requests are open. */
  readonly requests: readonly CallEvent[]
  readonly busy: number
  /** Other external events, always offered. */
  readonly others: readonly CallEvent[]
}

const d = { deadline: DEADLINE }
const deadline: CallEvent = { type: 'deadline.reached', now: 2 * DEADLINE }

// The full alphabet at once has too many states to explore quickly (about 100 µs per pure
// transition), so the machine is explored in focused scenarios; coverage is their union.
const scenarios: Scenario[] = [
  {
    name: 'reject policy: one participant held, released, retried, leaving',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'group' },
    requests: [hold('hA1', 'A', d), hold('hA2', 'A', d), hold('hB', 'B', d), unhold('tA1', 'A', d), unhold('tA2', 'A', d)],
    busy: 2,
    others: [deadline, { type: 'roster.removed', participantIds: ['A'] }],
  },
  {
    // Issue 14, finding 2: several attempts for one participant, each ending in its own time.
    name: 'repeated attempts: a retry after a timeout, a release while holding, late outcomes of each',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'group' },
    requests: [hold('hA1', 'A', d), hold('hA2', 'A', d), unhold('tA1', 'A', d), unhold('tA2', 'A', d)],
    busy: 3,
    // Late outcomes come from the operations' own lifecycles, so their deadlines must be able to pass.
    others: [deadline],
  },
  {
    name: 'queue policy: waiting holds, deadlines, cancels, leaving',
    input: { callId: 'call-1', holdPolicy: 'queue', kind: 'group' },
    requests: [hold('hA', 'A', d), hold('hB', 'B', d), unhold('tA', 'A', d)],
    busy: 2,
    others: [deadline, { type: 'operation.cancel', clientContext: 'hB' }, { type: 'roster.removed', participantIds: ['B'] }],
  },
  {
    name: 'swap policy: release A then hold B, or fail both',
    input: { callId: 'call-1', holdPolicy: 'swap', kind: 'group' },
    requests: [hold('hA', 'A', d), hold('hB', 'B', { ...d, swapClientContext: 'swB' }), unhold('tA', 'A', d), unhold('tB', 'B', d)],
    busy: 2,
    others: [deadline],
  },
  {
    name: 'the bot mute state, answers, notifications and the end of the call',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'unknown' },
    requests: [request('u1', 'unmute', undefined, d), request('u2', 'unmute', undefined, d), hold('hA', 'A', d)],
    busy: 2,
    others: [
      accepted('u1', running),
      rejected('u1', httpError(503)),
      notified({ status: 'completed', clientContext: 'u1' }),
      notified({ status: 'completed', id: 'unknown-op' }),
      deadline,
      { type: 'operation.cancel', clientContext: 'u1' },
      { type: 'roster.updated', participants: [{ id: 'A', displayName: 'Alice' }] },
      { type: 'roster.removed', participantIds: ['A'] },
      { type: 'call.updated', kind: 'peerToPeer' },
      { type: 'call.registered', kind: 'group', holdPolicy: 'queue' },
      { type: 'call.terminated' },
    ],
  },
]

const said = (state: string, extra: Partial<Extract<CallEvent, { type: 'call.updated' }>> = {}): CallEvent => ({ type: 'call.updated', state, ...extra })
const ringing = { callId: 'call-1', caller: [{ kind: 'phone' as const, id: '+15550100' }], callees: [[{ kind: 'application' as const, id: 'bot' }]], answerDeadline: DEADLINE }
const lifecycleEvents: readonly CallEvent[] = [
  ...['establishing', 'established', 'transferring', 'transferaccepted', 'redirecting', 'terminating', 'terminated', 'parked'].map((s) => said(s)),
  said('established', { detail: { audio: 'inactive', resultInfo: { code: 500, subcode: 7000 } } }),
  said('established', { tone: { tone: 'tone2', sequenceId: 2 }, receivedAt: 0 }),
  said('established', { tone: { tone: 'tone1', sequenceId: 1 }, receivedAt: 0 }),
  { type: 'call.incoming', incoming: ringing },
  { type: 'call.terminated', detail: { resultInfo: { code: 200, subcode: 5001 } } },
  deadline,
]
// The lifecycle: Graph's states in every order (established before establishing too), a state
// callops does not know, the answer deadline, and operations under way while the call moves on.
scenarios.push(
  {
    name: 'lifecycle: a call ringing the bot, answered or not, transferred, redirected, ended',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'group', incoming: ringing },
    requests: [hold('hA', 'A', d)],
    busy: 1,
    others: lifecycleEvents,
  },
  {
    name: 'lifecycle: operations under way while an established call is transferred or ends',
    input: { callId: 'call-1', holdPolicy: 'queue', kind: 'group' },
    requests: [hold('hA', 'A', d), hold('hB', 'B', d), unhold('tA', 'A', d)],
    busy: 2,
    others: [said('transferring'), said('established'), said('transferaccepted'), said('terminating'), { type: 'call.terminated' }, { type: 'roster.removed', participantIds: ['A'] }],
  },
)

// The bot's call actions: each offered while not pending, answered by Graph (2xx, a 404 for the
// hang-up, a refusal), and settled by the states Graph then tells.
const act = (clientContext: string, action: CallActionRequested['action'], extra: Partial<CallActionRequested> = {}): CallActionRequested => ({
  type: 'callAction.requested',
  clientContext,
  action,
  deadline: DEADLINE,
  requestedAt: 0,
  ...extra,
})
const actionAnswers = (keys: readonly string[]): CallEvent[] =>
  keys.flatMap((clientContext): CallEvent[] => [
    { type: 'callAction.accepted', clientContext, status: 202 },
    { type: 'callAction.rejected', clientContext, error: httpError(403) },
  ])
scenarios.push(
  {
    name: 'call actions of a call ringing the bot: answer (on time or late), reject, redirect, hang-up',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'group', incoming: ringing },
    requests: [act('a1', 'answer'), act('a2', 'answer', { requestedAt: DEADLINE }), act('r1', 'reject'), act('d1', 'redirect'), act('h1', 'hangUp')],
    busy: 2,
    others: [
      ...actionAnswers(['a1', 'r1', 'h1']),
      { type: 'callAction.accepted', clientContext: 'h1', status: 404, alreadyEnded: true },
      said('establishing'),
      said('established'),
      said('terminating'),
      said('terminated', { detail: { resultInfo: { code: 408, subcode: 1106 } } }),
      deadline,
    ],
  },
  {
    name: 'a call the bot created: followed from establishing, established or ended',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'group', outgoing: true },
    requests: [act('c1', 'createCall', { sent: true }), act('h1', 'hangUp')],
    busy: 2,
    others: [said('established'), said('terminating'), said('terminated', { detail: { resultInfo: { code: 480, subcode: 10_004 } } }), deadline],
  },
  {
    name: 'call actions of an established call: transfer (accepted or failing), hang-up, removing a participant',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'peerToPeer' },
    requests: [act('t1', 'transfer'), act('t2', 'transfer', { transferee: true }), act('h1', 'hangUp'), act('x1', 'removeParticipant', { participantId: 'A' }), act('x2', 'removeParticipant', { participantId: 'A' })],
    busy: 2,
    others: [
      ...actionAnswers(['t1', 'h1', 'x1']),
      { type: 'callAction.accepted', clientContext: 'h1', status: 404, alreadyEnded: true },
      { type: 'roster.updated', participants: [{ id: 'A', displayName: 'Alice' }] },
      said('transferring'),
      said('established', { detail: { resultInfo: { code: 500, subcode: 7000 } } }),
      said('transferaccepted'),
      said('terminating'),
      said('terminated'),
      deadline,
    ],
  },
)

// What bot code hears along a path: the ringing and the end once each, tones in strictly rising
// order, and no callState twice in a row.
const checkNews = (told: readonly CallNews[]): void => {
  expect(told.filter((n) => n.type === 'incoming').length).toBeLessThanOrEqual(1)
  expect(told.filter((n) => n.type === 'terminated').length).toBeLessThanOrEqual(1)
  const seqs = told.flatMap((n) => (n.type === 'tone' && n.sequenceId !== undefined ? [n.sequenceId] : []))
  for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1] ?? 0)
  const states = told.flatMap((n) => (n.type === 'callState' ? [n.state] : []))
  for (let i = 1; i < states.length; i++) expect(states[i]).not.toBe(states[i - 1])
}

const pendingActions = (c: CallContext): readonly string[] => Object.keys(c.callActions ?? {})
const openCount = (c: CallContext) => Object.keys(c.inFlight).length + c.queue.length + Object.values(c.joiners).flat().length + pendingActions(c).length

// A call action is offered only while its clientContext is free (the runtime never reuses one in use).
const offered = (c: CallContext, e: CallEvent): boolean => e.type !== 'callAction.requested' || !pendingActions(c).includes(e.clientContext)

const eventsOf = (s: Scenario) => (snapshot: AnyMachineSnapshot): CallEvent[] => {
  const c = snapshot.context as CallContext
  return [...(openCount(c) < s.busy ? s.requests.filter((e) => offered(c, e)) : []), ...s.others, ...answersFor(snapshot)]
}

// The roster, orphans and mute state do not steer any transition: leaving them out keeps the state
// space small. The operations' states and contexts do (in inFlight): an operation answers according to them.
const serializeState = (snapshot: AnyMachineSnapshot): string => {
  const { roster: _roster, orphans: _orphans, botMuted: _muted, graphState: _state, audio: _audio, tones: _tones, termination: _end, transferFailure: _failure, inFlight, ...rest } =
    snapshot.context as CallContext
  const operations = Object.keys(inFlight)
    .sort()
    .map((k) => [k, inFlight[k]])
  return JSON.stringify([snapshot.value, rest, operations])
}

// Every call action is settled exactly once, and the request leaves only when Graph was asked to do it.
const checkCallActions = (event: CallEvent, emitted: readonly CallEmitted[], open: Set<string>): void => {
  if (event.type === 'callAction.requested') open.add(event.clientContext)
  for (const e of emitted) {
    if (e.type !== 'callAction.settled') continue
    expect(open.has(e.clientContext), `${e.clientContext} settled twice or never requested`).toBe(true)
    open.delete(e.clientContext)
  }
  for (const e of emitted) if (e.type === 'effect.callAction') expect(event.type).toBe('callAction.requested')
}

describe('call machine, model-based', () => {
  const coverage = recordCoverage()
  const generated: { scenario: Scenario; paths: GeneratedPaths<CallEvent> }[] = []

  it('generates paths from external events only for every scenario', () => {
    for (const scenario of scenarios) {
      const paths = exploreLive<CallEvent>(callMachine, { input: scenario.input, events: eventsOf(scenario), serializeState })
      generated.push({ scenario, paths })
      expect(paths.reachableStates).toBeGreaterThan(1)
      expect(paths.transitionPaths.length).toBeGreaterThan(1)
    }
    // About 3,000 states in all; a loaded machine needs more than the default 20 s.
  }, 120_000)

  it('every generated path replays on a live actor with the same states, and the contract holds after every step', () => {
    let steps = 0
    for (const { scenario, paths } of generated) {
      for (const path of [...paths.statePaths, ...paths.transitionPaths]) {
        const open: OpenRequests = new Set()
        const told: CallNews[] = []
        const actions = new Set<string>()
        replay(callMachine, scenario.input, path, coverage, ({ event, before, after, expected, emitted }) => {
          steps++
          // Only the operations' lifecycles tell their call how they ended.
          expect(event.type).not.toMatch(/^operation\.(ended|late)$/)
          expect(serializeState(after)).toBe(serializeState(expected))
          checkCallStep(event, before, after, emitted, open)
          checkCallActions(event, emitted as readonly CallEmitted[], actions)
          for (const e of emitted as readonly CallEmitted[]) if (e.type === 'call.news') told.push(e.news)
        })
        checkNews(told)
      }
    }
    expect(steps).toBeGreaterThan(0)
  })

  it('on every generated path the compiled stepper the runtime uses agrees with XState after every step, and declines none', () => {
    const step = compileMachineStep<AnyMachineSnapshot, CallEvent, unknown>(callMachine, inspectorMarks)
    let steps = 0
    let declined = 0
    for (const { scenario, paths } of generated) {
      for (const path of [...paths.statePaths, ...paths.transitionPaths]) {
        declined += expectSameSteps(callMachine, step, scenario.input, path.events)
        steps += path.events.length
      }
    }
    expect(steps).toBeGreaterThan(1000)
    expect(declined).toBe(0)
  })

  it('the generated paths cover 100% of the states and transitions of the call machine', () => {
    const report = coverageReport(callMachine, coverage)
    const figures = generated.map(({ scenario, paths }) => `${scenario.name}: ${paths.reachableStates} states, ${paths.edges} edges, ${paths.statePaths.length + paths.transitionPaths.length} paths`)
    console.log(
      [
        `call machine coverage: states ${report.states.covered}/${report.states.total}, transitions ${report.transitions.covered}/${report.transitions.total}`,
        ...figures.map((f) => `  ${f}`),
      ].join('\n'),
    )
    expect(report.states.missing).toEqual([])
    expect(report.transitions.missing).toEqual([])
  })
})
