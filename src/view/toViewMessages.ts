import { withoutSecrets } from './withoutSecrets.js'
import * as E from 'fp-ts/lib/Either.js'
import type { AnyStateMachine, InspectionEvent } from 'xstate'
import { stateName } from '../../machines/stateName.js'
import type { OrchestratorEvent } from '../runtime/OrchestratorEvent.js'
import { toMachineGraph, type MachineGraph } from './machineGraph.js'
import type { ViewMessage, WireOrchestratorEvent } from './ViewMessage.js'

/**
 * An orchestrator event as plain JSON: the fp-ts `Either` of `settled` becomes `ok` and `operation`
 * or `error`; that of `callActionSettled`, `ok` and `outcome` or `error`.
 */
export const toWireEvent = (e: OrchestratorEvent): WireOrchestratorEvent => {
  if (e.type === 'callActionSettled') {
    const { result, ...rest } = e
    return E.isRight(result) ? { ...rest, ok: true, outcome: result.right } : { ...rest, ok: false, error: result.left }
  }
  if (e.type !== 'settled') return e
  const { result, ...rest } = e
  return E.isRight(result) ? { ...rest, ok: true, operation: result.right } : { ...rest, ok: false, error: result.left }
}

// Events can carry prompts and bodies: the log shows their start.
const MAX_BODY = 400

const summary = (event: unknown): string => {
  try {
    const s = JSON.stringify(event, withoutSecrets) ?? ''
    return s.length > MAX_BODY ? `${s.slice(0, MAX_BODY)}…` : s
  } catch {
    return '(not serialisable)'
  }
}

const field = (o: unknown, key: string): unknown => (typeof o === 'object' && o !== null && key in o ? (o as Record<string, unknown>)[key] : undefined)

// `id` and `_parent` are on every actor XState makes, though `ActorRefLike` does not promise them.
const identity = (actorRef: unknown): { id: string; parent?: string } => {
  const id = field(actorRef, 'id')
  const parent = field(field(actorRef, '_parent'), 'sessionId')
  return { id: typeof id === 'string' ? id : '', ...(typeof parent === 'string' ? { parent } : {}) }
}

const isMachine = (logic: unknown): logic is AnyStateMachine =>
  typeof logic === 'object' && logic !== null && 'root' in logic && 'id' in logic && typeof logic.id === 'string'

/** Machines seen through inspection, drawn once each: the same machine object gets one graph. */
export interface MachineRegistry {
  readonly graphs: () => readonly MachineGraph[]
  /** The machine's graph id; `fresh` holds its graph when this is the first time it is seen. */
  readonly idOf: (machine: AnyStateMachine) => { readonly id: string; readonly fresh?: MachineGraph }
}

/** Creates a {@link MachineRegistry} that knows `known` already (the call and operation machines). */
export const createMachineRegistry = (known: readonly AnyStateMachine[], max = 100): MachineRegistry => {
  const ids = new WeakMap<AnyStateMachine, string>()
  const graphs: MachineGraph[] = []
  const taken = new Set<string>()
  const add = (machine: AnyStateMachine): { id: string; fresh?: MachineGraph } => {
    // Two different machines may share an id: the second is drawn as `id#2`.
    let id = machine.id
    for (let n = 2; taken.has(id); n++) id = `${machine.id}#${n}`
    ids.set(machine, id)
    if (graphs.length >= max) return { id }
    taken.add(id)
    const graph = { ...toMachineGraph(machine), id }
    graphs.push(graph)
    return { id, fresh: graph }
  }
  for (const m of known) add(m)
  return {
    graphs: () => graphs,
    idOf: (machine) => {
      const id = ids.get(machine)
      return id === undefined ? add(machine) : { id }
    },
  }
}

/**
 * What one XState inspection event shows on the page: actor creations, events received and
 * snapshots after them. Microsteps and actions are left out (they add nothing a diagram shows and
 * triple the volume).
 */
export const toInspectionMessages = (event: InspectionEvent, machines: MachineRegistry, t: number): ViewMessage[] => {
  const s = event.actorRef.sessionId
  switch (event.type) {
    case '@xstate.actor':
      return [{ k: 'actor', t, s, ...identity(event.actorRef) }]
    case '@xstate.event': {
      const from = event.sourceRef?.sessionId
      return [{ k: 'xev', t, s, type: event.event.type, ...(from === undefined ? {} : { from }), body: summary(event.event) }]
    }
    case '@xstate.snapshot': {
      const snap = event.snapshot
      const machine = field(snap, 'machine')
      const status = typeof snap.status === 'string' ? snap.status : 'unknown'
      const value = field(snap, 'value')
      const state = value === undefined ? status : stateName(value)
      // The actor's id and parent ride along: a page opened late never saw its creation.
      const who = identity(event.actorRef)
      if (!isMachine(machine)) return [{ k: 'snap', t, s, ...who, state, status }]
      const { id, fresh } = machines.idOf(machine)
      const out: ViewMessage[] = fresh === undefined ? [] : [{ k: 'machine', graph: fresh }]
      out.push({ k: 'snap', t, s, ...who, state, status, m: id })
      return out
    }
    default:
      return []
  }
}
