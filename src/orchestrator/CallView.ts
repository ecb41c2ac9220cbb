import type { SnapshotFrom } from 'xstate'
import type { CallMachine } from '../../machines/call.machine.js'
import type { CallKind, CallStateDetail, HoldPolicy, RosterEntry } from '../../machines/callTypes.js'
import { operationStateOf } from '../../machines/callQueries.js'
import { stateName } from '../../machines/stateName.js'
import type { ActionName } from '../domain/ActionName.js'

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
  /**
   * The call machine's state: `incoming.awaitingAnswer`, `incoming.deadlineMissed`, `establishing`,
   * `established.hold.free` (`.holding`, `.held`, `.releasing`; with ` + established.transfer.transferring`
   * while a transfer is under way), `transferAccepted`, `redirecting`, `terminating` or `terminated`.
   */
  readonly state: string
  /** Graph's callState as last told, lower-cased; a value callops does not know is shown as is. */
  readonly graphState?: string
  /** Why the call ended, once `terminated`. */
  readonly termination?: CallStateDetail
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

/** Builds the {@link CallView} of a call machine snapshot. */
export const toCallView = (callId: string, snapshot: SnapshotFrom<CallMachine>): CallView => {
  const c = snapshot.context
  const state = stateName(snapshot.value)
  const phase = (['holding', 'held', 'releasing'] as const).find((p) => snapshot.matches({ established: { hold: p } }))
  const operations: OperationView[] = []
  for (const key in c.inFlight) {
    const f = c.inFlight[key]
    if (f === undefined) continue
    operations.push({
      clientContext: key,
      action: f.action,
      ...(f.participantId === undefined ? {} : { participantId: f.participantId }),
      ...(f.id === undefined ? {} : { id: f.id }),
      state: stateName(operationStateOf(snapshot, key)),
      deadline: f.deadline,
    })
  }
  return {
    callId,
    state,
    ...(c.graphState === undefined ? {} : { graphState: c.graphState }),
    ...(c.termination === undefined ? {} : { termination: c.termination }),
    kind: c.kind,
    holdPolicy: c.holdPolicy,
    ...(c.hold !== undefined && phase !== undefined
      ? { hold: { participantId: c.hold.participantId, phase } }
      : {}),
    holdQueue: c.queue.map((q) => ({ clientContext: q.clientContext, participantId: q.participantId })),
    roster: Object.values(c.roster),
    ...(c.botMuted === undefined ? {} : { botMuted: c.botMuted }),
    operations,
  }
}
