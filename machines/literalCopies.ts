import type { Mutable } from '../src/domain/Mutable.js'
import type { Operation } from '../src/domain/Operation.js'
import type { HoldSlot, InFlight } from './callTypes.js'
import type { OperationContext } from './operationLogic.js'

// Copies of the records every operation event replaces (an operation, its lifecycle's context, its
// entry in the call, the hold slot), built as literals field by field. Their optional fields make
// many shapes, so a spread of one (`{ ...f, op }`) misses V8's clone cache and goes through the
// runtime: ≈ 250–400 ns a copy on this project's machines, against ≈ 10 ns for these, and an
// operation's lifecycle makes about eight such copies (docs/performance.md). A field left undefined
// is left out, as JSON leaves it out. The key tables say which fields each copy must carry: a field
// added to a type and not here fails to compile, and test/machines/literalCopies.test.ts checks
// that every field in the table is copied.

/** Each field of `T`, and whether every record has it. */
type FieldTable<T> = { readonly [K in keyof T]-?: undefined extends T[K] ? 'optional' : 'required' }

/** Every field of an {@link Operation}. */
export const operationKeys = {
  clientContext: 'required',
  action: 'required',
  callId: 'required',
  participantId: 'optional',
  id: 'optional',
  status: 'required',
  resultInfo: 'optional',
  completionReason: 'optional',
  recordingLocation: 'optional',
  recordingAccessToken: 'optional',
} as const satisfies FieldTable<Operation>

/** A copy of `op`, to change before it is shared. */
export const copyOperation = (op: Operation): Mutable<Operation> => {
  const next: Mutable<Operation> = { clientContext: op.clientContext, action: op.action, callId: op.callId, status: op.status }
  if (op.participantId !== undefined) next.participantId = op.participantId
  if (op.id !== undefined) next.id = op.id
  if (op.resultInfo !== undefined) next.resultInfo = op.resultInfo
  if (op.completionReason !== undefined) next.completionReason = op.completionReason
  if (op.recordingLocation !== undefined) next.recordingLocation = op.recordingLocation
  if (op.recordingAccessToken !== undefined) next.recordingAccessToken = op.recordingAccessToken
  return next
}

/** Every field of an {@link OperationContext}. */
export const operationContextKeys = {
  operation: 'required',
  deadline: 'required',
  early: 'optional',
  error: 'optional',
  late: 'optional',
  reportsToCall: 'optional',
  lateError: 'optional',
} as const satisfies FieldTable<OperationContext>

/** A copy of `c`, to change before it is shared. */
export const copyOperationContext = (c: OperationContext): Mutable<OperationContext> => {
  const next: Mutable<OperationContext> = { operation: c.operation, deadline: c.deadline }
  if (c.reportsToCall !== undefined) next.reportsToCall = c.reportsToCall
  if (c.early !== undefined) next.early = c.early
  if (c.error !== undefined) next.error = c.error
  if (c.late !== undefined) next.late = c.late
  if (c.lateError !== undefined) next.lateError = c.lateError
  return next
}

/** Every field of an {@link InFlight}. */
export const inFlightKeys = {
  action: 'required',
  participantId: 'optional',
  body: 'optional',
  deadline: 'required',
  id: 'optional',
  timedOut: 'optional',
  op: 'required',
} as const satisfies FieldTable<InFlight>

/** A copy of `f`, to change before it is shared. */
export const copyInFlight = (f: InFlight): Mutable<InFlight> => {
  const next: Mutable<InFlight> = { action: f.action, deadline: f.deadline, op: f.op }
  if (f.participantId !== undefined) next.participantId = f.participantId
  if (f.body !== undefined) next.body = f.body
  if (f.id !== undefined) next.id = f.id
  if (f.timedOut !== undefined) next.timedOut = f.timedOut
  return next
}

/** Every field of a {@link HoldSlot}. */
export const holdSlotKeys = {
  participantId: 'required',
  holdKey: 'required',
  attempts: 'required',
  operation: 'optional',
  stopKey: 'optional',
  timedOutStops: 'optional',
} as const satisfies FieldTable<HoldSlot>

/** A copy of `h`, to change before it is shared. */
export const copyHoldSlot = (h: HoldSlot): Mutable<HoldSlot> => {
  const next: Mutable<HoldSlot> = { participantId: h.participantId, holdKey: h.holdKey, attempts: h.attempts }
  if (h.operation !== undefined) next.operation = h.operation
  if (h.stopKey !== undefined) next.stopKey = h.stopKey
  if (h.timedOutStops !== undefined) next.timedOutStops = h.timedOutStops
  return next
}
