import { createActor, type AnyActorRef, type AnyMachineSnapshot, type AnyStateMachine, type AnyTransitionDefinition, type EventObject, type InspectionEvent } from 'xstate'
import { transitionIds, type EventPath, type GeneratedPaths } from './coverage.js'

/** What {@link exploreLive} needs to know of the model. */
export interface LiveExploration<E extends EventObject> {
  readonly input: unknown
  /** The external events offered in a state. */
  readonly events: (snapshot: AnyMachineSnapshot) => readonly E[]
  /** Two snapshots with the same key are one state of the model. */
  readonly serializeState: (snapshot: AnyMachineSnapshot) => string
}

interface Node<E extends EventObject> {
  readonly persisted: unknown
  readonly offered: readonly E[]
  readonly path: EventPath<E>
}

/**
 * Generates paths as {@link generatePaths} does, but by running the machine as a live actor
 * instead of its pure transition function, as in production (and for a machine with children, the
 * pure function starts none and so never hears their reports). Each state is restored from its
 * persisted snapshot into a live actor and sent one event; what follows from it (events raised,
 * children's reports) is part of that step. Breadth first, so
 * each state's path is a shortest one; then one path per distinct sequence of the root's
 * transitions that an event out of a reached state takes.
 */
export const exploreLive = <E extends EventObject>(machine: AnyStateMachine, model: LiveExploration<E>): GeneratedPaths<E> => {
  const ids = transitionIds(machine)
  const step = (persisted: unknown, event: E | undefined) => {
    const taken: string[] = []
    let root: AnyActorRef | undefined
    const inspect = (e: InspectionEvent) => {
      if (e.type !== '@xstate.microstep' || e.actorRef !== root) return
      for (const t of (e as InspectionEvent & { _transitions: AnyTransitionDefinition[] })._transitions) taken.push(ids.get(t) ?? '?')
    }
    const actor = createActor(machine, { input: model.input, inspect, ...(persisted === undefined ? {} : { snapshot: persisted as never }) })
    root = actor
    actor.start()
    if (event !== undefined) actor.send(event)
    const snapshot = actor.getSnapshot() as AnyMachineSnapshot
    // Read before stopping: stopping the actor stops any children too.
    const key = model.serializeState(snapshot)
    const offered = snapshot.status === 'active' ? model.events(snapshot) : []
    const next = actor.getPersistedSnapshot()
    actor.stop()
    return { snapshot, key, offered, persisted: next, taken }
  }

  const initial = step(undefined, undefined)
  const start: Node<E> = { persisted: initial.persisted, offered: initial.offered, path: { events: [], expected: [] } }
  const seen = new Set<string>([initial.key])
  const queue: Node<E>[] = [start]
  const statePaths: EventPath<E>[] = [start.path]
  const transitionPaths: EventPath<E>[] = []
  const seenTransitions = new Set<string>()
  let edges = 0
  for (let i = 0; i < queue.length; i++) {
    const node = queue[i]
    if (node === undefined) break
    for (const event of node.offered) {
      edges++
      const after = step(node.persisted, event)
      const path: EventPath<E> = { events: [...node.path.events, event], expected: [...node.path.expected, after.snapshot] }
      const transitions = after.taken.join('|')
      if (!seenTransitions.has(transitions)) {
        seenTransitions.add(transitions)
        transitionPaths.push(path)
      }
      if (seen.has(after.key)) continue
      seen.add(after.key)
      queue.push({ persisted: after.persisted, offered: after.offered, path })
      statePaths.push(path)
    }
  }
  return { statePaths, transitionPaths, reachableStates: queue.length, edges }
}
