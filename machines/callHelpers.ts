import type { CallOpsError } from '../src/domain/CallOpsError.js'
import type { IdentityList } from '../src/domain/Identity.js'
import type { OperationReport } from '../src/domain/Operation.js'
import type { Enqueue } from './callSetup.js'
import type { CallContext, CallEvent, CallStateDetail, HttpEffect, InFlight, OperationRequested, QueuedHold, RosterEntry, SettledResult, TimedOutStop } from './callTypes.js'
import type { CallNews } from './callNews.js'
import type { Mutable } from '../src/domain/Mutable.js'
import type { OperationEvent, OperationInput, OperationReportToCall, OperationResult } from './operationLogic.js'
import { startOperationRecord, stepOperationRecord } from './operationStep.js'
import { copyInFlight } from './literalCopies.js'
import { own } from './ownEntry.js'

// Pure helpers of the call machine's guards and actions.

type Ev<T extends CallEvent['type']> = Extract<CallEvent, { type: T }>

export const requested = (e: CallEvent): OperationRequested | undefined => (e.type === 'operation.requested' ? e : undefined)

export const ended = (e: CallEvent): Ev<'operation.ended'> | undefined => (e.type === 'operation.ended' ? e : undefined)

export const late = (e: CallEvent): Ev<'operation.late'> | undefined => (e.type === 'operation.late' ? e : undefined)

// Assignment makes an own entry of every key but `__proto__`, which Object.prototype's setter turns
// into the record's prototype: a participant of that id would vanish. Only that key pays for defineProperty.
export const setEntry = <V>(record: Record<string, V>, key: string, value: V): void => {
  if (key === '__proto__') Object.defineProperty(record, key, { value, enumerable: true, writable: true, configurable: true })
  else record[key] = value
}

// The records of operations keyed by clientContext or id (inFlight, joiners, orphans, callActions)
// are made as dictionaries, without a prototype: V8 gives an ordinary object a hidden class of its
// own for each new key it holds, so every lookup in such records missed its inline cache (about a
// microsecond each, a sixth of the call machine's CPU); dictionaries share one. JSON and every
// reader see the same entries. The roster, which bot code reads, stays an ordinary object.
export const emptyRecord = <V>(): Record<string, V> => Object.create(null) as Record<string, V>

/** A copy of `record`, as a dictionary. */
export const copyRecord = <V>(record: Readonly<Record<string, V>>): Record<string, V> => {
  const next = emptyRecord<V>()
  for (const k in record) if (Object.prototype.hasOwnProperty.call(record, k)) setEntry(next, k, record[k] as V)
  return next
}

/** A copy of `record` with `key` set to `value`. */
export const withEntry = <V>(record: Readonly<Record<string, V>>, key: string, value: V): Readonly<Record<string, V>> => {
  const next = copyRecord(record)
  setEntry(next, key, value)
  return next
}

// Hot (every settled operation): the record itself when it has no such key (joiners mostly), and a
// copy by loop otherwise; rest destructuring with a computed key goes through a slow runtime call.
export const without = <V>(record: Readonly<Record<string, V>>, key: string): Readonly<Record<string, V>> => {
  if (!Object.prototype.hasOwnProperty.call(record, key)) return record
  // Of the same kind as `record`: a dictionary stays one, an ordinary object (the roster) stays one.
  const dictionary = Object.getPrototypeOf(record) === null
  let rest: Record<string, V> | undefined
  for (const k in record) if (k !== key && Object.prototype.hasOwnProperty.call(record, k)) setEntry((rest ??= dictionary ? emptyRecord<V>() : {}), k, record[k] as V)
  // The last operation of a call leaving its record (most settles): one shared empty dictionary,
  // not a new one (a dictionary's table is a hundred bytes, and each call's current state survives
  // into the old generation).
  return rest ?? (dictionary ? (NO_ENTRIES as Readonly<Record<string, V>>) : {})
}

/** The empty dictionary `without` gives for a record's last entry; frozen, as records are never changed in place. */
const NO_ENTRIES: Readonly<Record<string, never>> = Object.freeze(emptyRecord<never>())

// Field by field: Graph resends the roster on every hold, release and mute, and a JSON.stringify of
// both identity lists was a seventh of such a notification's CPU.
const sameIdentities = (a: IdentityList | undefined, b: IdentityList | undefined): boolean => {
  if (a === b) return true
  if (a === undefined || b === undefined || a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) {
    const x = a[i]
    const y = b[i]
    if (x === undefined || y === undefined || x.kind !== y.kind || x.id !== y.id || x.displayName !== y.displayName || x.tenantId !== y.tenantId) return false
  }
  return true
}

