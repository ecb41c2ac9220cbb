import type { AnyStateNode } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import { operationMachine } from '../../machines/operation.machine.js'
import type { KnownStates } from '../codecs/StoredCallSnapshot.js'

const leaves = (node: AnyStateNode): string[] => {
  const children = Object.values(node.states)
  return children.length === 0 ? [node.path.join('.')] : children.flatMap(leaves)
}

/** The state paths today's machines have: a stored snapshot in any other state is refused. */
export const knownStates: KnownStates = {
  call: new Set(leaves(callMachine.root)),
  operation: new Set(leaves(operationMachine.root)),
}
