export type { CallNews } from '../src/domain/CallNews.js'

// Graph's documented callState values (lower-cased, as notices carry them), by how far along a call
// they are: a state of a lower rank than one already told is stale (establishing after established).
const callStateRank: Readonly<Record<string, number>> = {
  incoming: 0,
  establishing: 1,
  ringing: 1,
  redirecting: 1,
  established: 2,
  hold: 2,
  transferring: 2,
  transferaccepted: 3,
  terminating: 4,
  terminated: 5,
}

/**
 * Whether callops knows a callState value (a later one is kept and reported all the same).
 *
 * @example
 * ```ts
 * isKnownCallState('transferaccepted') // true
 * isKnownCallState('parked') // false: kept and reported as `callState` with known: false
 * ```
 */
export const isKnownCallState = (state: string): boolean => Object.prototype.hasOwnProperty.call(callStateRank, state)

/**
 * Whether `state` comes before `current` in a call's life, so arriving now it is out of order and moves nothing.
 *
 * @example
 * ```ts
 * isStaleCallState('establishing', 'established') // true: Graph may send them out of order; the older is dropped
 * isStaleCallState('terminated', 'established') // false
 * ```
 */
export const isStaleCallState = (state: string, current: string | undefined): boolean => {
  if (current === undefined || !isKnownCallState(state) || !isKnownCallState(current)) return false
  return (callStateRank[state] ?? 0) < (callStateRank[current] ?? 0)
}
