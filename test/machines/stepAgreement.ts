import { expect } from 'vitest'
import type { AnyMachineSnapshot, AnyStateMachine, AnyStateNode, EventObject } from 'xstate'
import { createPureActorScope } from '../../src/runtime/createPureActorScope.js'
import type { MachineStep } from '../../machines/machineStep.js'

/** A pure actor scope for `machine.transition`: what it emits goes to `emitted`, deferred work runs at `flush`. */
export const pureScope = (machine: AnyStateMachine) => {
  let deferred: Array<() => void> = []
  const emitted: unknown[] = []
  const scope = createPureActorScope(
    machine,
    (e) => void emitted.push(e),
    (fn) => void deferred.push(fn),
  )
  const flush = (): unknown[] => {
    for (const fn of deferred) fn()
    deferred = []
    return emitted.splice(0)
  }
  return { scope, flush }
}

const activeIds = (snapshot: AnyMachineSnapshot): string[] => (snapshot as AnyMachineSnapshot & { readonly _nodes: readonly AnyStateNode[] })._nodes.map((n) => n.id).sort()

/**
 * Walks `events` from `machine`'s initial snapshot twice, once with `machine.transition` and once
 * with `step`, and expects after every event the same state value, context, status, emitted events
 * and persisted snapshot, and the very same snapshot back where XState changed nothing. Returns how
 * many steps `step` declined (returned `undefined`), each then taken by XState.
 */
export const expectSameSteps = <E extends EventObject>(machine: AnyStateMachine, step: MachineStep<AnyMachineSnapshot, E, unknown>, input: unknown, events: readonly E[]): number => {
  const { scope, flush } = pureScope(machine)
  let xs: AnyMachineSnapshot = machine.getInitialSnapshot(scope, input)
  flush()
  let ours = xs
  let declined = 0
  for (const [i, event] of events.entries()) {
    const before = xs
    xs = machine.transition(xs, event, scope)
    const expected = flush()
    const emitted: unknown[] = []
    // A step writes into its own copy of the context, never into the snapshot it was given.
    Object.freeze(ours.context)
    const stepped = step(ours, event, emitted)
    if (stepped === undefined) {
      declined++
      expect(emitted, `step ${i} (${event.type}) declined but emitted`).toEqual([])
      ours = machine.transition(ours, event, scope)
      emitted.push(...flush())
    } else {
      if (xs === before) expect(stepped, `step ${i} (${event.type}): XState changed nothing`).toBe(ours)
      ours = stepped
    }
    const at = `step ${i} (${event.type})`
    expect(activeIds(ours), at).toEqual(activeIds(xs))
    expect(ours.value, at).toEqual(xs.value)
    expect(ours.status, at).toBe(xs.status)
    // The same fields as XState's snapshot, none dropped or added by the step's copy.
    expect(Object.keys(ours), at).toEqual(Object.keys(xs))
    expect(ours.context, at).toEqual(xs.context)
    expect(emitted, at).toEqual(expected)
    expect([...ours.tags].sort(), at).toEqual([...xs.tags].sort())
    expect(machine.getPersistedSnapshot(ours), at).toEqual(machine.getPersistedSnapshot(xs))
  }
  return declined
}
