import * as t from 'io-ts'
import type { CallActionResult } from '../domain/CallAction.js'
import type { SettledResult } from '../domain/OperationResult.js'
import { CallOpsErrorValue, OperationValue } from './storedValues.js'
import { ResultInfo } from './ResultInfo.js'

const CallActionNameValue = t.keyof({ answer: null, reject: null, redirect: null, transfer: null, hangUp: null, removeParticipant: null, createCall: null })

// A call action's success (answer, transfer, hang-up, ...); its failures have the shape of an operation's.
const CallActionSuccessValue = t.type({
  ok: t.literal(true),
  outcome: t.intersection([
    t.type({ action: CallActionNameValue, callId: t.string, clientContext: t.string, state: t.string }),
    t.partial({ resultInfo: ResultInfo, alreadyEnded: t.literal(true), participantId: t.string }),
  ]),
})


const SettledResultValue: t.Type<SettledResult, unknown, unknown> = t.union([
  t.type({ ok: t.literal(true), operation: OperationValue }),
  t.intersection([t.type({ ok: t.literal(false), error: CallOpsErrorValue }), t.partial({ operation: OperationValue })]),
]) as t.Type<SettledResult, unknown, unknown>

// --- the settlement

/**
 * The outcome of one request as a store keeps and announces it: read back from Redis or a pub/sub
 * message, so it is decoded like anything else from outside.
 */
export const StoredSettlement = t.type(
  { callId: t.string, clientContext: t.string, result: t.union([SettledResultValue, CallActionSuccessValue as t.Type<CallActionResult, unknown, unknown>]) },
  'StoredSettlement',
)
/** The outcome of one request, with the call and clientContext it belongs to. */
export type StoredSettlement = t.TypeOf<typeof StoredSettlement>
