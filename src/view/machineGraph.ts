import type { AnyStateMachine, AnyStateNode } from 'xstate'
import { guardLabel } from './guardLabel.js'

/** One state of a {@link MachineGraph}: `path` is its dotted path from the root (`established.hold.held`), `''` for the root. */
export interface MachineGraphNode {
  readonly path: string
  readonly key: string
  readonly type: 'atomic' | 'compound' | 'parallel' | 'final' | 'history'
  /** The keys of its child states, in definition order. */
  readonly children: readonly string[]
  /** The key of the child it starts in, for compound states. */
  readonly initial?: string
}

/** One transition with a target: from a state's path to a target's path, on an event, maybe guarded. */
export interface MachineGraphEdge {
  readonly from: string
  readonly to: string
  /** The event type, or `always` for an eventless transition. */
  readonly event: string
  readonly guard?: string
}

/** A machine's states and transitions as plain JSON, what the live view draws. */
export interface MachineGraph {
  /** The machine's id (`call`, `operation`). */
  readonly id: string
  readonly nodes: readonly MachineGraphNode[]
  readonly edges: readonly MachineGraphEdge[]
}

const pathOf = (node: AnyStateNode): string => node.path.join('.')

/**
 * The states and transitions of an XState machine, read from its state nodes (`machine.root`), as
 * plain JSON the live view's page lays out and draws. Transitions without a target (they only act)
 * are left out: they do not change the state the diagram highlights.
 *
 * @example
 * ```ts
 * import { callMachine } from 'callops/machines'
 * const graph = toMachineGraph(callMachine)
 * graph.nodes.find((n) => n.path === 'established.hold')?.children // ['free', 'holding', 'held', 'releasing']
 * ```
 */
export const toMachineGraph = (machine: AnyStateMachine): MachineGraph => {
  const nodes: MachineGraphNode[] = []
  const edges: MachineGraphEdge[] = []
  const visit = (node: AnyStateNode): void => {
    const initial = node.type === 'compound' ? node.initial?.target[0]?.key : undefined
    nodes.push({
      path: pathOf(node),
      key: node.key,
      type: node.type,
      children: Object.keys(node.states),
      ...(initial === undefined ? {} : { initial }),
    })
    const candidates = [...[...node.transitions].flatMap(([event, ts]) => ts.map((t) => [event, t] as const)), ...(node.always ?? []).map((t) => ['always', t] as const)]
    for (const [event, t] of candidates) {
      for (const target of t.target ?? []) {
        edges.push({ from: pathOf(node), to: pathOf(target), event, ...(t.guard === undefined ? {} : { guard: guardLabel(t.guard) }) })
      }
    }
    for (const child of Object.values(node.states)) visit(child)
  }
  visit(machine.root)
  return { id: machine.id, nodes, edges }
}
