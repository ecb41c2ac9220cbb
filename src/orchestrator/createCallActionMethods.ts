import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import type { CallActionRequested, CallEvent } from '../../machines/callTypes.js'
import { AnswerBody, RedirectBody, RejectBody, TransferBody } from '../codecs/callActionBodies.js'
import { CreateCallBody } from '../codecs/CreateCallBody.js'
import type { GraphClient } from '../graph/createGraphClient.js'
import { requestIdFor } from '../runtime/requestIdFor.js'
import { validateClientContext } from '../codecs/ClientContext.js'
import type { CallActionName } from '../domain/CallAction.js'
import { callEnded, cancelled, capacityExceeded, invalidRequest, timeout, type CallOpsError } from '../domain/CallOpsError.js'
import { canonicalId } from '../domain/canonicalId.js'
import type { Clock } from '../domain/Clock.js'
import type { Mutable } from '../domain/Mutable.js'
import { validatePathId } from '../graph/pathId.js'
import type { CallActionWaiters } from '../runtime/createCallActionWaiters.js'
import type { CallRegistry } from '../runtime/createCallRegistry.js'
import type { LiveCall } from '../runtime/LiveCall.js'
import type { CallActionAnswer, CallActionMethods } from './CallActionMethods.js'

/** What the call action methods need of the orchestrator. */
export interface CallActionMethodsOptions {
  readonly clock: Clock
  readonly client: GraphClient
  readonly registry: CallRegistry
  readonly waiters: CallActionWaiters
  readonly apply: (call: LiveCall, event: CallEvent) => void
  readonly timeouts: Readonly<Record<CallActionName, number>>
  readonly maxPending: number
  readonly isOpen: () => boolean
  /** How long after its deadline a caller is answered `Timeout` here at the latest (the machine normally answers at the deadline). */
  readonly graceMs: number
}

const bodies: Readonly<Record<CallActionName, t.Mixed | undefined>> = {
  answer: AnswerBody,
  reject: t.union([t.undefined, RejectBody]),
  redirect: RedirectBody,
  transfer: TransferBody,
  hangUp: undefined,
  removeParticipant: undefined,
  createCall: CreateCallBody,
}

const field = (req: unknown, name: string): unknown => (typeof req === 'object' && req !== null ? (req as Record<string, unknown>)[name] : undefined)

/** The request's clientContext, checked, or a fresh UUID when it gives none. */
const clientContextOf = (req: unknown): E.Either<CallOpsError, string> => {
  const given = field(req, 'clientContext')
  return given === undefined ? E.right(randomUUID()) : validateClientContext(given)
}

/** The request checked: ids, clientContext and body (by the action's io-ts codec). */
const decode = (action: Exclude<CallActionName, 'createCall'>, req: unknown): E.Either<CallOpsError, Omit<CallActionRequested, 'type' | 'deadline' | 'requestedAt'> & { readonly callId: string }> => {
  const callId = validatePathId('callId', field(req, 'callId'))
  if (E.isLeft(callId)) return callId
  const clientContext = clientContextOf(req)
  if (E.isLeft(clientContext)) return clientContext
  const r: Mutable<Omit<CallActionRequested, 'type' | 'deadline' | 'requestedAt'> & { callId: string }> = { callId: callId.right, clientContext: clientContext.right, action }
  if (action === 'removeParticipant') {
    const p = validatePathId('participantId', field(req, 'participantId'))
    if (E.isLeft(p)) return p
    r.participantId = p.right
  }
  const codec = bodies[action]
  const body = field(req, 'body')
  if (codec !== undefined) {
    const b = codec.decode(body)
    if (E.isLeft(b)) return E.left(invalidRequest(`the body of ${action} does not match its codec (${codec.name})`, 'body'))
    if (b.right !== undefined) r.body = b.right
  }
  if (action === 'transfer' && field(body, 'transferee') !== undefined) r.transferee = true
  return E.right(r)
}

/**
 * The orchestrator's call actions: each request is checked, applied to the call's machine as
 * `callAction.requested` (through the same applier as operations, so a durable store records it
 * before it is sent), and answered when the machine settles it, here or on another instance.
 */
