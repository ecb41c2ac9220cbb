import type { OperationReport } from './Operation.js'
import type { IdentityList } from './Identity.js'
import type { IncomingCall } from './IncomingCall.js'
import type { ResultInfo } from './ResultInfo.js'

/** Whether unmute is allowed: Graph supports it in group calls only. */
export type CallKind = 'group' | 'peerToPeer' | 'unknown'

/** One participant as the call knows it from roster notifications. */
export interface RosterEntry {
  readonly id: string
  readonly displayName?: string
  readonly isMuted?: boolean
  readonly isInLobby?: boolean
  /** Who the participant is (`info.identity`), when the roster said. */
  readonly identity?: IdentityList
}

/**
 * A DTMF key Graph reported after `subscribeToTone` (`toneInfo`).
 *
 * @example
 * ```ts
 * const tone: ToneReceived = { tone: 'pound', sequenceId: 3 }
 * ```
 */
export interface ToneReceived {
  /** `tone0`–`tone9`, `star`, `pound`, `a`–`d`, `flash`, or a value Graph added later (kept). */
  readonly tone: string
  /** Graph's incremental identifier for ordering tones; absent in some payloads. */
  readonly sequenceId?: number
}

/**
 * What a call-state notification said beyond the state.
 *
 * @example
 * ```ts
 * orchestrator.getCall(callId)?.termination?.resultInfo?.code // e.g. 200 with subcode 5001: the conversation ended
 * ```
 */
export interface CallStateDetail {
  readonly resultInfo?: ResultInfo
  readonly terminationReason?: string
  /** `mediaState.audio`: `active`, `inactive` or a later value. */
  readonly audio?: string
}

/**
 * What a notification from Graph tells one call, decoded and normalised (ids canonical). The
 * notification pipeline produces these; the call machine accepts them as events.
 *
 * @example
 * ```ts
 * // What a call-state notification with a key press becomes (the call machine's input):
 * const notice: CallNotice = { type: 'call.updated', state: 'established', tone: { tone: 'tone1', sequenceId: 1 } }
 * actor.send(notice)
 * ```
 */
export type CallNotice =
  | { readonly type: 'notification.operation'; readonly report: OperationReport }
  | {
      readonly type: 'roster.updated'
      readonly participants: readonly RosterEntry[]
      /**
       * The whole roster, not only changes: every participant listed has an id and the bot itself is
       * among them (graph-call-lifecycle.md §7: v1.0 rosters list everyone, the bot included). A
       * participant the call knew that is missing from it has left.
       */
      readonly full?: true
    }
  | { readonly type: 'roster.removed'; readonly participantIds: readonly string[] }
  | {
      readonly type: 'call.updated'
      readonly kind?: CallKind
      /** Graph's callState, lower-cased; a value callops does not know is kept. */
      readonly state?: string
      readonly detail?: CallStateDetail
      /** `toneInfo` of the update (Graph sends each key as a call update). */
      readonly tone?: ToneReceived
    }
  | { readonly type: 'call.incoming'; readonly incoming: IncomingCall }
  | { readonly type: 'call.terminated'; readonly detail?: CallStateDetail }
