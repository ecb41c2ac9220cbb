import type { IdentityList } from './Identity.js'

/** Graph's `incomingContext`: on whose behalf and through whom the call came. */
export interface IncomingContext {
  readonly sourceParticipantId?: string
  readonly observedParticipantId?: string
  readonly onBehalfOf?: IdentityList
  readonly transferor?: IdentityList
}

/**
 * A call ringing the bot: Graph's `created` notification with state `incoming`, decoded. The bot
 * must answer, reject or redirect it before `answerDeadline`.
 */
export interface IncomingCall {
  /** The call's canonical id. */
  readonly callId: string
  /** The caller (`source.identity`); `encrypted` unless the app may see who calls. */
  readonly caller: IdentityList
  /** Whom the call is for (`targets[].identity`): the bot's application or application instance. */
  readonly callees: readonly IdentityList[]
  /** `incoming` for calls ringing the bot; kept as Graph spelt it. */
  readonly direction?: string
  readonly incomingContext?: IncomingContext
  /** Present for group calls and meetings the bot is invited to (opaque to callops). */
  readonly chatInfo?: Readonly<Record<string, unknown>>
  readonly meetingInfo?: Readonly<Record<string, unknown>>
  /** Epoch milliseconds: 15 s after the notification arrived (5 s for policy-based recording). */
  readonly answerDeadline: number
}
