import type { AnyStateMachine, AnyStateNode, AnyTransitionDefinition } from 'xstate'
import { guardLabel } from '../src/view/guardLabel.js'

// The live view labels guards the same way, so the docs' diagrams and the page agree.
export { guardLabel }

/**
 * A Mermaid `stateDiagram-v2` of an XState machine, from its state nodes (`machine.root` and its
 * descendants), so the diagram can be regenerated whenever the machine changes.
 *
 * - every state, nested states as composites, `[*] -->` for each initial state and `--> [*]` for
 *   final states;
 * - each transition with a target as an edge labelled `event [guard]` (`always` for eventless
 *   ones), `event (n) [guard]` when the event has several candidates, tried in that order;
 *   `and`/`or`/`not` guards are spelled out, since `machine.toJSON()` drops them;
 * - transitions without a target (they only act, or are ignored) as a note on their state:
 *   `event [guard] / actions`;
 * - transitions of the root, which apply in any state, from a dashed "in any state" node.
 *
 * @example
 * ```ts
 * import { operationMachine } from '../machines/operation.machine.js'
 * const mermaid = machineToMermaid(operationMachine) // 'stateDiagram-v2\n  [*] --> requested\n…'
 * ```
 */
export const machineToMermaid = (machine: AnyStateMachine): string => {
  const root = machine.root
  const anyId = `${safe(machine.id)}__any`
  const idOf = (node: AnyStateNode): string => (node === root ? anyId : node.path.map(safe).join('_'))

  // Each edge is drawn inside the innermost composite holding both ends, where Mermaid lays it out best.
  const edgesIn = new Map<AnyStateNode, string[]>()
  const notesOf = new Map<AnyStateNode, string[]>()
  const push = <K>(map: Map<K, string[]>, key: K, line: string) => map.set(key, [...(map.get(key) ?? []), line])

  for (const node of [root, ...descendants(root)]) {
    // Candidates of one event are tried in order: with more than one, each label tells its rank.
    const ranked = (event: string, candidates: readonly AnyTransitionDefinition[]) =>
      candidates.map((t, i): [string, AnyTransitionDefinition] => [candidates.length > 1 ? `${event} (${i + 1})` : event, t])
    const transitions = [...[...node.transitions].flatMap(([event, candidates]) => ranked(event, candidates)), ...ranked('always', node.always ?? [])]
    for (const [event, t] of transitions) {
      const label = t.guard === undefined ? event : `${event} [${guardLabel(t.guard)}]`
      if (t.target === undefined || t.target.length === 0) {
        const actions = t.actions.map(actionLabel)
        push(notesOf, node, `${label} / ${actions.length === 0 ? '(ignored)' : actions.join(', ')}`)
        continue
      }
      for (const target of t.target) push(edgesIn, node === root ? root : commonComposite(node, target, root), `${idOf(node)} --> ${idOf(target)}: ${label}`)
    }
  }

  const lines = ['stateDiagram-v2']
  const hasAny = [...root.transitions.values()].some((c) => c.length > 0)
  if (hasAny) lines.push(`  state "in any state" as ${anyId}`)
  const render = (parent: AnyStateNode, depth: number): void => {
    const pad = '  '.repeat(depth)
    const initial = parent.initial?.target[0]
    if (parent.type === 'compound' && initial !== undefined) lines.push(`${pad}[*] --> ${idOf(initial)}`)
    const children = Object.values(parent.states)
    children.forEach((child, i) => {
      if (parent.type === 'parallel' && i > 0) lines.push(`${pad}--`)
      if (Object.keys(child.states).length === 0) lines.push(`${pad}state "${child.key}" as ${idOf(child)}`)
      else {
        lines.push(`${pad}state "${child.key}" as ${idOf(child)} {`)
        render(child, depth + 1)
        lines.push(`${pad}}`)
      }
    })
    for (const child of children) if (child.type === 'final') lines.push(`${pad}${idOf(child)} --> [*]`)
    for (const edge of edgesIn.get(parent) ?? []) lines.push(`${pad}${edge}`)
    for (const node of [...(parent === root ? [root] : []), ...children]) {
      const notes = notesOf.get(node)
      if (notes === undefined) continue
      lines.push(`${pad}note right of ${idOf(node)}`, ...notes.map((n) => `${pad}  ${n}`), `${pad}end note`)
    }
  }
  render(root, 1)
  if (hasAny) lines.push('  classDef anyState stroke-dasharray: 5 5', `  class ${anyId} anyState`)
  return `${lines.join('\n')}\n`
}

const actionLabel = (action: unknown): string => {
  if (typeof action === 'string') return action
  if (typeof action === 'object' && action !== null && 'type' in action && typeof action.type === 'string') return action.type
  return typeof action === 'function' && action.name !== '' ? action.name : 'inline'
}

// Mermaid ids: letters, digits and underscores.
const safe = (s: string): string => s.replace(/[^A-Za-z0-9_]/g, '_')

const descendants = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states).flatMap((child) => [child, ...descendants(child)])

// The innermost compound state holding both nodes (the root when none is).
const commonComposite = (a: AnyStateNode, b: AnyStateNode, root: AnyStateNode): AnyStateNode => {
  const ancestors = (n: AnyStateNode): AnyStateNode[] => (n.parent === undefined ? [] : [n.parent, ...ancestors(n.parent)])
  const ofB = new Set(ancestors(b))
  return ancestors(a).find((n) => ofB.has(n)) ?? root
}
