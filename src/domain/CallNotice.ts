import type { OperationReport } from './Operation.js'

/** Whether unmute is allowed: Graph supports it in group calls only. */
export type CallKind = 'group' | 'peerToPeer' | 'unknown'

/** One participant as the call knows it from roster notifications. */
export interface RosterEntry {
  readonly id: string
  readonly displayName?: string
  readonly isMuted?: boolean
  readonly isInLobby?: boolean
}

/**
 * What a notification from Graph tells one call, decoded and normalised (ids canonical). The
 * notification pipeline produces these; the call machine accepts them as events.
 */
export type CallNotice =
  | { readonly type: 'notification.operation'; readonly report: OperationReport }
  | { readonly type: 'roster.updated'; readonly participants: readonly RosterEntry[] }
  | { readonly type: 'roster.removed'; readonly participantIds: readonly string[] }
  | { readonly type: 'call.updated'; readonly kind?: CallKind; readonly state?: string }
  | { readonly type: 'call.terminated' }
