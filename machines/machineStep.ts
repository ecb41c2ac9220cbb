import type { AnyMachineSnapshot, AnyStateMachine, AnyStateNode, AnyTransitionDefinition, EventObject } from 'xstate'
import { allNodes, children, entrySetOf, exitSetOf, isDescendant, properAncestors } from './stateNodeSets.js'
import { snapshotCopyFor } from './snapshotCopy.js'
import { compileStepLogic, refName, StepUnsupported, type Act, type Run, type Guard } from './stepLogic.js'

/**
 * Steps a snapshot by one event as `machine.transition(snapshot, event, scope)` would: the same state
 * nodes, context and emitted events (pushed onto `emitted`, in order, once the whole step has
 * succeeded). Returns `undefined` when the step needs what the stepper does not do (an action it
 * cannot run, an event XState treats specially), having pushed and changed nothing: the caller then
 * runs `machine.transition` instead. A step that throws has pushed nothing either.
 */
export type MachineStep<S extends AnyMachineSnapshot, E extends EventObject, Emitted> = (snapshot: S, event: E, emitted: Emitted[]) => S | undefined

// XState interprets each event afresh: it selects transitions by walking the state value, copies
// the snapshot (and recomputes its state value and tags) for every assign, and wraps every action
// an `enqueueActions` body enqueues in an action object before resolving it. For the call machine
// that is about 30 µs and 45 KB per notification (docs/performance.md). This stepper follows the
// same algorithm (XState 5's macrostep and microstep, SCXML's), with what can be read off the
// machine definition read once: each configuration of active state nodes is built once, with its
// state value and tags, and each transition's exit and entry sets per configuration. It supports
// what the machines of this package use (compound and parallel states, guards with and/or/not,
// eventless transitions, entry and exit actions, assign, emit, raise without delay, enqueueActions)
// and refuses a machine with anything else when it is compiled. test/machines/call.model.test.ts
// proves it equal to XState on every path the call machine's model generates, and
// test/machines/machineStep.test.ts on what the call machine does not exercise.

interface Candidate {
  readonly def: AnyTransitionDefinition
  readonly guard: Guard | undefined
  /** The guard's name as XState's error for a guard that throws gives it. */
  readonly guardName: string | undefined
  readonly acts: readonly Act[]
}

interface Plan {
  readonly exit: readonly AnyStateNode[]
  readonly acts: readonly Act[]
  readonly next: Config
}

/** An active state in the selection order: its own transitions, and its active children's. */
interface Selector {
  readonly on: ReadonlyMap<string, readonly Candidate[]> | undefined
  readonly kids: readonly Selector[]
}

interface Config {
  readonly nodes: readonly AnyStateNode[]
  readonly value: unknown
  readonly tags: ReadonlySet<string>
  readonly selector: Selector
  /** Per atomic state: the eventless candidates of it and then of its ancestors, innermost first. */
  readonly eventless: readonly (readonly Candidate[])[]
  readonly plans: Map<Candidate, Plan>
}

/**
 * Compiles `machine` into a {@link MachineStep}. `noOps` names custom actions that do nothing but
 * mark a step for an inspector (the stepper runs without one). Throws when the machine uses what the
 * stepper does not support.
 */
