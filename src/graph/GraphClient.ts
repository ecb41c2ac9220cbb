import type * as TE from 'fp-ts/lib/TaskEither.js'
import type * as t from 'io-ts'
import type { AnswerBody, RedirectBody, RejectBody, TransferBody } from '../codecs/callActionBodies.js'
import type { CreateCallBody } from '../codecs/CreateCallBody.js'
import type { GraphError } from '../domain/CallOpsError.js'
import type { OperationReport } from '../domain/Operation.js'
import type { ActionBody, ActionName } from './actionCatalog.js'
import type { HttpMethod } from './transport.js'

export type { HttpMethod } from './transport.js'

/** One action request. `clientContext` is callops's key for the operation and is sent in the body. */
export interface ActionRequest<A extends ActionName> {
  readonly callId: string
  /** Required by participant actions (startHoldMusic, ...), refused by call actions. */
  readonly participantId?: string | undefined
  /** The action's body without clientContext; optional for actions whose body has no required field. */
  readonly body?: ActionBody<A> | undefined
  readonly clientContext: string
  /** Sent as `client-request-id` on every attempt; a fresh UUID by default. */
  readonly clientRequestId?: string | undefined
  /** Aborts the request under way or the wait before the next attempt (→ `Cancelled`). */
  readonly signal?: AbortSignal | undefined
  /**
   * Milliseconds from now after which no new attempt starts (the operation's deadline): a retry
   * sent later could be carried out after the caller was told `Timeout` and after requests that
   * followed it. The attempt under way finishes; its answer is the request's.
   */
  readonly attemptsWithinMs?: number | undefined
}

/** Graph accepted an action: the operation it answered with (status normalised) and how. */
export interface AcceptedOperation {
  /** The decoded answer; `{}` (no status: pending) when the 2xx answer had no body. */
  readonly operation: OperationReport
  readonly httpStatus: number
  /** The `Location` header: the operation's URL. */
  readonly location?: string
  readonly clientRequestId: string
  readonly attempts: number
}

/**
 * Options of every request that is not a catalog action: its `client-request-id` and an abort signal.
 *
 * @example
 * ```ts
 * await graph.hangUp(callId, { clientRequestId: crypto.randomUUID(), signal: AbortSignal.timeout(5_000) })()
 * ```
 */
export interface RequestOptions {
  /** Sent as `client-request-id` on every attempt; a fresh UUID by default. */
  readonly clientRequestId?: string | undefined
  /** Aborts the request under way or the wait before the next attempt (→ `Cancelled`). */
  readonly signal?: AbortSignal | undefined
}

/** Options of {@link GraphClient.keepAlive}. */
export type KeepAliveOptions = RequestOptions

/**
 * A request of {@link GraphClient.request}: any Graph path, with the client's token, retries,
 * throttling handling and `client-request-id`.
 *
 * @example
 * ```ts
 * const Participants = t.type({ value: t.array(t.type({ id: t.string })) })
 * const r = await graph.request({ method: 'GET', path: `/communications/calls/${encodeURIComponent(callId)}/participants`, answer: Participants })()
 * if (E.isRight(r)) console.log(r.right.body.value.map((p) => p.id))
 * ```
 */
export interface GraphRequest<A> extends RequestOptions {
  readonly method: HttpMethod
  /**
   * Relative to the client's base URL, e.g. `/communications/calls/{id}/participants`. Put ids in
   * it through `encodeURIComponent` after {@link validatePathId}; `..`, `\`, `#`, whitespace and
   * non-ASCII are refused.
   */
  readonly path: string
  /** Sent as JSON; absent: no body (and no content-type). */
  readonly body?: unknown
  /** Decodes the 2xx answer's JSON; an empty body is decoded as `undefined`. With `t.unknown` the body is not read at all. */
  readonly answer: t.Decoder<unknown, A>
}

/**
 * A 2xx answer to {@link GraphClient.request}: its status, decoded body and how it went.
 *
 * @example
 * ```ts
 * const r = await graph.request({ method: 'GET', path: `/communications/calls/${encodeURIComponent(callId)}`, answer: t.unknown })()
 * if (E.isRight(r)) console.log(r.right.status, r.right.clientRequestId, r.right.attempts)
 * ```
 */
export interface GraphResponse<A> {
  readonly status: number
  readonly body: A
  /** The `Location` header, when there was one. */
  readonly location?: string
  readonly clientRequestId: string
  readonly attempts: number
}

/**
 * Graph accepted a call action (answer, reject, redirect, transfer, removing a participant). The outcome comes as notifications.
 *
 * @example
 * ```ts
 * const accepted = await graph.answer(callId, { acceptedModalities: ['audio'], mediaConfig })()
 * if (E.isRight(accepted)) console.log(accepted.right.status) // 202: the outcome comes as notifications
 * ```
 */
