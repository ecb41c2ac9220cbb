import type { RosterEntry } from '../domain/CallNotice.js'
import { canonicalId } from '../domain/canonicalId.js'
import type { Mutable } from '../domain/Mutable.js'
import type { Participant } from './Participant.js'
import { toIdentityList } from './toIdentityList.js'

/**
 * A roster participant as the call knows it: id canonical, display name, mute and lobby flags, and
 * who it is. `undefined` for a participant without an id: the invite pages print the participant
 * an invite is still bringing in with `"id": null`. Such an entry names nobody callops could act
 * on (every participant action needs the id) and cannot be matched with the later roster that
 * gives the id, so it is left out rather than kept under a made-up key.
 *
 * @example
 * ```ts
 * toRosterEntry({ id: 'P1', info: { identity: { user: { id: 'u', displayName: 'Ann' } } } })
 * // { id: 'p1', displayName: 'Ann', identity: [{ kind: 'user', id: 'u', displayName: 'Ann' }] }
 * ```
 */
export const toRosterEntry = (p: Participant): RosterEntry | undefined => {
  if (p.id === null) return undefined
  const set = p.info?.identity
  const entry: Mutable<RosterEntry> = { id: canonicalId(p.id) }
  const name = set?.user?.displayName ?? set?.application?.displayName ?? set?.phone?.displayName
  if (typeof name === 'string') entry.displayName = name
  if (p.isMuted !== undefined) entry.isMuted = p.isMuted
  if (p.isInLobby !== undefined) entry.isInLobby = p.isInLobby
  if (set !== undefined && set !== null) {
    const identity = toIdentityList(set)
    if (identity.length > 0) entry.identity = identity
  }
  return entry
}
