import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import * as t from 'io-ts'
import { decode } from '../codecs/decode.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { GraphError, InvalidRequest } from '../domain/CallOpsError.js'
import type { Mutable } from '../domain/Mutable.js'
import { decodeFailure, errorMessage, validateRequestId } from './createExchange.js'
import type { Exchange, Outgoing } from './createExchange.js'
import type { GraphRequest, GraphResponse } from './GraphClient.js'

const methods = new Set(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'])
const visiblePath = /^\/[\x21-\x7e]*$/

// A path that could name another resource than it reads as: a dot segment (also escaped, `%2e%2e`),
// an escaped separator, a backslash or a fragment. Servers differ in how they resolve those.
const checkPath = (path: unknown): E.Either<InvalidRequest, string> => {
  if (typeof path !== 'string' || !visiblePath.test(path)) {
    return E.left(invalidRequest('path must start with "/" and hold visible ASCII characters only', 'path'))
  }
  if (path.includes('\\') || path.includes('#')) return E.left(invalidRequest('path must not contain "\\" or "#"', 'path'))
  const q = path.indexOf('?')
  for (const segment of (q < 0 ? path : path.slice(0, q)).split('/')) {
    let plain: string
    try {
      plain = decodeURIComponent(segment)
    } catch {
      return E.left(invalidRequest('path has a malformed %-escape', 'path'))
    }
    if (plain === '.' || plain === '..' || plain.includes('/') || plain.includes('\\')) {
      return E.left(invalidRequest('path must not contain dot segments or escaped separators', 'path'))
    }
  }
  return E.right(path)
}

const serialise = (body: unknown): E.Either<InvalidRequest, string | undefined> => {
  if (body === undefined) return E.right(undefined)
  try {
    const text = JSON.stringify(body)
    return text === undefined ? E.left(invalidRequest('body cannot be sent as JSON', 'body')) : E.right(text)
  } catch (e) {
    return E.left(invalidRequest(`body cannot be sent as JSON: ${errorMessage(e)}`, 'body'))
  }
}

/**
 * The general request of the Graph client: checks method, path, body and client-request-id, sends
 * through the exchange and decodes the 2xx answer with the caller's codec.
 */
export const createGraphRequest =
  (exchange: Exchange) =>
  <A>(
    req: GraphRequest<A>,
    what = `${String(req.method)} ${String(req.path).split('?')[0] ?? ''}`,
    retryOn?: Outgoing['retryOn'],
  ): TE.TaskEither<GraphError, GraphResponse<A>> =>
  async () => {
    if (!methods.has(req.method)) return E.left(invalidRequest(`method must be one of ${[...methods].join(', ')}`, 'method'))
    const path = checkPath(req.path)
    if (E.isLeft(path)) return path
    const body = serialise(req.body)
    if (E.isLeft(body)) return body
    const requestId = validateRequestId(req.clientRequestId)
    if (E.isLeft(requestId)) return requestId
    const clientRequestId = requestId.right
    const out = await exchange.send({ what, method: req.method, path: path.right, body: body.right, clientRequestId, signal: req.signal, ...(retryOn === undefined ? {} : { retryOn }) })
    if (E.isLeft(out)) return out
    const { res, attempts } = out.right
    let json: unknown
    try {
      // An answer nobody reads is not parsed: a body callops does not read never causes a refusal.
      json = req.answer === t.unknown || res.body.trim() === '' ? undefined : JSON.parse(res.body)
    } catch (e) {
      return E.left(decodeFailure(`${what} answered HTTP ${res.status} with a body that is not JSON: ${errorMessage(e)} (client-request-id ${clientRequestId})`))
    }
    const decoded = decode(req.answer, json)
    if (E.isLeft(decoded)) {
      const { path: at, message } = decoded.left
      return E.left(decodeFailure(`${what} answered HTTP ${res.status} with a body that does not decode: ${message} (client-request-id ${clientRequestId})`, at))
    }
    const answer: Mutable<GraphResponse<A>> = { status: res.status, body: decoded.right, clientRequestId, attempts }
    if (res.location !== undefined) answer.location = res.location
    return E.right(answer)
  }

/** The request function {@link createGraphRequest} makes. */
export type GraphRequestFn = ReturnType<typeof createGraphRequest>
