import { describe, expect, it } from 'vitest'
import { createActor, type AnyMachineSnapshot } from 'xstate'
import { operationMachine, type OperationEvent, type OperationInput, type OperationReportToCall } from '../../machines/operation.machine.js'
import { startOperationRecord, stepOperationRecord, type OperationRecord } from '../../machines/operationStep.js'
import { startCall } from './callHarness.js'
import { generatePaths, type EventPath } from './coverage.js'
import { input as baseInput, operationEvents, reportingParent } from './operationTestKit.js'

// The call machine steps each operation's lifecycle in its own context (machines/operationStep.ts)
// instead of running operationMachine as a child actor. This proves the two agree: on every path
// xstate/graph generates for operationMachine, the record reaches the same state value and context
// as a live operationMachine actor, and reports the same events to its call, after every step.

const input: OperationInput = { ...baseInput, reportsToCall: true }

const live = () => {
  const parent = createActor(reportingParent).start()
  const child = () => parent.getSnapshot().children['op']?.getSnapshot() as AnyMachineSnapshot
  return { parent, child }
}

const walk = (path: EventPath<OperationEvent>): number => {
  const { parent, child } = live()
  let record: OperationRecord = startOperationRecord(input)
  expect(record.value).toEqual(child().value)
  expect(record.context).toEqual(child().context)
  const reports: OperationReportToCall[] = []
  for (const event of path.events) {
    const was = child()
    parent.send({ type: 'to.op', event })
    const before = record
    record = stepOperationRecord(record, event, reports)
    expect(record.value).toEqual(child().value)
    expect(record.context).toEqual(child().context)
    expect(reports).toEqual(parent.getSnapshot().context.reports)
    // An event the machine takes no transition for leaves the very same record (the call then assigns nothing).
    if (child() === was) expect(record).toBe(before)
  }
  parent.stop()
  return path.events.length
}

describe('the call machine’s stepping of an operation agrees with operationMachine', () => {
  it('on every path xstate/graph generates, after every step: the same state value, context and reports to the call', () => {
    // No stop condition: events that an ended operation ignores are compared too. (Paths are generated
    // alone, with no call to report to; they are walked reporting to one.)
    const paths = generatePaths(operationMachine, { input: baseInput, events: () => operationEvents })
    const all = [...paths.statePaths, ...paths.transitionPaths]
    expect(paths.reachableStates).toBeGreaterThan(10)
    let steps = 0
    for (const path of all) steps += walk(path)
    expect(steps).toBeGreaterThan(100)
  })

  it('the call machine runs no child actor: each operation’s lifecycle is a record in its context', () => {
    const call = startCall({ kind: 'group' })
    call.send({ type: 'call.updated', state: 'established' })
    call.send({ type: 'operation.requested', clientContext: 'h1', action: 'startHoldMusic', participantId: 'A', deadline: 60_000 })
    expect(call.actor.getSnapshot().children).toEqual({})
    expect(call.context().inFlight['h1']?.op).toEqual({ value: 'requested', context: expect.objectContaining({ reportsToCall: true }) })
    call.send({ type: 'http.accepted', clientContext: 'h1', report: { id: 'op-1', status: 'running' } })
    expect(call.context().inFlight['h1']?.op.value).toBe('running')
    call.actor.stop()
  })
})
