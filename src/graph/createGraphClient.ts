import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type * as t from 'io-ts'
import { AnyOperation } from '../codecs/CommsOperation.js'
import { toOperationReport } from '../codecs/toOperationReport.js'
import { GraphErrorBody } from '../codecs/GraphErrorBody.js'
import { decodeShaped } from '../codecs/decode.js'
import { cancelled, invalidRequest } from '../domain/CallOpsError.js'
import type { Cancelled, Credential, Decode, GraphError, Http } from '../domain/CallOpsError.js'
import { actionCatalog, actionNames } from './actionCatalog.js'
import type { ActionBody, ActionName } from './actionCatalog.js'
import { validateClientContext } from '../codecs/ClientContext.js'
import { validatePathId } from './pathId.js'
import { backoff, createRetry, retryAdvice, stop } from './retry.js'
import { RETRY_DEFAULTS } from './RetryOptions.js'
import type { AttemptFailure } from './retry.js'
import { optionsOrThrow } from '../codecs/options/decodeOptions.js'
import { GraphClientOptions } from './GraphClientOptions.js'
import { createFetchTransport, createUndiciTransport } from './transport.js'
import type { Transport, TransportResponse } from './transport.js'
import type { Mutable } from '../domain/Mutable.js'
import type { OperationReport } from '../domain/Operation.js'

// --- public types

export type { GraphClientOptions, TokenCredentialLike } from './GraphClientOptions.js'

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

/** Options of {@link GraphClient.keepAlive}. */
export interface KeepAliveOptions {
  readonly clientRequestId?: string | undefined
  readonly signal?: AbortSignal | undefined
}

/** One method per action of the catalog, e.g. `client.startHoldMusic(req)`. */
export type GraphActions = {
  readonly [A in ActionName]: (req: ActionRequest<A>) => TE.TaskEither<GraphError, AcceptedOperation>
}

/** The Graph client: every action of the catalog, keepAlive, and close. */
export interface GraphClient extends GraphActions {
  /** Sends `action`; the same as calling the action's own method. */
  send<A extends ActionName>(action: A, req: ActionRequest<A>): TE.TaskEither<GraphError, AcceptedOperation>
  /** POST `/communications/calls/{callId}/keepAlive`; a 404 (`Http` with status 404) means the call has ended. */
  keepAlive(callId: string, opts?: KeepAliveOptions): TE.TaskEither<GraphError, void>
  /** Closes the HTTP connections; later requests answer `Cancelled`. */
  close(): Promise<void>
}

// --- internals

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default'
const DEFAULT_BASE_URL = 'https://graph.microsoft.com/v1.0'
// client-request-id goes into a header: visible ASCII.
const requestIdPattern = /^[\x21-\x7e]{1,128}$/

/** What went wrong in one attempt; turned into a GraphError once the attempts are over. */
type Failure =
  | { readonly kind: 'answer'; readonly res: TransportResponse }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'closed' }

/** Everything one request needs, passed to the attempt function instead of closing over it. */
interface Exchange {
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
  readonly signal: AbortSignal | undefined
}

type Outcome = E.Either<GraphError, { readonly res: TransportResponse; readonly attempts: number }>

const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

const decodeFailure = (message: string, path = ''): Decode => ({ _tag: 'Decode', path, message })

const credentialError = (message: string): Credential => ({ _tag: 'Credential', message })

