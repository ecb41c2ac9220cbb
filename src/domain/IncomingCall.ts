import type { IdentityList } from './Identity.js'

/**
 * Graph's `incomingContext`: on whose behalf and through whom the call came.
 *
 * @example
 * ```ts
 * const forwardedBy = incoming.incomingContext?.transferor?.[0]?.displayName
 * ```
 */
export interface IncomingContext {
  readonly sourceParticipantId?: string
  readonly observedParticipantId?: string
  readonly onBehalfOf?: IdentityList
  readonly transferor?: IdentityList
}

/**
 * A call ringing the bot: Graph's `created` notification with state `incoming`, decoded. The bot
 * must answer, reject or redirect it before `answerDeadline`.
 *
 * @example
 * ```ts
 * orchestrator.subscribe(async (e) => {
 *   if (e.type !== 'incoming') return
 *   const call: IncomingCall = e.incoming
 *   if (call.caller.some((i) => i.kind === 'encrypted')) await orchestrator.reject({ callId: call.callId, body: { reason: 'forbidden' } })
 *   else if (Date.now() < call.answerDeadline) await orchestrator.answer({ callId: call.callId, body: { acceptedModalities: ['audio'], mediaConfig } })
 * })
 * ```
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
