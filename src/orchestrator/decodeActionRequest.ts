import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { HoldPolicy as HoldPolicyName } from '../../machines/callTypes.js'
import type { ClientContext } from '../codecs/ClientContext.js'
import { decodeShaped } from '../codecs/decode.js'
import { optionMessage } from '../codecs/options/decodeOptions.js'
import { oneOf } from '../codecs/options/oneOf.js'
import { invalidRequest, type InvalidRequest } from '../domain/CallOpsError.js'
import type { Mutable } from '../domain/Mutable.js'
import { actionCatalog, actionNames, type ActionName, type ActionScope } from '../graph/actionCatalog.js'
import { validateClientContext } from '../codecs/ClientContext.js'
import { validatePathId } from '../graph/pathId.js'
import { HoldPolicy } from './HoldPolicy.js'

/** A request of `run(action, req)` once checked: what the orchestrator needs to start the operation. */
export interface DecodedRequest {
  readonly action: ActionName
  readonly callId: string
  /** Present for the actions under a participant (startHoldMusic, stopHoldMusic, muteParticipant). */
  readonly participantId?: string
  /** Absent when the bot gave none (the orchestrator then makes one). */
  readonly clientContext?: ClientContext
  readonly signal?: AbortSignal
  /** startHoldMusic only. */
  readonly holdPolicy?: HoldPolicyName
  /** The action's body fields, decoded by its codec (without clientContext); absent when the request had none. */
  readonly body?: unknown
}

// --- what each action's request may hold, worked out once from the catalog

/** The member names of a body codec of the catalog (objects, partials and their intersections). */
const propsOf = (codec: t.Mixed): readonly string[] => {
  if (codec instanceof t.InterfaceType || codec instanceof t.PartialType) return Object.keys(codec.props as object)
  if (codec instanceof t.IntersectionType) return (codec.types as t.Mixed[]).flatMap(propsOf)
  if (codec instanceof t.ExactType || codec instanceof t.RefinementType) return propsOf(codec.type as t.Mixed)
  // The catalog's bodies are all of the kinds above; a new kind must be taught here (a test walks every action).
  throw new TypeError(`callops: cannot list the members of the body codec ${codec.name}`)
}

interface RequestShape {
  readonly action: ActionName
  readonly scope: ActionScope
  readonly body: t.Mixed
  /** The request's own members (ids, clientContext, signal, holdPolicy) → false; the body's → true. */
  readonly members: ReadonlyMap<string, boolean>
  readonly known: readonly string[]
  /** Whether a request without body fields has a valid body (playPrompt's `prompts` is required). */
  readonly emptyBodyOk: boolean
}

const shapeOf = (action: ActionName): RequestShape => {
  const { scope } = actionCatalog[action]
  const body: t.Mixed = actionCatalog[action].body
  const own = ['callId', ...(scope === 'participant' ? ['participantId'] : []), 'clientContext', 'signal', ...(action === 'startHoldMusic' ? ['holdPolicy'] : [])]
  const members = new Map<string, boolean>(own.map((k) => [k, false]))
  for (const k of propsOf(body)) if (!members.has(k)) members.set(k, true)
  return { action, scope, body, members, known: [...members.keys()], emptyBodyOk: body.is({}) }
}

const shapes = new Map<string, RequestShape>(actionNames.map((a) => [a, shapeOf(a)]))

const ActionNameCodec = oneOf(actionNames)

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

const refused = (path: string, value: unknown, expected: string): E.Either<InvalidRequest, never> =>
  E.left(invalidRequest(optionMessage(path, value, { expected }), path))

/**
 * Checks one action request before anything is sent (the first half of `orchestrator.run`): the
 * action is one of the catalog, the request a plain object without unknown keys, `callId` and
 * `participantId` safe path ids, `clientContext` valid, `signal` an AbortSignal, `holdPolicy`
 * (startHoldMusic only) exactly `reject`, `queue` or `swap`, and the other fields the action's body.
 * It runs for every command: a well-formed body costs its codec's guard only.
 *
 * @returns the decoded request, or an `InvalidRequest` whose `path` names the refused field.
 * @example
 * ```ts
 * decodeActionRequest('startHoldMusic', { callId, participantId, holdPolicy: 'Queue' })
 * // Left(InvalidRequest at 'holdPolicy': Invalid option `holdPolicy`: got "Queue"; expected one of ...)
 * ```
 */
export const decodeActionRequest = (action: unknown, req: unknown): E.Either<InvalidRequest, DecodedRequest> => {
  const shape = typeof action === 'string' ? shapes.get(action) : undefined
  if (shape === undefined) return E.left(invalidRequest(optionMessage('action', action, ActionNameCodec.explain(action)), 'action'))
  if (typeof req !== 'object' || req === null || Array.isArray(req)) return refused('', req, 'a request object')
  const r = req as Readonly<Record<string, unknown>>
  let hasFields = false
  for (const k in r) {
    if (!hasOwn(r, k)) continue
    const inBody = shape.members.get(k)
    if (inBody === undefined) return E.left(invalidRequest(optionMessage(k.length > 64 ? `${k.slice(0, 64)}…` : k, r[k], { known: shape.known }), k))
    if (inBody) hasFields = true
  }
  const callId = validatePathId('callId', r.callId)
  if (E.isLeft(callId)) return callId
  // Built field by field, not with conditional spreads: this runs for every command (issue 8).
  const decoded: Mutable<DecodedRequest> = { action: shape.action, callId: callId.right }
  if (shape.scope === 'participant') {
    const p = validatePathId('participantId', r.participantId)
    if (E.isLeft(p)) return p
    decoded.participantId = p.right
  }
  if (r.clientContext !== undefined) {
    const k = validateClientContext(r.clientContext)
    if (E.isLeft(k)) return k
    decoded.clientContext = k.right
  }
  if (r.signal !== undefined) {
    if (!(r.signal instanceof AbortSignal)) return refused('signal', r.signal, 'an AbortSignal')
    decoded.signal = r.signal
  }
  if (r.holdPolicy !== undefined) {
    if (!HoldPolicy.is(r.holdPolicy)) return E.left(invalidRequest(optionMessage('holdPolicy', r.holdPolicy, HoldPolicy.explain(r.holdPolicy)), 'holdPolicy'))
    decoded.holdPolicy = r.holdPolicy
  }
  if (!hasFields && shape.emptyBodyOk) return E.right(decoded)
  const fields: Record<string, unknown> = {}
  if (hasFields) for (const k in r) if (shape.members.get(k) === true && hasOwn(r, k)) fields[k] = r[k]
  const body = decodeShaped(shape.body, fields)
  if (E.isLeft(body)) return E.left(invalidRequest(body.left.message, body.left.path))
  if (hasFields) decoded.body = body.right
  return E.right(decoded)
}
