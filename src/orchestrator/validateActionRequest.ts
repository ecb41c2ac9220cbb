import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { validateClientContext } from '../codecs/ClientContext.js'
import { decodeShaped } from '../codecs/decode.js'
import { isActionName, type ActionName } from '../domain/ActionName.js'
import { invalidRequest, type InvalidRequest } from '../domain/CallOpsError.js'
import type { HoldPolicy } from '../domain/HoldPolicy.js'
import { actionCatalog } from '../graph/actionCatalog.js'
import { validatePathId } from '../graph/pathId.js'

/** A request whose ids, options and body fields passed their checks. */
export interface CheckedRequest {
  readonly action: ActionName
  readonly callId: string
  readonly clientContext: string
  readonly participantId?: string
  readonly body?: unknown
  readonly holdPolicy?: HoldPolicy
  readonly signal?: AbortSignal
}

const isHoldPolicy = (u: unknown): u is HoldPolicy => u === 'reject' || u === 'queue' || u === 'swap'

/** Checks one action request before anything else happens: an `InvalidRequest` names the field that was refused. */
export const validateActionRequest = (action: unknown, req: unknown): E.Either<InvalidRequest, CheckedRequest> => {
  if (!isActionName(action)) return E.left(invalidRequest(`unknown action ${JSON.stringify(action)}`, 'action'))
  const spec = actionCatalog[action]
  if (typeof req !== 'object' || req === null) return E.left(invalidRequest('expected a request object'))
  const { callId: rawCallId, participantId: rawParticipantId, clientContext: rawClientContext, signal, holdPolicy, ...fields } = req as Readonly<Record<string, unknown>>
  const callId = validatePathId('callId', rawCallId)
  if (E.isLeft(callId)) return callId
  let participantId: string | undefined
  if (spec.scope === 'participant') {
    const p = validatePathId('participantId', rawParticipantId)
    if (E.isLeft(p)) return p
    participantId = p.right
  }
  const clientContext = rawClientContext === undefined ? E.right(randomUUID()) : validateClientContext(rawClientContext)
  if (E.isLeft(clientContext)) return clientContext
  if (holdPolicy !== undefined && (action !== 'startHoldMusic' || !isHoldPolicy(holdPolicy))) {
    return E.left(invalidRequest(`holdPolicy must be one of "reject", "queue", "swap" (startHoldMusic only), got ${JSON.stringify(holdPolicy)}`, 'holdPolicy'))
  }
  if (signal !== undefined && !(signal instanceof AbortSignal)) return E.left(invalidRequest('signal must be an AbortSignal', 'signal'))
  const hasFields = Object.keys(fields).length > 0
  const body = decodeShaped(spec.body, fields)
  if (E.isLeft(body)) return E.left(invalidRequest(body.left.message, body.left.path))
  const checked: { -readonly [K in keyof CheckedRequest]: CheckedRequest[K] } = { action, callId: callId.right, clientContext: clientContext.right }
  if (participantId !== undefined) checked.participantId = participantId
  if (hasFields) checked.body = body.right
  if (holdPolicy !== undefined) checked.holdPolicy = holdPolicy
  if (signal !== undefined) checked.signal = signal
  return E.right(checked)
}
