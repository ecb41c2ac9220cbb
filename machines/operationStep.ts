import type { AnyStateNode, AnyTransitionDefinition } from 'xstate'
import { copyOperationContext } from './literalCopies.js'
import { operationMachine } from './operation.machine.js'
import {
  operationContextOf,
  operationGuards,
  operationReports,
  operationUpdates,
  type OperationContext,
  type OperationEvent,
  type OperationInput,
  type OperationReportToCall,
} from './operationLogic.js'

/**
 * One operation's lifecycle as plain data: where `operationMachine` would be (its state value) and
 * its context. The call machine keeps one per operation in flight, in its own context, instead of
 * a child actor per operation (spawning, forwarding to and stopping a child cost ≈ 68 µs of XState
 * mechanics per operation; see docs/performance.md).
 */
export interface OperationRecord {
  /** `operationMachine`'s state value: `requested`, `running`, `completed` or `{ failed: 'timedOut' }`, .... */
  readonly value: string | { readonly failed: string }
  readonly context: OperationContext
}

// The stepping below follows operationMachine's own state nodes and transitions, read once from
// the machine definition: the same candidates in the same order, chosen as XState chooses them
// (the innermost state with an enabled transition wins; a transition without a target stays), with
// the same exit, transition and entry actions, each the operationLogic.ts function the machine's
// action calls. test/machines/operationStep.test.ts proves it reaches the same state, context and
// reports as the machine on every path xstate/graph generates.

type Guard = (c: OperationContext, e: OperationEvent) => boolean
type Effect = (c: OperationContext, e: OperationEvent, reports: OperationReportToCall[]) => OperationContext

interface Candidate {
  readonly guard: Guard | undefined
  /** The leaf entered, or `undefined` for a transition without a target. */
  readonly target: Leaf | undefined
  readonly effects: readonly Effect[]
}

interface Leaf {
  readonly key: string
  readonly value: OperationRecord['value']
  /** Per event type, the candidates of this state and then of each ancestor, innermost first. */
  readonly on: Map<string, readonly (readonly Candidate[])[]>
}

const guardOf = (guard: unknown): Guard => {
  if (typeof guard === 'string' && guard in operationGuards) return operationGuards[guard as keyof typeof operationGuards]
  // xstate's and([...]): a function carrying its guards.
  if (typeof guard === 'function' && 'guards' in guard && Array.isArray(guard.guards) && 'check' in guard && typeof guard.check === 'function' && guard.check.name === 'checkAnd') {
    const all = (guard.guards as unknown[]).map(guardOf)
    return (c, e) => all.every((g) => g(c, e))
  }
  throw new Error(`operationStep: guard ${String(guard)} of operationMachine has no implementation here`)
}

const effectOf = (action: unknown): Effect => {
  const name = typeof action === 'string' ? action : typeof action === 'object' && action !== null && 'type' in action ? action.type : undefined
  if (typeof name === 'string' && name in operationUpdates) {
    const update = operationUpdates[name as keyof typeof operationUpdates]
    return (c, e) => Object.assign(copyOperationContext(c), update(c, e))
  }
  if (typeof name === 'string' && name in operationReports) {
    const tell = operationReports[name as keyof typeof operationReports]
    return (c, _e, reports) => {
      const r = tell(c)
      if (r !== undefined) reports.push(r)
      return c
    }
  }
  throw new Error(`operationStep: action ${String(name)} of operationMachine has no implementation here`)
}

const ancestors = (node: AnyStateNode): AnyStateNode[] => {
  const out: AnyStateNode[] = []
  for (let n: AnyStateNode | undefined = node; n !== undefined; n = n.parent) out.push(n)
  return out
}

const isDescendant = (node: AnyStateNode, of: AnyStateNode): boolean => ancestors(node).slice(1).includes(of)

const leafNodes = (node: AnyStateNode): AnyStateNode[] => {
  const kids = Object.values(node.states)
  return kids.length === 0 ? [node] : kids.flatMap(leafNodes)
}

/** Where a target resolves to: its initial leaf when it is compound. */
const leafOf = (node: AnyStateNode): AnyStateNode => {
  let n = node
  for (let next = n.initial?.target[0]; next !== undefined; next = n.initial?.target[0]) n = next
  return n
}

const valueOf = (leaf: AnyStateNode): OperationRecord['value'] => {
  const [first, second, ...rest] = leaf.path
  if (first === undefined || rest.length > 0 || (second !== undefined && first !== 'failed')) throw new Error(`operationStep: state ${leaf.path.join('.')} has no record value`)
  return second === undefined ? first : Object.freeze({ failed: second })
}

