import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { GraphErrorBody } from '../codecs/GraphErrorBody.js'
import { cancelled, invalidRequest } from '../domain/CallOpsError.js'
import type { Cancelled, Credential, Decode, GraphError, Http } from '../domain/CallOpsError.js'
import type { GraphClientOptions } from './GraphClientOptions.js'
import { backoff, createRetry, retryAdvice, stop } from './retry.js'
import type { AttemptFailure } from './retry.js'
import { RETRY_DEFAULTS } from './RetryOptions.js'
import { createFetchTransport, createUndiciTransport } from './transport.js'
import type { HttpMethod, Transport, TransportResponse } from './transport.js'

/** A 2xx answer and the number of attempts it took. */
export interface Exchanged {
  readonly res: TransportResponse
  readonly attempts: number
}

/** One request as the exchange sends it: the body already serialised. */
export interface Outgoing {
  /** Names the request in error messages (`answer`, `startHoldMusic`, `DELETE /communications/calls/…`). */
  readonly what: string
  readonly method: HttpMethod
  readonly path: string
  readonly body: string | undefined
  readonly clientRequestId: string
  readonly signal: AbortSignal | undefined
  /**
   * `unprocessed`: retried only when Graph said it did not process the request (429, 503). For
   * requests that must not run twice, such as creating a call: after a network error or a 5xx the
   * call may exist, and a retry would ring the callee again.
   */
  readonly retryOn?: 'unprocessed'
  /** Milliseconds from now after which no new attempt starts (the operation's deadline). */
  readonly attemptsWithinMs?: number
}

/**
 * Token, retries, throttling and error values for every request of the Graph client: each
 * request of every kind goes through here, so they all behave the same way.
 */
export interface Exchange {
  readonly send: (out: Outgoing) => Promise<E.Either<GraphError, Exchanged>>
  readonly close: () => Promise<void>
}

const GRAPH_SCOPE = 'https://graph.microsoft.com/.default'
const DEFAULT_BASE_URL = 'https://graph.microsoft.com/v1.0'
// client-request-id goes into a header: visible ASCII.
const requestIdPattern = /^[\x21-\x7e]{1,128}$/

/** What went wrong in one attempt; turned into a GraphError once the attempts are over. */
type Failure =
  | { readonly kind: 'answer'; readonly res: TransportResponse }
  | { readonly kind: 'network'; readonly message: string }
  | { readonly kind: 'closed' }

/** Everything one attempt needs, passed to the attempt function instead of closing over it. */
interface Attempt {
  readonly method: HttpMethod
  readonly path: string
  readonly headers: Record<string, string>
  readonly body: string | undefined
  readonly signal: AbortSignal | undefined
  readonly retryOn: Outgoing['retryOn']
  /** Cleared once an attempt may have been carried out (any answer but 429 or 503, a network error). */
  unprocessed: boolean
}

const aborted = (signal: AbortSignal | undefined): boolean => signal?.aborted === true

/** The message of a thrown value. */
export const errorMessage = (e: unknown): string => (e instanceof Error ? e.message : String(e))

/** Builds a {@link Decode} error. */
export const decodeFailure = (message: string, path = ''): Decode => ({ _tag: 'Decode', path, message })

const credentialError = (message: string): Credential => ({ _tag: 'Credential', message })

const graphErrorOf = (body: string): GraphErrorBody['error'] | undefined => {
  if (body === '') return undefined
  try {
    const r = GraphErrorBody.decode(JSON.parse(body))
    return E.isRight(r) ? r.right.error : undefined
  } catch {
    return undefined
  }
}

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

/** Checks a caller's `client-request-id` (visible ASCII, 1 to 128 characters); a fresh UUID when none is given. */
export const validateRequestId = (value: string | undefined): E.Either<GraphError, string> =>
  value === undefined
    ? E.right(randomUUID())
    : requestIdPattern.test(value)
      ? E.right(value)
      : E.left(invalidRequest('clientRequestId must be 1 to 128 visible ASCII characters', 'clientRequestId'))

/** Whether Graph said it did not process the request (throttled, unavailable): retrying it cannot run it twice. */
export const isUnprocessedStatus = (status: number): boolean => status === 429 || status === 503

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

/** Creates the exchange of a Graph client from its (already checked) options. */
export const createExchange = (o: GraphClientOptions): Exchange => {
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

  const attemptOnce = async (a: Attempt): Promise<E.Either<AttemptFailure<Failure>, TransportResponse>> => {
    if (closed) return E.left({ failure: { kind: 'closed' }, advice: stop() })
    let res: TransportResponse
    try {
      res = await transport.send(a.method, a.path, a.headers, a.body, a.signal)
    } catch (e) {
      // An aborted request is not retried: the retry below sees the signal and answers Cancelled.
      const retry = !aborted(a.signal) && a.retryOn === undefined
      a.unprocessed = false
      return E.left({ failure: { kind: 'network', message: errorMessage(e) }, advice: retry ? backoff() : stop() })
    }
    if (res.status >= 200 && res.status < 300) return E.right(res)
    const unprocessed = isUnprocessedStatus(res.status)
    if (!unprocessed) a.unprocessed = false
    const advice = a.retryOn === undefined || unprocessed ? retryAdvice(res.status, res.retryAfter) : stop()
    return E.left({ failure: { kind: 'answer', res }, advice })
  }

  const send: Exchange['send'] = async ({ what, method, path, body, clientRequestId, signal, retryOn, attemptsWithinMs }) => {
    if (closed) return E.left(cancelled(`${what}: the Graph client is closed`))
    if (aborted(signal)) return E.left(cancelled(`${what}: cancelled before it was sent`))
    const askedAt = performance.now()
    const tok = await token()
    if (E.isLeft(tok)) return tok
    // The budget runs from when the request was asked for: a slow token provider uses it up too.
    const within = attemptsWithinMs === undefined ? undefined : Math.max(0, attemptsWithinMs - (performance.now() - askedAt))
    const headers: Record<string, string> =
      body === undefined
        ? { authorization: `Bearer ${tok.right}`, 'client-request-id': clientRequestId, 'user-agent': userAgent }
        : { authorization: `Bearer ${tok.right}`, 'content-type': 'application/json', 'client-request-id': clientRequestId, 'user-agent': userAgent }
    const attempt: Attempt = { method, path, headers, body, signal, retryOn, unprocessed: true }
    const { result, attempts } = await retry(attemptOnce, attempt, signal, within)
    if (E.isRight(result)) return E.right({ res: result.right, attempts })
    const failure = result.left
    if ('_tag' in failure) return E.left(failure)
    if (failure.kind === 'network' && aborted(signal)) return E.left(cancelled(`${what}: cancelled while under way`))
    const error = httpError(what, failure, clientRequestId, attempts)
    // Every attempt was answered 429 or 503: Graph carried out none, and none is still under way.
    return E.left(error._tag === 'Http' && attempt.unprocessed ? { ...error, unprocessed: true } : error)
  }

  return {
    send,
    close: async () => {
      if (closed) return
      closed = true
      await transport.close()
    },
  }
}
