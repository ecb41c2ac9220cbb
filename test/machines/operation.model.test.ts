import { describe, expect, it } from 'vitest'
import type { AnyMachineSnapshot } from 'xstate'
import { operationMachine, type OperationContext, type OperationEvent } from '../../machines/operation.machine.js'
import { isFinalReport, isSuccessReport } from '../../machines/operationReport.js'
import { stateOf } from './callHarness.js'
import { input, operationEvents as events } from './operationTestKit.js'
import { coverageReport, generatePaths, recordCoverage, replay, transitionIds, type GeneratedPaths } from './coverage.js'

// The replayed machine counts what it tells its call instead of telling it.
let told: ('ended' | 'late')[] = []
const countingMachine = operationMachine.provide({
  actions: {
    reportEnd: () => {
      told.push('ended')
    },
    reportLateOutcome: () => {
      told.push('late')
    },
  },
})

const expectedError: Record<string, readonly string[] | undefined> = {
  'failed.operationFailed': ['OperationFailed'],
  'failed.rejected': ['Http', 'InvalidRequest', 'Decode', 'Credential', 'Cancelled'],
  'failed.cancelled': ['Cancelled'],
  'failed.callEnded': ['CallEnded'],
  'failed.timedOut': ['Timeout'],
  'failed.lateOutcome': ['Timeout', 'Cancelled'],
}

const checkStep = (before: AnyMachineSnapshot, after: AnyMachineSnapshot): void => {
  const state = stateOf(after.value)
  const c = after.context as OperationContext
  const ended = state !== 'requested' && state !== 'running'
  if (!ended) {
    expect(c.error).toBeUndefined()
    expect(told).toEqual([])
  }
  if (state === 'running') expect(c.early).toBeUndefined()
  if (c.early !== undefined) expect(isFinalReport(c.early)).toBe(true)
  // A kept early outcome is never lost to a timeout: the notification said how the operation ended.
  if (c.early !== undefined) expect(state).not.toMatch(/timedOut/)
  // (A cancel drops it, as before; a cancelled operation may then record the outcome told again, late.)
  if (c.early !== undefined && state === 'failed.lateOutcome') expect(c.error?._tag).toBe('Cancelled')
  if (state === 'completed') {
    expect(c.error).toBeUndefined()
    expect(isSuccessReport(c.operation)).toBe(true)
  }
  const tags = expectedError[state]
  if (tags !== undefined) expect(tags).toContain(c.error?._tag)
  if (state === 'failed.operationFailed') expect(isSuccessReport(c.operation)).toBe(false)
  // Ended exactly once; a late outcome reported at most once, only after a timeout or a cancel.
  if (ended) expect(told.filter((t) => t === 'ended')).toHaveLength(1)
  expect(told.filter((t) => t === 'late')).toHaveLength(state === 'failed.lateOutcome' ? 1 : 0)
  if (state === 'failed.lateOutcome') expect(c.late !== undefined && isFinalReport(c.late)).toBe(true)
  // What ended stays ended: only a timed-out or cancelled operation moves on, to record its late outcome.
  const was = stateOf(before.value)
  if (was !== 'requested' && was !== 'running' && was !== state) expect(['failed.timedOut', 'failed.cancelled']).toContain(was)
  if (was !== 'requested' && was !== 'running' && was !== state) expect(state).toBe('failed.lateOutcome')
  if (was !== 'requested' && was !== 'running') expect(c.error).toEqual((before.context as OperationContext).error)
}

describe('operation machine, model-based', () => {
  const coverage = recordCoverage()
  let paths: GeneratedPaths<OperationEvent> | undefined

  it('generates paths from external events only, stopping where the operation can no longer change', () => {
    // No state is an XState final state (see docs/architecture.md), so "done" is read off the state:
    // an ended operation takes no more events, except a timed-out or cancelled one waiting for its late outcome.
    const stoppedAt = new Set<string>()
    const settledForGood = (s: AnyMachineSnapshot): boolean => {
      const state = stateOf(s.value)
      const done = state === 'completed' || (state.startsWith('failed.') && state !== 'failed.timedOut' && state !== 'failed.cancelled')
      if (done) stoppedAt.add(state)
      return done
    }
    paths = generatePaths(operationMachine, { input, events: () => events, stopWhen: settledForGood })
    expect(paths.reachableStates).toBeGreaterThan(10)
    // The stop condition is reached, in every state it names.
    expect([...stoppedAt].sort()).toEqual(['completed', 'failed.callEnded', 'failed.lateOutcome', 'failed.operationFailed', 'failed.rejected'])
  })

  it('every generated path replays on a live actor with the same states, and the invariants hold after every step', () => {
    for (const path of [...(paths?.statePaths ?? []), ...(paths?.transitionPaths ?? [])]) {
      told = []
      replay(countingMachine, input, path, coverage, ({ before, after, expected }) => {
        expect(stateOf(after.value)).toBe(stateOf(expected.value))
        expect(after.context).toEqual(expected.context)
        checkStep(before, after)
      })
    }
  })

  it('the generated paths cover 100% of the states and transitions of the operation machine', () => {
    expect([...transitionIds(countingMachine).values()]).toEqual([...transitionIds(operationMachine).values()])
    const report = coverageReport(countingMachine, coverage)
    console.log(
      `operation machine coverage: states ${report.states.covered}/${report.states.total}, transitions ${report.transitions.covered}/${report.transitions.total}` +
        ` (${paths?.reachableStates ?? 0} states, ${paths?.edges ?? 0} edges, ${(paths?.statePaths.length ?? 0) + (paths?.transitionPaths.length ?? 0)} paths)`,
    )
    expect(report.states.missing).toEqual([])
    expect(report.transitions.missing).toEqual([])
  })
})
