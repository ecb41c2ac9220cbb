import { canonicalId } from '../../src/domain/canonicalId.js'
import type { RosterArrival } from './teeArrivals.js'

/** The roster notifications of one call that reached the bot: how many whole rosters, how many of them listed each participant, and who a `deleted` one said had left. */
export interface RosterHeard {
  rosters: number
  readonly listed: Map<string, number>
  readonly left: Set<string>
}

/** Counts one roster notification that reached the bot (see {@link teeArrivals}). */
export const noteRosterArrival = (heard: Map<string, RosterHeard>, callId: string, arrival: RosterArrival): void => {
  const of = heard.get(callId) ?? { rosters: 0, listed: new Map<string, number>(), left: new Set<string>() }
  heard.set(callId, of)
  if (arrival.kind === 'left') {
    for (const id of arrival.participantIds) of.left.add(id)
    return
  }
  of.rosters++
  for (const id of new Set(arrival.participantIds)) of.listed.set(id, (of.listed.get(id) ?? 0) + 1)
}

/**
 * Whether a notification that reached the bot told it that `participantId` left the call: a
 * `deleted` roster naming them, or a whole roster without them. (The run holds only participants
 * who were in the call from its start, a chaos call's customers or a whole call's caller, so a
 * whole roster that leaves one out was made after they left, whatever order rosters arrive in.)
 */
export const leaveReachedBot = (heard: ReadonlyMap<string, RosterHeard>, callId: string, participantId: string): boolean => {
  const of = heard.get(canonicalId(callId))
  const id = canonicalId(participantId)
  return of !== undefined && (of.left.has(id) || (of.listed.get(id) ?? 0) < of.rosters)
}
