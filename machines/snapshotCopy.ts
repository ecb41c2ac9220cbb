import type { AnyMachineSnapshot, AnyStateMachine, AnyStateNode } from 'xstate'

/** The state a step ends in, when it differs from the snapshot's: its nodes, state value and tags. */
export interface SnapshotState {
  readonly nodes: readonly AnyStateNode[]
  readonly value: unknown
  readonly tags: ReadonlySet<string>
}

/** A copy of `snapshot` with `context`, and with `state` when the step changed it. */
export type SnapshotCopy = <S extends AnyMachineSnapshot>(snapshot: S, context: unknown, state: SnapshotState | undefined) => S

// XState 5's snapshot as its createMachineSnapshot builds it, key for key.
const XSTATE_KEYS = 'status,output,error,machine,context,_nodes,value,tags,children,historyValue,matches,hasTag,can,getMeta,toJSON'

type Fields = AnyMachineSnapshot & { readonly _nodes: readonly AnyStateNode[] }

// An object literal of that shape is built in ≈ 30 ns; a spread of a snapshot that was itself made
// by a spread took ≈ 360 ns (node microbenchmark), nine tenths of the compiled step's own time.
const literalCopy = <S extends AnyMachineSnapshot>(snapshot: S, context: unknown, state: SnapshotState | undefined): S => {
  const s = snapshot as unknown as Fields
  return {
    status: s.status,
    output: s.output,
    error: s.error,
    machine: s.machine,
    context,
    _nodes: state === undefined ? s._nodes : state.nodes,
    value: state === undefined ? s.value : state.value,
    tags: state === undefined ? s.tags : state.tags,
    children: s.children,
    historyValue: s.historyValue,
    matches: s.matches,
    hasTag: s.hasTag,
    can: s.can,
    getMeta: s.getMeta,
    toJSON: s.toJSON,
  } as unknown as S
}

const spreadCopy = <S extends AnyMachineSnapshot>(snapshot: S, context: unknown, state: SnapshotState | undefined): S =>
  (state === undefined ? { ...snapshot, context } : { ...snapshot, context, _nodes: state.nodes, value: state.value, tags: state.tags }) as S

/**
 * How the compiled step copies `machine`'s snapshots: as a literal of XState's own shape when the
 * machine's snapshots have exactly that shape (asked of XState once, here), else by a spread that
 * keeps every key.
 */
export const snapshotCopyFor = (machine: AnyStateMachine): SnapshotCopy => {
  try {
    const probe: unknown = machine.resolveState({ value: {}, context: {} })
    return typeof probe === 'object' && probe !== null && Object.keys(probe).join(',') === XSTATE_KEYS ? literalCopy : spreadCopy
  } catch {
    return spreadCopy
  }
}
