/**
 * The pure XState machines: one call (roster, hold slot, operations) and one operation.
 *
 * @module callops/machines
 */
export { operationMachine } from './operation.machine.js'
export type {
  OperationContext,
  OperationEvent,
  OperationInput,
  OperationMachine,
  OperationReportToCall,
  OperationResult,
} from './operation.machine.js'
export { callMachine, isDefiniteFailure, nextDeadline } from './call.machine.js'
export type { CallMachine } from './call.machine.js'
export { isFinalReport, isSuccessReport, mergeReport } from './operationReport.js'
export type {
  CallContext,
  CallEmitted,
  CallEvent,
  CallInput,
  CallKind,
  HoldPolicy,
  HoldSlot,
  TimedOutStop,
  CallNotice,
  HttpEffect,
  InFlight,
  LateOutcome,
  OperationRequested,
  OperationSettled,
  QueuedHold,
  RosterEntry,
  SettledResult,
  UnmatchedNotification,
} from './callTypes.js'
export { stateName } from './stateName.js'
export { isAwaitingAnswer, knowsOutcomeBeforeAnswer, operationStateOf, requestToResend } from './callQueries.js'