export const compileMachineStep = <S extends AnyMachineSnapshot, E extends EventObject, Emitted>(machine: AnyStateMachine, noOps: ReadonlySet<string>): MachineStep<S, E, Emitted> => {
  const { guardOf, actsOf } = compileStepLogic(machine, noOps)
  const copy = snapshotCopyFor(machine)
  const root = machine.root
  // --- the machine, read once
  const nodes = allNodes(root)
  for (const n of nodes) {
    if (n.type === 'history' || n.type === 'final') throw new Error(`machineStep: ${n.type} state ${n.id} is not supported`)
    if (n.invoke.length > 0) throw new Error(`machineStep: invoke in ${n.id} is not supported`)
    for (const key of n.transitions.keys()) if (key.includes('*')) throw new Error(`machineStep: the event descriptor ${key} is not supported`)
  }
  const candidateOf = (def: AnyTransitionDefinition): Candidate => ({
    def,
    guard: def.guard === undefined ? undefined : guardOf(def.guard),
    guardName: refName(def.guard),
    acts: actsOf(def.actions as unknown[]),
  })
  const on = new Map<AnyStateNode, Map<string, readonly Candidate[]>>()
  const always = new Map<AnyStateNode, readonly Candidate[]>()
  const entryActs = new Map<AnyStateNode, readonly Act[]>()
  const exitActs = new Map<AnyStateNode, readonly Act[]>()
  const initialActs = new Map<AnyStateNode, readonly Act[]>()
  for (const n of nodes) {
    on.set(n, new Map([...(n.transitions as Map<string, AnyTransitionDefinition[]>)].map(([type, defs]) => [type, defs.map(candidateOf)])))
    if ((n.always?.length ?? 0) > 0) always.set(n, (n.always ?? []).map(candidateOf))
    entryActs.set(n, actsOf(n.entry as unknown[]))
    exitActs.set(n, actsOf(n.exit as unknown[]))
    if (n.type === 'compound') initialActs.set(n, actsOf(n.initial.actions as unknown[]))
  }
  const acts = (map: Map<AnyStateNode, readonly Act[]>, n: AnyStateNode): readonly Act[] => map.get(n) ?? []

  // --- configurations: each set of active state nodes, built once
  const configs = new Map<string, Config>()
  const bySnapshotNodes = new WeakMap<readonly AnyStateNode[], Config>()

  const valueOf = (node: AnyStateNode, active: ReadonlySet<AnyStateNode>): unknown => {
    const kids = children(node).filter((k) => active.has(k))
    const [only] = kids
    if (node.type === 'compound' && only !== undefined && only.type === 'atomic') return only.key
    const value: Record<string, unknown> = {}
    for (const k of kids) value[k.key] = valueOf(k, active)
    return Object.freeze(value)
  }

  const configFor = (set: Iterable<AnyStateNode>): Config => {
    const sorted = [...new Set(set)].sort((a, b) => a.order - b.order)
    const key = sorted.map((n) => n.id).join('|')
    const known = configs.get(key)
    if (known !== undefined) return known
    const active = new Set(sorted)
    const eventless = sorted
      .filter((n) => n.type === 'atomic')
      .map((atomic) => [atomic, ...properAncestors(atomic, undefined)].flatMap((s) => always.get(s) ?? []))
      .filter((list) => list.length > 0)
    const selectorOf = (n: AnyStateNode): Selector => ({ on: on.get(n), kids: children(n).filter((k) => active.has(k)).map(selectorOf) })
    const config: Config = {
      nodes: Object.freeze(sorted),
      value: valueOf(root, active),
      tags: new Set(sorted.flatMap((n) => n.tags)),
      selector: selectorOf(root),
      eventless,
      plans: new Map(),
    }
    configs.set(key, config)
    return config
  }

  const configOf = (snapshot: AnyMachineSnapshot): Config => {
    const list = (snapshot as AnyMachineSnapshot & { readonly _nodes: readonly AnyStateNode[] })._nodes
    let config = bySnapshotNodes.get(list)
    if (config === undefined) bySnapshotNodes.set(list, (config = configFor(list)))
    return config
  }

  /** One microstep of `chosen` (conflicts removed) from `config`: exits, the transitions' actions, entries. */
  const planFor = (chosen: readonly Candidate[], config: Config): Plan => {
    const exit = new Set(chosen.flatMap((c) => exitSetOf(root, c.def, config.nodes)))
    const entries = chosen.map((c) => entrySetOf(root, c.def))
    const enter = new Set(entries.flatMap((e) => [...e.enter]))
    const defaults = new Set(entries.flatMap((e) => [...e.defaults]))
    const exitOrder = [...exit].sort((a, b) => b.order - a.order)
    const enterOrder = [...enter].sort((a, b) => a.order - b.order)
    const actsInOrder = [
      ...exitOrder.flatMap((n) => acts(exitActs, n)),
      ...chosen.flatMap((c) => c.acts),
      ...enterOrder.flatMap((n) => [...acts(entryActs, n), ...(defaults.has(n) ? acts(initialActs, n) : [])]),
    ]
    const next = configFor([...config.nodes.filter((n) => !exit.has(n)), ...enterOrder])
    return { exit: exitOrder, acts: actsInOrder, next }
  }

  const planOf = (c: Candidate, config: Config): Plan => {
    let plan = config.plans.get(c)
    if (plan === undefined) config.plans.set(c, (plan = planFor([c], config)))
    return plan
  }

  // XState's removeConflictingTransitions: of two transitions whose exit sets meet, the one from
  // the deeper source wins when it comes later, else the earlier one stays.
  const withoutConflicts = (enabled: readonly Candidate[], config: Config): Candidate[] => {
    const kept: Candidate[] = []
    for (const t1 of enabled) {
      const exit1 = new Set(planOf(t1, config).exit)
      let preempted = false
      const removed = new Set<Candidate>()
      for (const t2 of kept) {
        if (!planOf(t2, config).exit.some((n) => exit1.has(n))) continue
        if (isDescendant(t1.def.source, t2.def.source)) removed.add(t2)
        else {
          preempted = true
          break
        }
      }
      if (preempted) continue
      for (let i = kept.length - 1; i >= 0; i--) if (removed.has(kept[i] as Candidate)) kept.splice(i, 1)
      kept.push(t1)
    }
    return kept
  }

  const first = (candidates: readonly Candidate[] | undefined, context: unknown, event: EventObject): Candidate | undefined => {
    if (candidates !== undefined) for (const c of candidates) if (c.guard === undefined || c.guard(context, event)) return c
    return undefined
  }

  // For an event's transitions, a guard that throws is reported as XState's StateNode reports it
  // (an eventless transition's guard error goes through unchanged, as in XState).
  const firstOnEvent = (candidates: readonly Candidate[] | undefined, context: unknown, event: EventObject): Candidate | undefined => {
    if (candidates === undefined) return undefined
    for (const c of candidates) {
      if (c.guard === undefined) return c
      let passed: boolean
      try {
        passed = c.guard(context, event)
      } catch (err) {
        const message = typeof err === 'object' && err !== null && 'message' in err ? String(err.message) : 'undefined'
        const name = c.guardName === undefined ? '' : `'${c.guardName}' `
        throw new Error(`Unable to evaluate guard ${name}in transition for event '${event.type}' in state node '${c.def.source.id}':\n${message}`)
      }
      if (passed) return c
    }
    return undefined
  }

  // XState's transitionNode: the innermost state with an enabled transition wins; a parallel state
  // gathers its regions' and is asked itself only when none has one (a compound state has one
  // active child, an atomic one none).
  const select = (at: Selector, context: unknown, event: EventObject, out: Candidate[]): void => {
    const before = out.length
    for (const kid of at.kids) select(kid, context, event, out)
    if (out.length > before) return
    const own = firstOnEvent(at.on?.get(event.type), context, event)
    if (own !== undefined) out.push(own)
  }

  const none: Candidate[] = []
  const eventlessOf = (config: Config, context: unknown, event: EventObject): Candidate[] => {
    if (config.eventless.length === 0) return none
    const enabled: Candidate[] = []
    for (const list of config.eventless) {
      const c = first(list, context, event)
      if (c !== undefined && !enabled.includes(c)) enabled.push(c)
    }
    // Conflicts between them are removed by the microstep, as for any selection.
    return enabled
  }

  const microstep = (chosen: readonly Candidate[], config: Config, run: Run, event: EventObject): Config => {
    const only = chosen[0]
    if (only === undefined) return config
    const plan = chosen.length === 1 ? planOf(only, config) : planFor(withoutConflicts(chosen, config), config)
    for (const a of plan.acts) a(run, event)
    return plan.next
  }

  return (snapshot, event, emitted) => {
    if (snapshot.status !== 'active' || event.type.startsWith('xstate.')) return undefined
    const start = configOf(snapshot)
    const run: Run = { context: snapshot.context as object, emitted: [], queue: [] }
    try {
      const picked: Candidate[] = []
      select(start.selector, run.context, event, picked)
      let config = microstep(picked, start, run, event)
      let current: EventObject = event
      let eventless = true
      for (;;) {
        let enabled: Candidate[] = eventless ? eventlessOf(config, run.context, current) : []
        // As XState: after an eventless microstep, eventless transitions are asked again only if it changed something.
        const tookEventless = enabled.length > 0
        const configBefore = config
        const contextBefore = run.context
        if (!tookEventless) {
          const next = run.queue.shift()
          if (next === undefined) break
          current = next
          enabled = []
          select(config.selector, run.context, current, enabled)
        }
        config = microstep(enabled, config, run, current)
        eventless = !tookEventless || configBefore !== config || contextBefore !== run.context
      }
      for (const e of run.emitted) emitted.push(e as Emitted)
      if (config === start && run.context === snapshot.context) return snapshot
      return copy(snapshot, run.context, config === start ? undefined : config)
    } catch (err) {
      if (err instanceof StepUnsupported) return undefined
      throw err
    }
  }
}
