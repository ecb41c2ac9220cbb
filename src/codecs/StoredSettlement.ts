import * as t from 'io-ts'
import type { SettledResult } from '../domain/OperationResult.js'
import { CallOpsErrorValue, OperationValue } from './storedValues.js'


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
  { callId: t.string, clientContext: t.string, result: SettledResultValue },
  'StoredSettlement',
)
/** The outcome of one request, with the call and clientContext it belongs to. */
export type StoredSettlement = t.TypeOf<typeof StoredSettlement>
