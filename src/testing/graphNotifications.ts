/**
 * Builders of the notification bodies Graph POSTs to a bot's callback URL, spelled as the Graph
 * docs show them. Feed them to `orchestrator.handleNotification(body, headers)` (with
 * `notificationAuth: false`) to test a bot's reaction without the simulator.
 */

/** A JSON object as Graph sends it. */
export type GraphJson = Record<string, unknown>

/** What {@link operationNotification} needs. */
export interface OperationNotice {
  readonly callId: string
  /** Graph's operation id; `null` as in the documented invite completion. */
  readonly operationId: string | null
  readonly clientContext?: string
  /** `completed` (default) or `failed`. */
  readonly status?: string
  readonly resultInfo?: { readonly code: number; readonly subcode?: number; readonly message?: string }
  /** Default `#microsoft.graph.startHoldMusicOperation`. */
  readonly odataType?: string
}

/**
 * The end of an operation: `changeType: deleted` on `…/operations/{id}` with the operation.
 *
 * @example
 * ```ts
 * await orchestrator.handleNotification(
 *   notificationBatch(operationNotification({ callId, operationId, clientContext: 'hold-1' })),
 *   { 'content-type': 'application/json' },
 * )
 * ```
 */
export const operationNotification = (n: OperationNotice): GraphJson => ({
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'deleted',
  resourceUrl: `communications/calls/${n.callId}/operations/${n.operationId ?? 'participants'}`,
  resourceData: {
    '@odata.type': n.odataType ?? '#microsoft.graph.startHoldMusicOperation',
    id: n.operationId,
    status: n.status ?? 'completed',
    ...(n.clientContext === undefined ? {} : { clientContext: n.clientContext }),
    ...(n.resultInfo === undefined ? {} : { resultInfo: n.resultInfo }),
  },
})

/** The `commsNotifications` body that carries one or more notifications (of one call or several). */
export const notificationBatch = (...value: GraphJson[]): GraphJson => ({
  '@odata.type': '#microsoft.graph.commsNotifications',
  value,
})

/** The call has ended (`state: terminated`): every pending operation of it ends `CallEnded`. */
export const callTerminated = (callId: string): GraphJson => ({
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'deleted',
  resourceUrl: `/communications/calls/${callId}`,
  resourceData: { '@odata.type': '#microsoft.graph.call', state: 'terminated' },
})

/** Participants joined or changed (`changeType: updated` on `…/participants`). */
export const rosterUpdated = (
  callId: string,
  participants: readonly { readonly id: string; readonly displayName?: string; readonly isMuted?: boolean }[],
): GraphJson => ({
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'updated',
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: participants.map((p) => ({
    '@odata.type': '#microsoft.graph.participant',
    id: p.id,
    ...(p.displayName === undefined ? {} : { info: { identity: { user: { displayName: p.displayName } } } }),
    ...(p.isMuted === undefined ? {} : { isMuted: p.isMuted }),
    isInLobby: false,
  })),
})

/** Participants left (`changeType: deleted` on `…/participants`): a hold of theirs frees the slot. */
export const rosterLeft = (callId: string, ...participantIds: string[]): GraphJson => ({
  '@odata.type': '#microsoft.graph.commsNotification',
  changeType: 'deleted',
  resourceUrl: `/communications/calls/${callId}/participants`,
  resourceData: participantIds.map((id) => ({ '@odata.type': '#microsoft.graph.participant', id })),
})
