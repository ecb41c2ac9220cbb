import { describe, expect, it } from 'vitest'
import type { AnyStateMachine } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import { snapshotCopyFor } from '../../machines/snapshotCopy.js'
import { pureScope } from './stepAgreement.js'

describe("the compiled step's copy of a snapshot", () => {
  it("has exactly XState's fields, with the new context, and the new state when one is given", () => {
    const { scope } = pureScope(callMachine)
    const snapshot = callMachine.getInitialSnapshot(scope, { callId: 'c1' })
    const copy = snapshotCopyFor(callMachine)
    const context = { ...snapshot.context, callId: 'c2' }
    const same = copy(snapshot, context, undefined)
    expect(Object.keys(same)).toEqual(Object.keys(snapshot))
    expect(same.context).toBe(context)
    expect(same.value).toBe(snapshot.value)
    expect(same.machine).toBe(callMachine)
    expect(same.matches(snapshot.value as never)).toBe(true)
    const state = { nodes: [], value: 'elsewhere', tags: new Set(['t']) }
    const moved = copy(snapshot, context, state)
    expect(Object.keys(moved)).toEqual(Object.keys(snapshot))
    expect([moved.value, moved.tags]).toEqual(['elsewhere', state.tags])
    expect((moved as unknown as { _nodes: unknown })._nodes).toBe(state.nodes)
  })

  it('keeps every field of a snapshot whose shape is not the one it knows', () => {
    // A machine whose snapshots carry a field XState's do not (as a later XState might): copied by spread.
    const odd = { resolveState: () => ({ status: 'active', context: {}, extra: 1 }) } as unknown as AnyStateMachine
    const snapshot = { status: 'active', context: { n: 1 }, extra: 1, value: 'a' } as never
    const copy = snapshotCopyFor(odd)(snapshot, { n: 2 }, undefined) as unknown as Record<string, unknown>
    expect(copy).toEqual({ status: 'active', context: { n: 2 }, extra: 1, value: 'a' })
  })
})
