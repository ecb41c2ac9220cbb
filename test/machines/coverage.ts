import {
  createActor,
  getMicrosteps,
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type AnyTransitionDefinition,
  type EventObject,
  type InspectionEvent,
} from 'xstate'
import { getShortestPaths, getStateNodes, type StatePath, type TraversalOptions } from 'xstate/graph'
import { guardLabel } from '../../scripts/machineToMermaid.js'

/** Every state node of a machine below its root, by id (`call.established.hold.held`). */
export const stateIds = (machine: AnyStateMachine): string[] => getStateNodes(machine.root).map((n) => n.id)

/**
 * Every transition of the machine's root and its descendants, each named by its source state,
 * its event (`always` for eventless ones) and its index among that event's candidates, which
 * tells guards and targets apart: `call.established.hold.holding operation.ended #1 [endsAttempt && …] → free`.
 */
export const transitionIds = (machine: AnyStateMachine): Map<AnyTransitionDefinition, string> => {
  const ids = new Map<AnyTransitionDefinition, string>()
  for (const node of [machine.root, ...getStateNodes(machine.root)]) {
    for (const [event, candidates] of node.transitions) candidates.forEach((t, i) => ids.set(t, name(node, event, i, t)))
    node.always?.forEach((t, i) => ids.set(t, name(node, 'always', i, t)))
  }
  return ids
}

const name = (node: AnyStateNode, event: string, i: number, t: AnyTransitionDefinition): string => {
  const target = t.target === undefined ? '' : ` → ${t.target.map((n) => n.path.join('.')).join(', ')}`
  const guard = t.guard === undefined ? '' : ` [${guardLabel(t.guard)}]`
  return `${node.id} ${event} #${i}${guard}${target}`
}

/** The ids of the state nodes a snapshot is in. */
export const activeStateIds = (snapshot: AnyMachineSnapshot): string[] =>
  (snapshot as AnyMachineSnapshot & { _nodes: AnyStateNode[] })._nodes.filter((n) => n.parent !== undefined).map((n) => n.id)

/** A path of external events from the machine's initial state. */
export interface EventPath<E extends EventObject> {
  readonly events: readonly E[]
  /** The snapshot the pure model reaches after each event. */
  readonly expected: readonly AnyMachineSnapshot[]
}

/** Paths to every reachable state, plus one path per distinct transition taken on the way out of any of them. */
export interface GeneratedPaths<E extends EventObject> {
  readonly statePaths: readonly EventPath<E>[]
  /** One path for each distinct set of transitions an event can take, from any reachable state. */
  readonly transitionPaths: readonly EventPath<E>[]
  readonly reachableStates: number
  readonly edges: number
}

/**
 * Generates paths with `getShortestPaths` (one to each reachable state), then extends them by one
 * event of every edge out of their end state, keeping one path for each distinct set of
 * transitions taken (`getTransitionData`, and the configuration eventless steps start from).
 */
export const generatePaths = <M extends AnyStateMachine, E extends EventObject>(
  machine: M,
  options: TraversalOptions<AnyMachineSnapshot, E, unknown> & { readonly events: (snapshot: AnyMachineSnapshot) => readonly E[] },
): GeneratedPaths<E> => {
  const shortest = getShortestPaths(machine, options as never) as unknown as StatePath<AnyMachineSnapshot, E>[]
  const toEventPath = (p: StatePath<AnyMachineSnapshot, E>): EventPath<E> => {
    // alterPath puts an xstate.init step first; each step holds the state reached by its event.
    const steps = p.steps.slice(1)
    return { events: steps.map((s) => s.event), expected: steps.map((s) => s.state) }
  }
  const statePaths = shortest.map(toEventPath)
  const seen = new Set<string>()
  const transitionPaths: EventPath<E>[] = []
  const ids = transitionIds(machine)
  let edges = 0
  shortest.forEach((path, i) => {
    const from = path.state
    if (from.status !== 'active') return
    for (const event of options.events(from)) {
      edges++
      const taken = (machine.getTransitionData(from as never, event as never) as AnyTransitionDefinition[]).map((t) => ids.get(t) ?? '?')
      const micro = getMicrosteps(machine, from as never, event as never) as [AnyMachineSnapshot, unknown][]
      const eventless = micro.slice(0, -1).map(([s]) => JSON.stringify(s.value))
      const key = `${taken.join('|')}/${eventless.join('|')}`
      if (seen.has(key)) continue
      seen.add(key)
      const base = statePaths[i]
      const last = micro.at(-1)?.[0]
      if (base === undefined || last === undefined) continue
      transitionPaths.push({ events: [...base.events, event], expected: [...base.expected, last] })
    }
  })
  return { statePaths, transitionPaths, reachableStates: shortest.length, edges }
}

