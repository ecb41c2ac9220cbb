import * as t from 'io-ts'
import { isActionName, type ActionName } from '../domain/ActionName.js'
import type { CallOpsError } from '../domain/CallOpsError.js'
import type { Operation } from '../domain/Operation.js'
import { GraphErrorBody } from './GraphErrorBody.js'
import { OperationStatus } from './OperationStatus.js'
import { ResultInfo } from './ResultInfo.js'

/** An action name of the catalog. */
export const ActionNameCodec = new t.Type<ActionName, string, unknown>(
  'ActionName',
  isActionName,
  (u, c) => (isActionName(u) ? t.success(u) : t.failure(u, c)),
  (a) => a,
)

/** An {@link Operation} as callops stores it (settlements, snapshots). */
export const OperationValue: t.Type<Operation, unknown, unknown> = t.intersection([
  t.type({ clientContext: t.string, action: ActionNameCodec, callId: t.string, status: OperationStatus }),
  t.partial({
    participantId: t.string,
    id: t.union([t.string, t.null]),
    resultInfo: ResultInfo,
    completionReason: t.string,
    recordingLocation: t.string,
    recordingAccessToken: t.string,
  }),
])

const tagged = <T extends string, P extends t.Props>(tag: T, props: P, optional: t.Props = {}) =>
  t.intersection([t.type({ _tag: t.literal(tag), message: t.string, ...props }), t.partial(optional)])

/** A {@link CallOpsError} as callops stores it (settlements, snapshots). */
export const CallOpsErrorValue: t.Type<CallOpsError, unknown, unknown> = t.union([
  tagged('HoldConflict', { callId: t.string, participantId: t.string, heldBy: t.string }),
  tagged('OperationFailed', { operation: OperationValue }, { resultInfo: ResultInfo }),
  tagged('Timeout', { clientContext: t.string, deadline: t.number }),
  tagged('Http', {}, { status: t.number, graphError: GraphErrorBody.props.error, clientRequestId: t.string, attempts: t.number }),
  tagged('InvalidRequest', {}, { path: t.string }),
  tagged('CallEnded', { callId: t.string }),
  tagged('Cancelled', {}),
  tagged('Decode', { path: t.string }),
  tagged('Credential', {}),
  tagged('CapacityExceeded', {}),
  tagged('CallFailed', { callId: t.string, cause: t.keyof({ snapshot: null, machine: null }) }),
  tagged('StoreRolledBack', { callId: t.string, cachedVersion: t.number, storedVersion: t.number }),
  tagged('Fenced', {}),
  tagged('NotSent', {}),
  tagged('AnswerTooLate', { callId: t.string, answerDeadline: t.number }),
  tagged('CallActionFailed', { callId: t.string, action: t.string, state: t.string }, { resultInfo: ResultInfo }),
  tagged('OutcomeUnknown', { callId: t.string, action: t.string }),
])

/** One identity of an identity set, as callops keeps it (rosters, incoming calls, news). */
export const IdentityValue = t.intersection([
  t.type({
    kind: t.keyof({ user: null, phone: null, application: null, applicationInstance: null, guest: null, device: null, encrypted: null, onPremises: null, unknown: null }),
  }),
  t.partial({ id: t.string, displayName: t.string, tenantId: t.string }),
])

/** A roster entry as callops keeps it. */
export const RosterEntryValue = t.intersection([
  t.type({ id: t.string }),
  t.partial({ displayName: t.string, isMuted: t.boolean, isInLobby: t.boolean, identity: t.array(IdentityValue) }),
])

/** An incoming call as callops keeps it. */
export const IncomingCallValue = t.intersection([
  t.type({ callId: t.string, caller: t.array(IdentityValue), callees: t.array(t.array(IdentityValue)), answerDeadline: t.number }),
  t.partial({
    direction: t.string,
    incomingContext: t.partial({ sourceParticipantId: t.string, observedParticipantId: t.string, onBehalfOf: t.array(IdentityValue), transferor: t.array(IdentityValue) }),
    chatInfo: t.UnknownRecord,
    meetingInfo: t.UnknownRecord,
  }),
])