export const createCallActionMethods = (o: CallActionMethodsOptions): CallActionMethods => {
  /** Registers the caller and applies the request to its call; resolves with its settlement. */
  const waitFor = (call: LiveCall, action: CallActionName, r: Omit<CallActionRequested, 'type' | 'deadline' | 'requestedAt'>): Promise<CallActionAnswer> => {
    const now = o.clock.now()
    const deadline = now + o.timeouts[action]
    return new Promise<CallActionAnswer>((resolve) => {
      // A backstop: the machine answers Timeout at the deadline; this answers if that never reaches this instance.
      const backstop = o.clock.setTimeout(() => o.waiters.settle(r.clientContext, { ok: false, error: timeout(r.clientContext, deadline) }), deadline - now + o.graceMs)
      o.waiters.add(r.clientContext, call, action, (answer) => {
        o.clock.clearTimeout(backstop)
        resolve(answer)
      })
      o.apply(call, { type: 'callAction.requested', ...r, deadline, requestedAt: now })
    })
  }

  const admits = (clientContext: string): CallOpsError | undefined => {
    if (!o.isOpen()) return cancelled('the orchestrator is closed')
    if (o.waiters.has(clientContext)) return invalidRequest(`clientContext ${clientContext} is already in use`, 'clientContext')
    if (o.waiters.size() >= o.maxPending) return capacityExceeded(`already waiting for ${o.maxPending} call actions (maxPendingOperations)`)
    return undefined
  }

  // POST /communications/calls: sent here, since the call exists only once Graph answers 201; then followed by its machine from establishing.
  const createCall = async (req: unknown): Promise<CallActionAnswer> => {
    const clientContext = clientContextOf(req)
    if (E.isLeft(clientContext)) return clientContext
    const refused = admits(clientContext.right)
    if (refused !== undefined) return E.left(refused)
    const body = CreateCallBody.decode(field(req, 'body'))
    if (E.isLeft(body)) return E.left(invalidRequest('the body of createCall does not match its codec (CreateCallBody)', 'body'))
    const started = await o.client.createCall(body.right, { clientRequestId: requestIdFor('createCall', clientContext.right) })()
    if (E.isLeft(started)) return started
    const { callId } = started.right
    const key = canonicalId(callId)
    const found = o.registry.get(key)
    // One target and no meeting or chat: a peer-to-peer call, as a rung call without chatInfo or meetingInfo is
    // (so an invite makes it a group call that Graph cannot transfer, and unmute is refused as in any peer-to-peer call).
    const peerToPeer = body.right.targets?.length === 1 && body.right.meetingInfo === undefined && body.right.chatInfo === undefined
    const call = found === undefined ? o.registry.create(key, callId, { outgoing: true, ...(peerToPeer ? { kind: 'peerToPeer' as const } : {}) }) : E.right(found)
    if (E.isLeft(call)) return call
    return waitFor(call.right, 'createCall', { clientContext: clientContext.right, action: 'createCall', sent: true })
  }

  const run = (action: Exclude<CallActionName, 'createCall'>, req: unknown): Promise<CallActionAnswer> => {
    const decoded = decode(action, req)
    if (E.isLeft(decoded)) return Promise.resolve(decoded)
    const { callId, ...r } = decoded.right
    const refused = admits(r.clientContext)
    if (refused !== undefined) return Promise.resolve(E.left(refused))
    const key = canonicalId(callId)
    const found = o.registry.get(key)
    const gone = found === undefined ? o.registry.gone(key) : undefined
    // A hang-up of a call that has ended (and been forgotten) has nothing left to do.
    if (gone?._tag === 'CallEnded' && action === 'hangUp') return Promise.resolve(E.right({ action, callId, clientContext: r.clientContext, state: 'terminated', alreadyEnded: true as const }))
    if (gone !== undefined) return Promise.resolve(E.left(gone._tag === 'CallEnded' ? callEnded(callId) : gone))
    const call = found === undefined ? o.registry.create(key, callId) : E.right(found)
    if (E.isLeft(call)) return Promise.resolve(call)
    return waitFor(call.right, action, r)
  }
  return {
    answer: (req) => run('answer', req),
    reject: (req) => run('reject', req),
    redirect: (req) => run('redirect', req),
    transfer: (req) => run('transfer', req),
    hangUp: (req) => run('hangUp', req),
    removeParticipant: (req) => run('removeParticipant', req),
    createCall,
  }
}