/** Records the transitions and states a live actor goes through (its own microsteps only). */
export const recordCoverage = () => {
  const transitions = new Set<AnyTransitionDefinition>()
  const states = new Set<string>()
  return {
    transitions,
    states,
    inspect: (root: () => unknown) => (e: InspectionEvent) => {
      if (e.type !== '@xstate.microstep' || e.actorRef !== root()) return
      // A state left by a transition was active, even one never rested in (the call's `starting`).
      for (const t of (e as InspectionEvent & { _transitions: AnyTransitionDefinition[] })._transitions) {
        transitions.add(t)
        states.add(t.source.id)
      }
      for (const id of activeStateIds(e.snapshot as AnyMachineSnapshot)) states.add(id)
    },
  }
}

/** Covered and missing states and transitions, as figures and names. */
export const coverageReport = (machine: AnyStateMachine, covered: ReturnType<typeof recordCoverage>) => {
  const allStates = stateIds(machine)
  const allTransitions = transitionIds(machine)
  const missingStates = allStates.filter((s) => !covered.states.has(s))
  const missingTransitions = [...allTransitions].filter(([t]) => !covered.transitions.has(t)).map(([, id]) => id)
  return {
    states: { covered: allStates.length - missingStates.length, total: allStates.length, missing: missingStates },
    transitions: { covered: allTransitions.size - missingTransitions.length, total: allTransitions.size, missing: missingTransitions },
  }
}

/** Replays a path on a fresh actor; `check` runs after every event with what the event made it emit. */
export const replay = <M extends AnyStateMachine, E extends EventObject>(
  machine: M,
  input: unknown,
  path: EventPath<E>,
  coverage: ReturnType<typeof recordCoverage>,
  check: (step: { readonly index: number; readonly event: E; readonly before: AnyMachineSnapshot; readonly after: AnyMachineSnapshot; readonly expected: AnyMachineSnapshot; readonly emitted: readonly EventObject[] }) => void,
): void => {
  let self: unknown
  const actor = createActor(machine, { input, inspect: coverage.inspect(() => self) } as never)
  self = actor
  const emitted: EventObject[] = []
  actor.on('*', (e: EventObject) => {
    emitted.push(e)
  })
  actor.start()
  const started = activeStateIds(actor.getSnapshot() as AnyMachineSnapshot)
  for (const id of started) coverage.states.add(id)
  // XState inspects no microstep while an actor starts: an eventless transition out of the initial
  // state (the call's `starting`) is known by where the actor came to rest.
  for (const node of machine.root.initial.target) {
    const taken = node.always?.find((t) => t.target?.every((n) => started.includes(n.id)))
    if (taken === undefined) continue
    coverage.transitions.add(taken)
    coverage.states.add(node.id)
  }
  path.events.forEach((event, index) => {
    const before = actor.getSnapshot() as AnyMachineSnapshot
    const from = emitted.length
    actor.send(event as never)
    const expected = path.expected[index]
    if (expected === undefined) throw new Error(`path has no expected state at step ${index}`)
    check({ index, event, before, after: actor.getSnapshot() as AnyMachineSnapshot, expected, emitted: emitted.slice(from) })
  })
  actor.stop()
}
