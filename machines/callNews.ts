import type { RosterEntry, ToneReceived } from '../src/domain/CallNotice.js'
import type { IdentityList } from '../src/domain/Identity.js'
import type { IncomingCall } from '../src/domain/IncomingCall.js'
import type { ResultInfo } from '../src/domain/ResultInfo.js'

/**
 * What happened to a call that bot code may act on. The call machine emits each once (a
 * notification Graph repeats is not news again); the orchestrator publishes it with the call's id.
 *
 * @example
 * ```ts
 * const describe = (news: CallNews): string => (news.type === 'terminated' ? `ended ${news.resultInfo?.code ?? ''}` : news.type)
 * ```
 */
export type CallNews =
  | {
      /** A call rings the bot: answer, reject or redirect it before `incoming.answerDeadline`. */
      readonly type: 'incoming'
      readonly incoming: IncomingCall
    }
  | {
      /** Graph told a new callState (lower-cased); `known` is false for a value callops does not know, which is kept. */
      readonly type: 'callState'
      readonly state: string
      readonly previous?: string
      readonly known: boolean
    }
  | {
      /** `mediaState.audio` changed (`active`, `inactive`, or a later value). */
      readonly type: 'mediaState'
      readonly audio: string
      readonly previous?: string
    }
  | {
      /** A DTMF key, once each and in `sequenceId` order (see toneOrder.ts). */
      readonly type: 'tone'
      /** `tone0`–`tone9`, `star`, `pound`, `a`–`d`, `flash`, or a later value (kept). */
      readonly tone: ToneReceived['tone']
      readonly sequenceId?: number
    }
  | {
      /** A participant appeared in the roster. */
      readonly type: 'participantJoined'
      readonly participant: RosterEntry
    }
  | {
      /** A participant left the roster; `identity` and `displayName` as the roster last told them. */
      readonly type: 'participantLeft'
      readonly participantId: string
      readonly identity?: IdentityList
      readonly displayName?: string
    }
  | {
      /** The call ended; every pending operation ends `CallEnded`. */
      readonly type: 'terminated'
      readonly resultInfo?: ResultInfo
      readonly terminationReason?: string
    }

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
