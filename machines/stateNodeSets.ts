import type { AnyStateNode, AnyTransitionDefinition } from 'xstate'

// SCXML's transition domain, exit set and entry set, as XState 5 computes them, for machines
// without history states (machineStep.ts refuses those). Read once per transition and configuration.

/** Whether `node` lies strictly inside `of`. */
export const isDescendant = (node: AnyStateNode, of: AnyStateNode): boolean => {
  let m = node
  while (m.parent !== undefined && m.parent !== of) m = m.parent
  return m.parent === of
}

/** The ancestors of `node` below `upTo` (all of them when `upTo` is undefined), innermost first. */
export const properAncestors = (node: AnyStateNode, upTo: AnyStateNode | undefined): AnyStateNode[] => {
  const out: AnyStateNode[] = []
  if (upTo === node) return out
  for (let m = node.parent; m !== undefined && m !== upTo; m = m.parent) out.push(m)
  return out
}

/** A state's child states. */
export const children = (node: AnyStateNode): AnyStateNode[] => Object.values(node.states)

/** A state and all its descendants, in document order. */
export const allNodes = (node: AnyStateNode): AnyStateNode[] => [node, ...children(node).flatMap(allNodes)]

/** The state whose descendants a transition leaves and enters: its source, or the least common ancestor. */
export const domainOf = (root: AnyStateNode, t: AnyTransitionDefinition): AnyStateNode | undefined => {
  const targets: readonly AnyStateNode[] = t.target ?? []
  if (!t.reenter && targets.every((s) => s === t.source || isDescendant(s, t.source))) return t.source
  const [head, ...tail] = [...targets, t.source]
  const lca = head === undefined ? undefined : properAncestors(head, undefined).find((a) => tail.every((s) => isDescendant(s, a)))
  return lca ?? (t.reenter ? undefined : root)
}

/** The active states (of `active`) a transition leaves. */
export const exitSetOf = (root: AnyStateNode, t: AnyTransitionDefinition, active: readonly AnyStateNode[]): AnyStateNode[] => {
  if ((t.target?.length ?? 0) === 0) return []
  const domain = domainOf(root, t)
  const out = new Set<AnyStateNode>()
  // (XState also adds the domain when a reentering transition's domain is its source; with its
  // domains that never happens: a reentering transition's domain lies above its source.)
  for (const n of active) if (domain === undefined || isDescendant(n, domain)) out.add(n)
  return [...out]
}

/** The states a transition enters, and those of them entered by default (whose initial actions run). */
export const entrySetOf = (root: AnyStateNode, t: AnyTransitionDefinition): { enter: Set<AnyStateNode>; defaults: Set<AnyStateNode> } => {
  const enter = new Set<AnyStateNode>()
  const defaults = new Set<AnyStateNode>()
  const covered = (child: AnyStateNode) => [...enter].some((s) => isDescendant(s, child))
  const addDescendants = (s: AnyStateNode): void => {
    if (s.type === 'compound') {
      const [first] = s.initial.target as AnyStateNode[]
      if (first === undefined) throw new Error(`machineStep: ${s.id} has no initial state`)
      enter.add(first)
      defaults.add(first)
      addDescendants(first)
      addAncestors(properAncestors(first, s), undefined)
    } else if (s.type === 'parallel') {
      for (const child of children(s)) {
        if (covered(child)) continue
        enter.add(child)
        defaults.add(child)
        addDescendants(child)
      }
    }
  }
  const addAncestors = (ancestors: readonly AnyStateNode[], domain: AnyStateNode | undefined): void => {
    for (const a of ancestors) {
      if (domain === undefined || isDescendant(a, domain)) enter.add(a)
      if (a.type !== 'parallel') continue
      for (const child of children(a)) {
        if (covered(child)) continue
        enter.add(child)
        addDescendants(child)
      }
    }
  }
  const domain = domainOf(root, t)
  const targets: readonly AnyStateNode[] = t.target ?? []
  for (const s of targets) {
    if (t.source !== s || t.source !== domain || t.reenter) {
      enter.add(s)
      defaults.add(s)
    }
    addDescendants(s)
  }
  for (const s of targets) {
    const ancestors = properAncestors(s, domain)
    if (domain?.type === 'parallel') ancestors.push(domain)
    addAncestors(ancestors, t.source.parent === undefined && t.reenter ? undefined : domain)
  }
  return { enter, defaults }
}
