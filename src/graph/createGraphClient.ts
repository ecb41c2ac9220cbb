import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { AnyOperation } from '../codecs/CommsOperation.js'
import { toOperationReport } from '../codecs/toOperationReport.js'
import { decodeShaped } from '../codecs/decode.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { Decode, GraphError } from '../domain/CallOpsError.js'
import { actionCatalog, actionNames } from './actionCatalog.js'
import type { ActionName } from './actionCatalog.js'
import { validateClientContext } from '../codecs/ClientContext.js'
import { validatePathId } from './pathId.js'
import { optionsOrThrow } from '../codecs/options/decodeOptions.js'
import { GraphClientOptions } from './GraphClientOptions.js'
import type { Mutable } from '../domain/Mutable.js'
import { callPath } from './callPath.js'
import { checkBody } from './checkBody.js'
import { createCallActions } from './createCallActions.js'
import { createExchange, decodeFailure, errorMessage, validateRequestId } from './createExchange.js'
import { createGraphRequest } from './createGraphRequest.js'
import type { AcceptedOperation, ActionRequest, GraphActions, GraphClient, KeepAliveOptions } from './GraphClient.js'

// --- public types

export type { GraphClientOptions, TokenCredentialLike } from './GraphClientOptions.js'
export type { AcceptedOperation, ActionRequest, GraphActions, GraphClient, KeepAliveOptions } from './GraphClient.js'

// --- internals

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

const isPlainObject = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

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
  const exchange = createExchange(o)
  const request = createGraphRequest(exchange)

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
    const checked = checkBody(action, spec.body, payload)
    if (E.isLeft(checked)) return checked
    const clientRequestId = requestId.right
    const out = await exchange.send({ what: action, method: 'POST', path, body: JSON.stringify(payload), clientRequestId, signal: req.signal, ...(req.attemptsWithinMs === undefined ? {} : { attemptsWithinMs: req.attemptsWithinMs }) })
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
    const out = await request({ method: 'POST', path: `${callPath(id.right)}/keepAlive`, answer: t.unknown, ...opts }, 'keepAlive')()
    return E.isLeft(out) ? out : E.right(undefined)
  }

  const actions = Object.fromEntries(
    actionNames.map((name) => [name, (req: ActionRequest<typeof name>) => send(name, req)]),
  ) as unknown as GraphActions
  return { ...actions, ...createCallActions(request), send, keepAlive, request: (req) => request(req), close: exchange.close }
}
