import type { RosterEntry, ToneReceived } from './CallNotice.js'
import type { IdentityList } from './Identity.js'
import type { IncomingCall } from './IncomingCall.js'
import type { ResultInfo } from './ResultInfo.js'

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