const keyOfValue = (value: OperationRecord['value']): string => (typeof value === 'string' ? value : `failed.${value.failed}`)

const compile = (): { leaves: Map<string, Leaf>; initial: Leaf } => {
  const nodes = leafNodes(operationMachine.root)
  for (const n of [operationMachine.root, ...Object.values(operationMachine.states)]) if ((n.always?.length ?? 0) > 0) throw new Error('operationStep: an eventless transition')
  const leaves = new Map<string, Leaf>()
  const groupsOf = new Map<Leaf, Map<string, (readonly Candidate[])[]>>()
  for (const n of nodes) leaves.set(n.path.join('.'), { key: n.path.join('.'), value: valueOf(n), on: new Map() })
  const leafFor = (n: AnyStateNode) => {
    const l = leaves.get(leafOf(n).path.join('.'))
    if (l === undefined) throw new Error(`operationStep: no leaf for ${n.path.join('.')}`)
    return l
  }
  const entryEffects = (n: AnyStateNode): Effect[] => (n.entry as unknown[]).map(effectOf)
  const exitEffects = (n: AnyStateNode): Effect[] => (n.exit as unknown[]).map(effectOf)
  for (const from of nodes) {
    const leaf = leafFor(from)
    for (const source of ancestors(from)) {
      for (const [event, candidates] of source.transitions as Map<string, AnyTransitionDefinition[]>) {
        const compiled = candidates.map((t): Candidate => {
          const own = (t.actions as unknown[]).map(effectOf)
          const guard = t.guard === undefined ? undefined : guardOf(t.guard)
          const targetNode = t.target?.[0]
          if ((t.target?.length ?? 0) > 1) throw new Error('operationStep: a transition with several targets')
          if (targetNode === undefined) return { guard, target: undefined, effects: own }
          if (t.reenter) throw new Error('operationStep: a reentering transition')
          // XState's transition domain: the source itself when the target lies inside it, else the
          // innermost compound ancestor of both. Everything active below it is left, then entered.
          const domain = isDescendant(targetNode, t.source) ? t.source : ancestors(t.source).slice(1).find((a) => isDescendant(targetNode, a))
          if (domain === undefined) throw new Error('operationStep: no transition domain')
          const exited = ancestors(from).slice(0, ancestors(from).indexOf(domain))
          const target = leafOf(targetNode)
          const entered = ancestors(target).slice(0, ancestors(target).indexOf(domain)).reverse()
          return { guard, target: leafFor(target), effects: [...exited.flatMap(exitEffects), ...own, ...entered.flatMap(entryEffects)] }
        })
        let byEvent = groupsOf.get(leaf)
        if (byEvent === undefined) groupsOf.set(leaf, (byEvent = new Map()))
        const groups = byEvent.get(event) ?? []
        groups.push(compiled)
        byEvent.set(event, groups)
      }
    }
  }
  for (const [leaf, byEvent] of groupsOf) for (const [event, groups] of byEvent) (leaf.on as Map<string, readonly (readonly Candidate[])[]>).set(event, groups)
  const initialNode = leafOf(operationMachine.root)
  if (ancestors(initialNode).some((n) => (n.entry as unknown[]).length > 0)) throw new Error('operationStep: the initial state has entry actions')
  return { leaves, initial: leafFor(initialNode) }
}

const machine = compile()

/** A new operation's record: `operationMachine` started with `input`. */
export const startOperationRecord = (input: OperationInput): OperationRecord => ({ value: machine.initial.value, context: operationContextOf(input) })

/**
 * Advances one operation's record by `event` as `operationMachine` would, and pushes onto `reports`
 * what it tells its call (`operation.ended`, `operation.late`). Pure: returns the same record when
 * the event changes nothing.
 */
export const stepOperationRecord = (record: OperationRecord, event: OperationEvent, reports: OperationReportToCall[]): OperationRecord => {
  const leaf = machine.leaves.get(keyOfValue(record.value))
  if (leaf === undefined) throw new Error(`operationStep: unknown state ${keyOfValue(record.value)}`)
  const groups = leaf.on.get(event.type)
  if (groups === undefined) return record
  for (const candidates of groups) {
    for (const t of candidates) {
      if (t.guard !== undefined && !t.guard(record.context, event)) continue
      let context = record.context
      for (const effect of t.effects) context = effect(context, event, reports)
      if (t.target === undefined && context === record.context) return record
      return { value: t.target === undefined ? record.value : t.target.value, context }
    }
  }
  return record
}

/** The dotted state of a record (`failed.timedOut`), as `stateName` gives it for the machine. */
export const operationRecordState = (record: OperationRecord): string => keyOfValue(record.value)
