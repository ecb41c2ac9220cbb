import type { InvitationParticipantInfo, OperationType } from '../codecs/CommsOperation.js'
import type { ActionName } from '../graph/actionCatalog.js'
import type { Prng } from './createPrng.js'
import type { SimulatorFaults } from './SimulatorFaults.js'

/**
 * One hold of one participant: from the successful startHoldMusic to its stop, leave or hang-up.
 *
 * @example
 * ```ts
 * const holds = sim.holds(callId)
 * if (E.isRight(holds)) console.log(holds.right.filter((h) => h.end === undefined).length <= 1) // never two on hold at once
 * ```
 */
export interface HoldInterval {
  readonly participantId: string
  /** Epoch milliseconds. */
  readonly start: number
  /** Epoch milliseconds; absent while the participant is on hold. */
  readonly end?: number
}

/** A participant of a simulated call. */
export interface SimParticipant {
  readonly id: string
  readonly userId: string
  readonly displayName: string
  isMuted: boolean
  /** Index of the open interval in the call's holds, or -1. */
  holdIndex: number
}

/** An operation the simulator has answered and not ended yet. */
export interface SimOperation {
  readonly id: string
  readonly action: ActionName
  /** The subtype its answer and completion carry in `@odata.type`. */
  readonly operationType: OperationType
  readonly participantId?: string
  readonly clientContext: string | null
  /** inviteParticipants: who was invited (they join when the operation completes). */
  readonly invitees?: readonly InvitationParticipantInfo[]
  /** Drawn when the request arrived, so timers do not shift the call's draws. */
  readonly fails: boolean
  /** inviteParticipants: complete in the documented `"id": null` form. */
  readonly idNull: boolean
  readonly startedAt: number
  timer?: NodeJS.Timeout
}

/**
 * The call states the simulator plays, as Graph's `callState` spells them. Calls made with
 * `createCall` start `established`; rung calls start `incoming`, outgoing ones `establishing`.
 *
 * @example
 * ```ts
 * const view = sim.call(callId)
 * const state: SimCallState | undefined = E.isRight(view) ? view.right.state : undefined
 * ```
 */
export type SimCallState = 'incoming' | 'establishing' | 'established' | 'transferring' | 'transferAccepted' | 'terminating' | 'terminated'

/**
 * Who calls in a rung call: a Teams user or a phone number.
 *
 * @example
 * ```ts
 * const view = sim.call(callId)
 * if (E.isRight(view) && view.right.caller?.kind === 'phone') console.log('a PSTN caller', view.right.caller.id)
 * ```
 */
export interface SimCaller {
  readonly kind: 'user' | 'phone'
  readonly id: string
  readonly displayName?: string
}

/** The simulator's state of one call. Internal: the public view is {@link SimCallView}. */
export interface SimCall {
  readonly id: string
  /** answer's `callbackUri` replaces it for the rest of the call, as the docs say. */
  callbackUrl: string
  readonly group: boolean
  state: SimCallState
  readonly direction: 'incoming' | 'outgoing'
  /** Rung calls: who calls. */
  caller?: SimCaller
  /** Answered or created with appHostedMediaConfig: the bot hosts the media, Graph sends it no tones. */
  appHostedMedia: boolean
  /** Set once subscribeToTone completed: pressed keys are notified from then on. */
  tonesSubscribed: boolean
  /** The last `toneInfo.sequenceId` sent. */
  toneSequence: number
  /** Rung calls: ends the call if it is still `incoming` when the answer deadline passes. */
  answerTimer?: NodeJS.Timeout
  readonly participants: Map<string, SimParticipant>
  readonly bot: { readonly id: string; isMuted: boolean }
  readonly holds: { participantId: string; start: number; end?: number }[]
  readonly pending: Map<string, SimOperation>
  readonly ended: { completed: number; failed: number }
  faults: SimulatorFaults | undefined
  /** Chance for requests of this call. */
  readonly rand: Prng
  /** Chance for notifications of this call (a separate stream, so timers do not shift request draws). */
  readonly notifyRand: Prng
  readonly createdAt: number
  endedAt?: number
}

/**
 * A participant as the admin API shows it.
 *
 * @example
 * ```ts
 * const view = sim.call(callId)
 * if (E.isRight(view)) console.log(view.right.participants.filter((p) => p.onHold).map((p) => p.displayName))
 * ```
 */
export interface SimParticipantView {
  readonly id: string
  readonly displayName: string
  readonly isMuted: boolean
  readonly onHold: boolean
}

/**
 * An operation not ended yet, as the admin API shows it.
 *
 * @example
 * ```ts
 * const view = sim.call(callId)
 * if (E.isRight(view)) for (const op of view.right.pendingOperations) console.log(op.action, op.participantId ?? '', op.clientContext)
 * ```
 */
export interface SimOperationView {
  readonly id: string
  readonly action: ActionName
  readonly participantId?: string
  readonly clientContext: string | null
}

/**
 * A simulated call as `GET /_sim/calls/{id}` and `simulator.call(id)` show it.
 *
 * @example
 * ```ts
 * const view = sim.call(callId)
 * if (E.isRight(view)) console.log(view.right.state, view.right.participants.length, view.right.pendingOperations.length)
 * ```
 */
export interface SimCallView {
  readonly callId: string
  readonly state: SimCallState
  readonly direction: 'incoming' | 'outgoing'
  /** Rung calls: who calls. */
  readonly caller?: SimCaller
  readonly group: boolean
  readonly callbackUrl: string
  /** The bot's own participant id (it shows in roster updates; unmute and mute act on it). */
  readonly botParticipantId: string
  readonly botMuted: boolean
  readonly participants: readonly SimParticipantView[]
  readonly pendingOperations: readonly SimOperationView[]
  readonly endedOperations: { readonly completed: number; readonly failed: number }
  readonly holds: readonly HoldInterval[]
  readonly createdAt: number
  readonly endedAt?: number
}

/** Copies the hold intervals of a call. */
export const holdsOf = (call: SimCall): HoldInterval[] =>
  call.holds.map((h) => (h.end === undefined ? { participantId: h.participantId, start: h.start } : { ...h }))

/** The public view of a call. */
export const viewOf = (call: SimCall): SimCallView => {
  const view = {
    callId: call.id,
    state: call.state,
    direction: call.direction,
    group: call.group,
    callbackUrl: call.callbackUrl,
    botParticipantId: call.bot.id,
    botMuted: call.bot.isMuted,
    participants: [...call.participants.values()].map((p) => ({
      id: p.id,
      displayName: p.displayName,
      isMuted: p.isMuted,
      onHold: p.holdIndex >= 0,
    })),
    pendingOperations: [...call.pending.values()].map((o) =>
      o.participantId === undefined
        ? { id: o.id, action: o.action, clientContext: o.clientContext }
        : { id: o.id, action: o.action, participantId: o.participantId, clientContext: o.clientContext },
    ),
    endedOperations: { ...call.ended },
    holds: holdsOf(call),
    createdAt: call.createdAt,
  }
  const withCaller = call.caller === undefined ? view : { ...view, caller: call.caller }
  return call.endedAt === undefined ? withCaller : { ...withCaller, endedAt: call.endedAt }
}
