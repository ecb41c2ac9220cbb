import type { SnapshotFrom } from 'xstate'
import type { CallMachine } from '../../machines/call.machine.js'
import type { CallKind, HoldPolicy, RosterEntry } from '../../machines/callTypes.js'
import type { ActionName } from '../graph/actionCatalog.js'

/** One operation of a call as {@link CallView} shows it. */
export interface OperationView {
  readonly clientContext: string
  readonly action: ActionName
  readonly participantId?: string
  /** Graph's operation id, once known. */
  readonly id?: string
  /** `requested`, `running`, or `failed.timedOut` for one still waiting for a late outcome. */
  readonly state: string
  readonly deadline: number
}

/** A read-only picture of one call: roster, hold slot, queue and operations in flight. */
export interface CallView {
  readonly callId: string
  /** `active.free`, `active.holding`, `active.held`, `active.releasing` or `ended`. */
  readonly state: string
  readonly kind: CallKind
  readonly holdPolicy: HoldPolicy
  /** Who holds the hold slot, and how far the hold is. */
  readonly hold?: { readonly participantId: string; readonly phase: 'holding' | 'held' | 'releasing' }
  /** Hold requests waiting for the slot, in order. */
  readonly holdQueue: readonly { readonly clientContext: string; readonly participantId: string }[]
  readonly roster: readonly RosterEntry[]
  readonly botMuted?: boolean
  readonly operations: readonly OperationView[]
}

/** `{ active: 'held' }` → `active.held`. */
export const stateName = (value: unknown): string => {
  if (typeof value === 'string') return value
  if (value === null || typeof value !== 'object') return String(value)
  const [k, v] = Object.entries(value)[0] ?? ['', '']
  const inner = stateName(v)
  return inner === '' ? k : `${k}.${inner}`
}

/** Builds the {@link CallView} of a call machine snapshot. */
export const toCallView = (callId: string, snapshot: SnapshotFrom<CallMachine>): CallView => {
  const c = snapshot.context
  const state = stateName(snapshot.value)
  const phase = state.startsWith('active.') ? state.slice(7) : undefined
  const operations: OperationView[] = []
  for (const key in c.inFlight) {
    const f = c.inFlight[key]
    if (f === undefined) continue
    const child = snapshot.children[key]
    operations.push({
      clientContext: key,
      action: f.action,
      ...(f.participantId === undefined ? {} : { participantId: f.participantId }),
      ...(f.id === undefined ? {} : { id: f.id }),
      state: child === undefined ? 'unknown' : stateName(child.getSnapshot().value),
      deadline: f.deadline,
    })
  }
  return {
    callId,
    state,
    kind: c.kind,
    holdPolicy: c.holdPolicy,
    ...(c.hold !== undefined && (phase === 'holding' || phase === 'held' || phase === 'releasing')
      ? { hold: { participantId: c.hold.participantId, phase } }
      : {}),
    holdQueue: c.queue.map((q) => ({ clientContext: q.clientContext, participantId: q.participantId })),
    roster: Object.values(c.roster),
    ...(c.botMuted === undefined ? {} : { botMuted: c.botMuted }),
    operations,
  }
}
