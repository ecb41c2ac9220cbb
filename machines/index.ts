/**
 * The pure XState machines: one call (lifecycle, roster, hold slot, operations) and one operation.
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
  CallActionEffect,
  CallActionRequested,
  CallActionSettled,
  CallEmitted,
  CallEvent,
  CallInput,
  CallKind,
  HoldPolicy,
  HoldSlot,
  TimedOutStop,
  CallNewsEmitted,
  CallNotice,
  CallStateDetail,
  CallUpdated,
  HttpEffect,
  IncomingCall,
  InFlight,
  LateOutcome,
  OperationRequested,
  OperationSettled,
  PendingCallAction,
  QueuedHold,
  RosterEntry,
  SettledResult,
  ToneReceived,
  UnmatchedNotification,
} from './callTypes.js'
export type { CallNews } from './callNews.js'
export type { OperationRecord } from './operationStep.js'
export type { OperationStarted, OperationStepped } from './callSetup.js'
export { isKnownCallState, isStaleCallState } from './callNews.js'
export { TONE_GAP_MS, flushTones, receiveTone } from './toneOrder.js'
export type { ToneLog, ToneStep } from './toneOrder.js'
export { stateName } from './stateName.js'
export { isAwaitingAnswer, knowsOutcomeBeforeAnswer, operationStateOf, requestToResend } from './callQueries.js'
