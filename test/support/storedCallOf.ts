import * as E from 'fp-ts/lib/Either.js'
import { decodeCallSnapshot, type DecodedCallSnapshot } from '../../src/codecs/StoredCallSnapshot.js'
import { knownStates } from '../../src/runtime/knownStates.js'
import type { StoredCall } from '../../src/stores/SnapshotStore.js'

/** The call machine's snapshot inside what a store holds for a call, decoded as callops reads it. */
export const storedCallOf = (stored: StoredCall | undefined): DecodedCallSnapshot => {
  if (stored === undefined) throw new Error('no call stored')
  const decoded = decodeCallSnapshot(stored.snapshot, knownStates)
  if (E.isLeft(decoded)) throw new Error(decoded.left.message)
  return decoded.right
}