export const sameEntry = (a: RosterEntry | undefined, b: RosterEntry): boolean =>
  a !== undefined && a.displayName === b.displayName && a.isMuted === b.isMuted && a.isInLobby === b.isInLobby && sameIdentities(a.identity, b.identity)

export const failureOf = (r: SettledResult | OperationResult): CallOpsError | undefined => (r.ok ? undefined : r.error)

/** Registers an operation with its lifecycle record and asks for its request; `changes` join the one assign (each assign copies the snapshot). */
export function startOperation(
  enqueue: Enqueue,
  context: CallContext,
  changes: Partial<Omit<CallContext, 'inFlight'>>,
  clientContext: string,
  action: InFlight['action'],
  participantId: string | undefined,
  body: unknown,
  deadline: number,
): void {
  // Built field by field, not with conditional spreads: this runs for every operation.
  const input: Mutable<OperationInput> = { clientContext, action, callId: context.callId, deadline, reportsToCall: true }
  const http: Mutable<HttpEffect> = { type: 'effect.http', clientContext, action }
  if (participantId !== undefined) input.participantId = http.participantId = participantId
  const entry: Mutable<InFlight> = { action, deadline, op: startOperationRecord(input) }
  if (participantId !== undefined) entry.participantId = participantId
  if (body !== undefined) entry.body = http.body = body
  enqueue.assign({ ...changes, inFlight: withEntry(context.inFlight, clientContext, entry) })
  enqueue({ type: 'operationStarted', params: { clientContext, input } })
  enqueue.emit(http)
}

/**
 * Steps the lifecycle of operation `clientContext` (entry `f`) with `event`, as operationMachine
 * would; what the operation tells its call is raised (`operation.ended`, `operation.late`), so the
 * call's transitions on those events apply as before. Returns the entry to assign (`f` when the
 * event changed nothing).
 */
export function advance(enqueue: Enqueue, f: InFlight, clientContext: string, event: OperationEvent): InFlight {
  const reports: OperationReportToCall[] = []
  const op = stepOperationRecord(f.op, event, reports)
  enqueue({ type: 'operationStepped', params: { clientContext, event, from: f.op } })
  for (const r of reports) enqueue.raise(r)
  if (op === f.op) return f
  const next = copyInFlight(f)
  next.op = op
  return next
}

export function refuse(enqueue: Enqueue, clientContext: string, error: CallOpsError): void {
  enqueue.emit({ type: 'operation.settled', clientContext, result: { ok: false, error } })
}

export function tell(enqueue: Enqueue, news: CallNews): void {
  enqueue.emit({ type: 'call.news', news })
}

export function queued(r: OperationRequested): QueuedHold {
  return {
    clientContext: r.clientContext,
    participantId: r.participantId ?? '',
    deadline: r.deadline,
    ...(r.body === undefined ? {} : { body: r.body }),
  }
}

export function join(joiners: CallContext['joiners'], target: string, key: string): CallContext['joiners'] {
  return withEntry(joiners, target, [...(own(joiners, target) ?? []), key])
}

/** The timed-out release this late success is, if it is one. */
export function lateRelease(context: CallContext, event: CallEvent): TimedOutStop | undefined {
  const l = late(event)
  if (l === undefined || !l.succeeded) return undefined
  return context.hold?.timedOutStops?.find((t) => t.clientContext === l.clientContext)
}

/** The entry with Graph's operation id, once told. */
export function withId(f: InFlight, id: string | null | undefined): InFlight {
  if (id === undefined || id === null || f.id === id) return f
  const next = copyInFlight(f)
  next.id = id
  return next
}

const MAX_ORPHANS = 16

export function keepOrphan(orphans: CallContext['orphans'], id: string, report: OperationReport): CallContext['orphans'] {
  const ids = Object.keys(orphans)
  const kept = ids.length < MAX_ORPHANS ? orphans : without(orphans, ids[0] ?? '')
  return withEntry(kept, id, report)
}

export function matchOperation(context: CallContext, clientContext: string | undefined, id: string | null | undefined): string | undefined {
  if (clientContext !== undefined && own(context.inFlight, clientContext) !== undefined) return clientContext
  if (id === undefined || id === null) return undefined
  for (const key in context.inFlight) if (own(context.inFlight, key)?.id === id) return key
  return undefined
}

/** What a call-state notification said beyond the state (resultInfo, terminationReason, audio). */
export const detailOf = (event: CallEvent): CallStateDetail | undefined =>
  event.type === 'call.updated' || event.type === 'call.terminated' ? event.detail : undefined
