import { describe, expect, it } from 'vitest'
import type { AnyMachineSnapshot } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import type { CallContext, CallEvent, CallInput } from '../../machines/callTypes.js'
import { operationMachine, type OperationResult } from '../../machines/operation.machine.js'
import { accepted, hold, httpError, notified, rejected, request, running, stateOf, unhold } from './callHarness.js'
import { checkCallStep, type OpenRequests } from './callInvariants.js'
import { coverageReport, generatePaths, recordCoverage, replay, transitionIds, type GeneratedPaths } from './coverage.js'

// The operations' own logic is covered by operation.model.test.ts. Here the children are silent,
// so what they would tell their call (operation.ended, operation.late) comes as external events:
// they are ordinary events of the call machine, which lets path generation reach every state.
const silentOperation = operationMachine.provide({ actions: { reportEnd: () => {}, reportLateOutcome: () => {} } })
const modelMachine = callMachine.provide({ actors: { operation: silentOperation } })

const DEADLINE = 1_000

/** What a child could report next, given what is in flight: the model's "children". */
const childEvents = (c: CallContext): CallEvent[] =>
  Object.entries(c.inFlight).flatMap(([clientContext, f]): CallEvent[] => {
    const operation = { clientContext, action: f.action, callId: c.callId, ...(f.participantId === undefined ? {} : { participantId: f.participantId }) }
    if (f.timedOut === true) {
      return [
        { type: 'operation.late', clientContext, operation: { ...operation, status: 'completed' }, succeeded: true },
        { type: 'operation.late', clientContext, operation: { ...operation, status: 'failed', resultInfo: { code: 500 } }, succeeded: false },
      ]
    }
    const failedOp = { ...operation, status: 'failed' as const }
    const results: OperationResult[] = [
      { ok: true, operation: { ...operation, status: 'completed' } },
      { ok: false, operation: failedOp, error: { _tag: 'Timeout', clientContext, deadline: DEADLINE, message: 'timed out' } },
    ]
    // A definite failure too (other failures that prove nothing act as the timeout does, but without a late outcome).
    if (f.action === 'startHoldMusic' || f.action === 'stopHoldMusic') results.push({ ok: false, operation: failedOp, error: httpError(404) })
    return results.map((result) => ({ type: 'operation.ended', clientContext, result }))
  })

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

// The full alphabet at once has too many states to explore quickly (about 100 µs per pure
// transition), so the machine is explored in focused scenarios; coverage is their union.
const scenarios: readonly Scenario[] = [
  {
    name: 'reject policy: one participant held, released, retried, leaving',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'group' },
    requests: [hold('hA1', 'A', d), hold('hA2', 'A', d), hold('hB', 'B', d), unhold('tA1', 'A', d), unhold('tA2', 'A', d)],
    busy: 2,
    others: [{ type: 'roster.removed', participantIds: ['A'] }],
  },
  {
    // Issue 14, finding 2: several attempts for one participant, each ending in its own time.
    name: 'repeated attempts: a retry after a timeout, a release while holding, late outcomes of each',
    input: { callId: 'call-1', holdPolicy: 'reject', kind: 'group' },
    requests: [hold('hA1', 'A', d), hold('hA2', 'A', d), unhold('tA1', 'A', d), unhold('tA2', 'A', d)],
    busy: 3,
    others: [],
  },
  {
    name: 'queue policy: waiting holds, deadlines, cancels, leaving',
    input: { callId: 'call-1', holdPolicy: 'queue', kind: 'group' },
    requests: [hold('hA', 'A', d), hold('hB', 'B', d), unhold('tA', 'A', d)],
    busy: 2,
    others: [{ type: 'deadline.reached', now: 2 * DEADLINE }, { type: 'operation.cancel', clientContext: 'hB' }, { type: 'roster.removed', participantIds: ['B'] }],
  },
  {
    name: 'swap policy: release A then hold B, or fail both',
    input: { callId: 'call-1', holdPolicy: 'swap', kind: 'group' },
    requests: [hold('hA', 'A', d), hold('hB', 'B', { ...d, swapClientContext: 'swB' }), unhold('tA', 'A', d), unhold('tB', 'B', d)],
    busy: 2,
    others: [],
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
      { type: 'deadline.reached', now: 2 * DEADLINE },
      { type: 'operation.cancel', clientContext: 'u1' },
      { type: 'roster.updated', participants: [{ id: 'A', displayName: 'Alice' }] },
      { type: 'roster.removed', participantIds: ['A'] },
      { type: 'call.updated', kind: 'peerToPeer' },
      { type: 'call.terminated' },
    ],
  },
]

const openCount = (c: CallContext) => Object.keys(c.inFlight).length + c.queue.length + Object.values(c.joiners).flat().length

const eventsOf = (s: Scenario) => (snapshot: AnyMachineSnapshot): CallEvent[] => {
  const c = snapshot.context as CallContext
  return [...(openCount(c) < s.busy ? s.requests : []), ...s.others, ...childEvents(c)]
}

// The roster, orphans and mute state do not steer any transition: leaving them out keeps the state space small.
const serializeState = (snapshot: AnyMachineSnapshot): string => {
  const { roster: _roster, orphans: _orphans, botMuted: _muted, ...rest } = snapshot.context as CallContext
  return JSON.stringify([snapshot.value, rest])
}

describe('call machine, model-based', () => {
  const coverage = recordCoverage()
  const generated: { scenario: Scenario; paths: GeneratedPaths<CallEvent> }[] = []

  it('generates paths from external events only for every scenario', () => {
    for (const scenario of scenarios) {
      const paths = generatePaths(modelMachine, { input: scenario.input, events: eventsOf(scenario), serializeState })
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
        replay(modelMachine, scenario.input, path, coverage, ({ event, before, after, expected, emitted }) => {
          steps++
          expect(serializeState(after)).toBe(serializeState(expected))
          checkCallStep(event, before, after, emitted, open)
        })
      }
    }
    expect(steps).toBeGreaterThan(0)
  })

  it('the generated paths cover 100% of the states and transitions of the call machine', () => {
    // The model machine only swaps the children's implementation: same states, same transitions.
    expect([...transitionIds(modelMachine).values()]).toEqual([...transitionIds(callMachine).values()])
    const report = coverageReport(modelMachine, coverage)
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