const httpError = (what: string, failure: Failure, clientRequestId: string, attempts: number): Http | Cancelled => {
  const tries = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`
  switch (failure.kind) {
    case 'closed':
      return cancelled(`${what}: the Graph client is closed`)
    case 'network':
      return { _tag: 'Http', clientRequestId, attempts, message: `${what}: network error ${tries}: ${failure.message}` }
    case 'answer': {
      const { status, body } = failure.res
      const graphError = graphErrorOf(body)
      const detail = graphError === undefined ? '' : ` ${graphError.code}: ${graphError.message}`
      const message = `${what} answered HTTP ${status}${detail} (${tries}, client-request-id ${clientRequestId})`
      return graphError === undefined
        ? { _tag: 'Http', status, clientRequestId, attempts, message }
        : { _tag: 'Http', status, graphError, clientRequestId, attempts, message }
    }
  }
}

const graphErrorOf = (body: string): GraphErrorBody['error'] | undefined => {
  if (body === '') return undefined
  try {
    const r = GraphErrorBody.decode(JSON.parse(body))
    return E.isRight(r) ? r.right.error : undefined
  } catch {
    return undefined
  }
}

/** Decodes a 2xx answer: no body means an operation with no status yet (pending). */
const operationOf = (body: string): E.Either<Decode, AnyOperation> => {
  if (body.trim() === '') return E.right({})
  let json: unknown
  try {
    json = JSON.parse(body)
  } catch (e) {
    return E.left(decodeFailure(`the 2xx answer is not JSON: ${errorMessage(e)}`))
  }
  return decodeShaped(AnyOperation, json)
}

const validateRequestId = (value: string | undefined): E.Either<GraphError, string | undefined> =>
  value === undefined || requestIdPattern.test(value)
    ? E.right(value)
    : E.left(invalidRequest('clientRequestId must be 1 to 128 visible ASCII characters', 'clientRequestId'))

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

const tokenProvider = (options: GraphClientOptions): (() => Promise<E.Either<Credential, string>>) => {
  const { getToken, credential } = options
  return async () => {
    try {
      const token = getToken !== undefined ? await getToken() : (await credential?.getToken(GRAPH_SCOPE))?.token
      return typeof token === 'string' && token !== '' ? E.right(token) : E.left(credentialError('the token provider returned no token'))
    } catch (e) {
      return E.left(credentialError(`the token provider failed: ${errorMessage(e)}`))
    }
  }
}

// --- the client

/**
 * Creates a Graph client for the call actions of the catalog. Every action validates its ids and
 * body before anything is sent, retries as {@link RetryOptions} say, and answers an
 * {@link AcceptedOperation} or a {@link GraphError} value: it never throws for an outcome.
 *
 * @throws TypeError when an option is invalid (no token source or two, a bad `baseUrl` or retry option, an
 *   unknown key); the message names the option, what was given and what is allowed.
 * @example
 * ```ts
 * const graph = createGraphClient({ credential: new DefaultAzureCredential() })
 * const r = await graph.startHoldMusic({ callId, participantId, clientContext: 'hold-1' })()
 * if (E.isRight(r)) console.log(r.right.operation.status) // 'running'
 * await graph.close()
 * ```
 */
export const createGraphClient = (options: GraphClientOptions): GraphClient => {
  const o = optionsOrThrow(GraphClientOptions, options)
  const base = new URL(o.baseUrl ?? DEFAULT_BASE_URL)
  const token = tokenProvider(o)
  const userAgent = o.userAgent ?? 'callops'
  const retryOptions = o.retry ?? {}
  const retry = createRetry(retryOptions)
  const transport: Transport =
    o.fetch === undefined
      ? createUndiciTransport(base, retryOptions.maxTotalMs ?? RETRY_DEFAULTS.maxTotalMs)
      : createFetchTransport(base, o.fetch)
  let closed = false

  const attemptOnce = async (ex: Exchange): Promise<E.Either<AttemptFailure<Failure>, TransportResponse>> => {
    if (closed) return E.left({ failure: { kind: 'closed' }, advice: stop() })
    let res: TransportResponse
    try {
      res = await transport.post(ex.path, ex.headers, ex.body, ex.signal)
    } catch (e) {
      // An aborted request is not retried: the retry below sees the signal and answers Cancelled.
      return E.left({ failure: { kind: 'network', message: errorMessage(e) }, advice: aborted(ex.signal) ? stop() : backoff() })
    }
    if (res.status >= 200 && res.status < 300) return E.right(res)
    return E.left({ failure: { kind: 'answer', res }, advice: retryAdvice(res.status, res.retryAfter) })
  }

  /** Gets a token, sends with retries, and turns the last failure into a GraphError. */
  const exchange = async (
    what: string,
    path: string,
    body: string | undefined,
    clientRequestId: string,
    signal: AbortSignal | undefined,
  ): Promise<Outcome> => {
    if (closed) return E.left(cancelled(`${what}: the Graph client is closed`))
    if (aborted(signal)) return E.left(cancelled(`${what}: cancelled before it was sent`))
    const tok = await token()
    if (E.isLeft(tok)) return tok
    const headers: Record<string, string> =
      body === undefined
        ? { authorization: `Bearer ${tok.right}`, 'client-request-id': clientRequestId, 'user-agent': userAgent }
        : { authorization: `Bearer ${tok.right}`, 'content-type': 'application/json', 'client-request-id': clientRequestId, 'user-agent': userAgent }
    const { result, attempts } = await retry(attemptOnce, { path, headers, body, signal }, signal)
    if (E.isRight(result)) return E.right({ res: result.right, attempts })
    const failure = result.left
    if ('_tag' in failure) return E.left(failure)
    if (failure.kind === 'network' && aborted(signal)) return E.left(cancelled(`${what}: cancelled while under way`))
    return E.left(httpError(what, failure, clientRequestId, attempts))
  }

  const callPath = (callId: string): string => `/communications/calls/${encodeURIComponent(callId)}`

  const sendAction = async <A extends ActionName>(action: A, req: ActionRequest<A>): Promise<E.Either<GraphError, AcceptedOperation>> => {
    if (!Object.prototype.hasOwnProperty.call(actionCatalog, action)) return E.left(invalidRequest(`unknown action ${String(action)}`, 'action'))
    const spec = actionCatalog[action]
    const callId = validatePathId('callId', req.callId)
    if (E.isLeft(callId)) return callId
    let path: string
    if (spec.scope === 'participant') {
      const participantId = validatePathId('participantId', req.participantId)
      if (E.isLeft(participantId)) return participantId
      path = `${callPath(callId.right)}/participants/${encodeURIComponent(participantId.right)}/${spec.segment}`
    } else {
      if (req.participantId !== undefined) {
        return E.left(invalidRequest(`${action} acts on the call and takes no participantId`, 'participantId'))
      }
      path = `${callPath(callId.right)}/${spec.segment}`
    }
    const clientContext = validateClientContext(req.clientContext)
    if (E.isLeft(clientContext)) return clientContext
    const requestId = validateRequestId(req.clientRequestId)
    if (E.isLeft(requestId)) return requestId
    if (req.body !== undefined && !isPlainObject(req.body)) return E.left(invalidRequest(`${action} body must be an object`, 'body'))
    const payload = { ...req.body, clientContext: clientContext.right }
    // Only the verdict is used: the payload itself is sent, not re-encoded.
    const codec: t.Mixed = spec.body
    const checked = decodeShaped(codec, payload)
    if (E.isLeft(checked)) {
      const at = checked.left.path === '' ? 'body' : `body.${checked.left.path}`
      return E.left(invalidRequest(`${action} body is invalid: ${checked.left.message}`, at))
    }
    const clientRequestId = requestId.right ?? randomUUID()
    const out = await exchange(action, path, JSON.stringify(payload), clientRequestId, req.signal)
    if (E.isLeft(out)) return out
    const { res, attempts } = out.right
    const operation = operationOf(res.body)
    if (E.isLeft(operation)) {
      const { path: at, message } = operation.left
      return E.left(decodeFailure(`${action} answered HTTP ${res.status} with a body that does not decode: ${message} (client-request-id ${clientRequestId})`, at))
    }
    const accepted: Mutable<AcceptedOperation> = { operation: toOperationReport(operation.right), httpStatus: res.status, clientRequestId, attempts }
    // Graph's 202 answers carry a Location: set it on the answer rather than copying the answer.
    if (res.location !== undefined) accepted.location = res.location
    return E.right(accepted)
  }

  const send = <A extends ActionName>(action: A, req: ActionRequest<A>): TE.TaskEither<GraphError, AcceptedOperation> =>
    () => sendAction(action, req)

  const keepAlive = (callId: string, opts: KeepAliveOptions = {}): TE.TaskEither<GraphError, void> => async () => {
    const id = validatePathId('callId', callId)
    if (E.isLeft(id)) return id
    const requestId = validateRequestId(opts.clientRequestId)
    if (E.isLeft(requestId)) return requestId
    const out = await exchange('keepAlive', `${callPath(id.right)}/keepAlive`, undefined, requestId.right ?? randomUUID(), opts.signal)
    return E.isLeft(out) ? out : E.right(undefined)
  }

  const close = async (): Promise<void> => {
    if (closed) return
    closed = true
    await transport.close()
  }

  const actions = Object.fromEntries(
    actionNames.map((name) => [name, (req: ActionRequest<typeof name>) => send(name, req)]),
  ) as unknown as GraphActions
  return { ...actions, send, keepAlive, close }
}