export interface CallActionAccepted {
  /** 202 for answer, reject, redirect and transfer; 204 for removeParticipant. */
  readonly status: number
  readonly clientRequestId: string
  readonly attempts: number
}

/**
 * The outcome of {@link GraphClient.hangUp}.
 *
 * @example
 * ```ts
 * const r = await graph.hangUp(callId)()
 * if (E.isRight(r) && r.right.alreadyEnded) console.log('Graph answered 404: nothing left to end')
 * ```
 */
export interface HangUpResult extends CallActionAccepted {
  /** `true` when Graph answered 404: the call had already ended (or never existed); nothing is left to do. */
  readonly alreadyEnded: boolean
}

/**
 * A call Graph created for `POST /communications/calls` (201): it is `establishing`, notifications follow.
 *
 * @example
 * ```ts
 * const started = await graph.createCall({ targets: [{ identity: { user: { id: agentId } } }], requestedModalities: ['audio'], mediaConfig, callbackUri })()
 * if (E.isRight(started)) console.log(started.right.callId, started.right.state) // establishing
 * ```
 */
export interface StartedCall extends CallActionAccepted {
  readonly callId: string
  /** `establishing` in every documented answer; kept as given. */
  readonly state?: string
  /** The bot's own participant id in the new call. */
  readonly myParticipantId?: string
  readonly callChainId?: string
  /** The `Location` header: the call's URL. */
  readonly location?: string
}

/** One method per action of the catalog, e.g. `client.startHoldMusic(req)`. */
export type GraphActions = {
  readonly [A in ActionName]: (req: ActionRequest<A>) => TE.TaskEither<GraphError, AcceptedOperation>
}

/**
 * The call actions that are not commsOperations. Each checks its ids and body before anything is
 * sent (→ `InvalidRequest`), and resolves when Graph accepted it: the call's state changes arrive
 * as notifications. Retries, throttling and `client-request-id` are those of the catalog actions.
 *
 * @example
 * ```ts
 * const media = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const
 * await graph.answer(callId, { acceptedModalities: ['audio'], mediaConfig: media })()
 * await graph.transfer(callId, { transferTarget: { identity: { user: { id: agentId } } } })()
 * const ended = await graph.hangUp(callId)() // Right({ status: 204, alreadyEnded: false, ... })
 * ```
 */
export interface GraphCallActions {
  /** POST `/communications/calls/{callId}/answer` → 202. */
  answer(callId: string, body: AnswerBody, opts?: RequestOptions): TE.TaskEither<GraphError, CallActionAccepted>
  /** POST `/communications/calls/{callId}/reject` → 202. */
  reject(callId: string, body?: RejectBody, opts?: RequestOptions): TE.TaskEither<GraphError, CallActionAccepted>
  /** POST `/communications/calls/{callId}/redirect` → 202 (1 to 25 targets, timeout 15 to 90 s). */
  redirect(callId: string, body: RedirectBody, opts?: RequestOptions): TE.TaskEither<GraphError, CallActionAccepted>
  /** POST `/communications/calls` → 201 with the new call (an outgoing call, or joining a meeting). */
  createCall(body: CreateCallBody, opts?: RequestOptions): TE.TaskEither<GraphError, StartedCall>
  /** POST `/communications/calls/{callId}/transfer` → 202 (consultative with `transferTarget.replacesCallId`). */
  transfer(callId: string, body: TransferBody, opts?: RequestOptions): TE.TaskEither<GraphError, CallActionAccepted>
  /** DELETE `/communications/calls/{callId}` → 204; a 404 answers `alreadyEnded: true`, not an error. */
  hangUp(callId: string, opts?: RequestOptions): TE.TaskEither<GraphError, HangUpResult>
  /** DELETE `/communications/calls/{callId}/participants/{participantId}` → 204. */
  removeParticipant(callId: string, participantId: string, opts?: RequestOptions): TE.TaskEither<GraphError, CallActionAccepted>
}

/** The Graph client: every action of the catalog, the call actions, keepAlive, a general request, and close. */
export interface GraphClient extends GraphActions, GraphCallActions {
  /** Sends `action`; the same as calling the action's own method. */
  send<A extends ActionName>(action: A, req: ActionRequest<A>): TE.TaskEither<GraphError, AcceptedOperation>
  /** POST `/communications/calls/{callId}/keepAlive`; a 404 (`Http` with status 404) means the call has ended. */
  keepAlive(callId: string, opts?: KeepAliveOptions): TE.TaskEither<GraphError, void>
  /** Any Graph request, with the same token, retries and `client-request-id` as the actions. */
  request<A>(req: GraphRequest<A>): TE.TaskEither<GraphError, GraphResponse<A>>
  /** Closes the HTTP connections; later requests answer `Cancelled`. */
  close(): Promise<void>
}
