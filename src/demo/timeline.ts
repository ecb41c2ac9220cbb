import * as E from 'fp-ts/lib/Either.js'
import type { OrchestratorEvent } from '../runtime/OrchestratorEvent.js'

/** One line of the demo's timeline. */
export interface TimelineEntry {
  /** Milliseconds since the demo started. */
  readonly t: number
  readonly callId: string
  readonly participant?: string
  readonly operation?: string
  /** What happened, e.g. `requested → running`, or a narrated step. */
  readonly what: string
}

/** Remembers which operation is which, to print `startHoldMusic` next to its clientContext. */
export interface OperationIndex {
  readonly action: Map<string, string>
  readonly participant: Map<string, string>
}

/** Turns an orchestrator event into a timeline entry (or none, for the machine's internal steps). */
export const toTimelineEntry = (
  e: OrchestratorEvent,
  t: number,
  index: OperationIndex,
  name: (participantId: string | undefined) => string | undefined,
): TimelineEntry | undefined => {
  const base = (clientContext: string, participantId?: string) => {
    const p = name(participantId ?? index.participant.get(clientContext))
    const op = index.action.get(clientContext)
    return { t, callId: e.callId, ...(p === undefined ? {} : { participant: p }), ...(op === undefined ? {} : { operation: op }) }
  }
  switch (e.type) {
    case 'request':
      index.action.set(e.clientContext, e.action)
      if (e.participantId !== undefined) index.participant.set(e.clientContext, e.participantId)
      return { ...base(e.clientContext, e.participantId), what: 'requested: HTTP request sent' }
    case 'answer':
      if (e.error !== undefined) return { ...base(e.clientContext), what: `HTTP failed: ${e.error._tag}` }
      return {
        ...base(e.clientContext),
        what: `HTTP ${e.httpStatus ?? '?'}${(e.attempts ?? 1) > 1 ? ` after ${e.attempts} attempts (retried)` : ''}`,
      }
    case 'settled':
      return {
        ...base(e.clientContext),
        what: E.isRight(e.result) ? `→ ${e.result.right.status}` : `→ refused/failed: ${e.result.left._tag} (${e.result.left.message})`,
      }
    case 'incoming': {
      const who = e.incoming.caller.find((i) => i.kind !== 'encrypted') ?? e.incoming.caller[0]
      return { t, callId: e.callId, what: `☎ rings the bot: ${who?.displayName ?? 'someone'} (${who?.kind ?? '?'} ${who?.id ?? ''})` }
    }
    case 'callState':
      return { t, callId: e.callId, what: `Graph: call ${e.previous === undefined ? '' : `${e.previous} → `}${e.state}` }
    case 'tone':
      return { t, callId: e.callId, what: `caller pressed ${e.tone}` }
    case 'participantJoined': {
      const p = name(e.participant.id) ?? e.participant.displayName
      return { t, callId: e.callId, ...(p === undefined ? {} : { participant: p }), what: 'joined the call' }
    }
    case 'callActionSettled':
      return { t, callId: e.callId, what: `${e.action} ${E.isRight(e.result) ? `→ ${e.result.right.state}` : `→ refused/failed: ${e.result.left._tag} (${e.result.left.message})`}` }
    case 'terminated': {
      const r = e.resultInfo
      return { t, callId: e.callId, what: `call ended${r === undefined ? '' : ` (${r.code}/${r.subcode ?? '-'}${r.message === undefined ? '' : ` ${r.message}`})`}${e.terminationReason === undefined ? '' : ` ${e.terminationReason}`}` }
    }
    case 'lateOutcome':
      return { ...base(e.clientContext), what: `late outcome: ${e.operation.status}` }
    case 'transition':
      if (e.clientContext !== undefined && e.action !== undefined) {
        index.action.set(e.clientContext, e.action)
        if (e.participantId !== undefined) index.participant.set(e.clientContext, e.participantId)
      }
      // Only the hold slot's moves are worth a line; the rest shows in the operation lines.
      if (e.event === 'operation.requested' || e.event === 'operation.ended' || e.event === 'roster.removed' || e.event === 'call.terminated') {
        return { t, callId: e.callId, what: `call is ${e.state}` }
      }
      return undefined
    default:
      return undefined
  }
}

const pad = (s: string, n: number): string => (s.length >= n ? s : s + ' '.repeat(n - s.length))

/** A readable line: `  +0.012s  call 1a2b3c  Alice            startHoldMusic   → completed`. */
export const formatEntry = (e: TimelineEntry): string =>
  `  +${(e.t / 1000).toFixed(3)}s  call ${e.callId.slice(0, 8)}  ${pad(e.participant ?? '', 16)} ${pad(e.operation ?? '', 18)} ${e.what}`

/** A small table: rows of label and value, aligned. */
export const formatTable = (title: string, rows: readonly (readonly [string, string | number])[]): string => {
  const width = Math.max(...rows.map(([k]) => k.length), 8)
  return [`${title}`, ...rows.map(([k, v]) => `  ${pad(k, width)}  ${v}`)].join('\n')
}
