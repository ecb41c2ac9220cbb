import type { CallActionEffect, CallContext, PendingCallAction } from '../../machines/callTypes.js'
import { outcomeUnknown } from '../domain/CallOpsError.js'

/** What `restore()` does with a call action whose sender died before Graph's HTTP answer. */
export type CallActionOnRestore =
  /** Resend it (same clientContext, so the same `client-request-id`). */
  | CallActionEffect
  /** Settle it now: Graph may or may not have taken it, and resending is not safe. */
  | { readonly type: 'callAction.rejected'; readonly clientContext: string; readonly error: ReturnType<typeof outcomeUnknown> }
  /** Leave it to the call's state, which already shows it under way (or its deadline). */
  | { readonly type: 'wait' }

const resend = (clientContext: string, p: PendingCallAction): CallActionEffect => ({
  type: 'effect.callAction',
  clientContext,
  action: p.action,
  ...(p.participantId === undefined ? {} : { participantId: p.participantId }),
  ...(p.body === undefined ? {} : { body: p.body }),
})

/**
 * The decision per call action (docs/reliability.md, "Call actions after a restart"):
 * - hangUp and removeParticipant are DELETEs: a second one ends or removes nothing more (a 404 of a
 *   hang-up says the call ended): always resent;
 * - answer, reject and redirect are resent while the call is still ringing as far as the store
 *   knows (the first may never have reached Graph; once Graph acts, the state settles it); once the
 *   call moved on, its state settles them;
 * - transfer is not resent (a second one could meet a transfer under way): while the call shows
 *   `transferring` or `transferAccepted` its state settles it, otherwise it settles `OutcomeUnknown`;
 * - createCall never gets here: it is recorded only after Graph's 201.
 *
 * @example
 * ```ts
 * callActionOnRestore(context, 'hangup-1', { action: 'hangUp', deadline }) // { type: 'effect.callAction', action: 'hangUp', ... }
 * ```
 */
export const callActionOnRestore = (context: CallContext, clientContext: string, p: PendingCallAction): CallActionOnRestore => {
  const state = context.graphState
  switch (p.action) {
    case 'hangUp':
    case 'removeParticipant':
      return resend(clientContext, p)
    case 'answer':
    case 'reject':
    case 'redirect':
      return state === undefined || state === 'incoming' ? resend(clientContext, p) : { type: 'wait' }
    case 'transfer':
      return state === 'transferring' || state === 'transferaccepted' ? { type: 'wait' } : { type: 'callAction.rejected', clientContext, error: outcomeUnknown(context.callId, 'transfer') }
    case 'createCall':
      return { type: 'wait' }
  }
}
