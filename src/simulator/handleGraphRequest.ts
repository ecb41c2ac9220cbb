import { randomUUID } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import * as E from 'fp-ts/lib/Either.js'
import { decode } from '../codecs/decode.js'
import type { StatsCounters } from './createSimulatorStats.js'
import type { RequestLog } from './createRequestLog.js'
import type { SimulatorCore } from './createSimulatorCore.js'
import { graphErrorBody } from './graphErrorBody.js'
import type { CallLifecycle } from './createCallLifecycle.js'
import type { GraphPathMatch } from './graphRoutes.js'
import { matchLifecycle } from './lifecycleRoutes.js'
import { readJsonBody } from './readJsonBody.js'

/** What the Graph surface needs. */
export interface GraphContext {
  readonly core: SimulatorCore
  readonly route: (path: string) => GraphPathMatch
  readonly lifecycle: CallLifecycle
  readonly stats: StatsCounters
  readonly log: RequestLog
  readonly now: () => number
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

const single = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h)

/**
 * Serves one request under `/v1.0/communications/calls/...`: authorisation, the throttling and
 * unavailability faults, answer latency, body validation with the catalog's codec, then the
 * simulator's rules. Never throws; every outcome is an HTTP answer.
 */
export const handleGraphRequest = async (req: IncomingMessage, res: ServerResponse, ctx: GraphContext): Promise<void> => {
  const at = ctx.now()
  const requestId = randomUUID()
  const clientRequestId = single(req.headers['client-request-id'])
  const path = req.url ?? '/'
  const method = req.method ?? 'GET'
  const match = ctx.route(path)
  // answer, reject, redirect, transfer, POST /calls, DELETE call and participant: the call's own lifecycle.
  const life = matchLifecycle(method, path)
  const action = life?.action ?? (match.kind === 'action' ? match.route.action : match.kind)
  const callId = life === undefined ? (match.kind === 'unknown' ? undefined : match.callId) : life.callId
  const participantId = life === undefined ? (match.kind === 'action' ? match.participantId : undefined) : life.participantId

  const answer = (status: number, body: unknown, extra: Record<string, string> = {}): void => {
    const text = body === undefined ? '' : JSON.stringify(body)
    const headers: Record<string, string | number> = { 'request-id': requestId, 'content-length': Buffer.byteLength(text), ...extra }
    if (text !== '') headers['content-type'] = 'application/json'
    if (clientRequestId !== undefined) headers['client-request-id'] = clientRequestId
    res.writeHead(status, headers)
    res.end(text)
    ctx.stats.countRequest(action, status)
    ctx.log.record({
      at,
      method,
      path,
      action,
      ...(callId === undefined ? {} : { callId }),
      ...(participantId === undefined ? {} : { participantId }),
      status,
      ...(clientRequestId === undefined ? {} : { clientRequestId }),
      requestId,
    })
  }
  const refuse = (status: number, code: string, message: string, extra: Record<string, string> = {}): void =>
    answer(status, graphErrorBody(code, message, requestId, clientRequestId), extra)

  const body = await readJsonBody(req)
  if (method !== 'POST' && life === undefined) return refuse(405, 'MethodNotAllowed', `${method} is not supported here; Graph call actions are POST`)
  const authorization = single(req.headers['authorization'])
  if (authorization === undefined || !/^Bearer \S+/.test(authorization)) {
    return refuse(401, 'InvalidAuthenticationToken', 'Access token is empty.')
  }
  const unknownSegment = (segment: string): void => refuse(400, 'BadRequest', `Resource not found for the segment '${segment.slice(0, 200)}'.`)
  if (match.kind === 'unknown' && life === undefined) return unknownSegment(match.segment)

  const call = callId === undefined ? undefined : ctx.core.get(callId)
  const faults = ctx.core.faultsOf(call)
  const rand = call?.rand ?? ctx.core.rand
  const throttled = rand.chance(faults.throttleRate)
  const unavailable = !throttled && rand.chance(faults.unavailableRate)
  const latency = rand.between(faults.answerLatencyMs)
  if (latency > 0) await sleep(latency)
  const retryAfter = { 'retry-after': String(faults.retryAfterSeconds) }
  if (throttled) {
    ctx.stats.throttled += 1
    return refuse(429, 'TooManyRequests', 'Too many requests (simulated throttling).', retryAfter)
  }
  if (unavailable) {
    ctx.stats.unavailable += 1
    return refuse(503, 'ServiceUnavailable', 'The service is temporarily unavailable (simulated).', retryAfter)
  }
  if (life !== undefined) {
    if (E.isLeft(body)) return refuse(body.left.status, body.left.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', body.left.message)
    const served = ctx.lifecycle.serve(life, call, body.right)
    if (E.isLeft(served)) return refuse(served.left.status, served.left.code, served.left.message)
    answer(served.right.status, served.right.body, served.right.location === undefined ? {} : { location: served.right.location })
    return served.right.after?.()
  }
  if (match.kind === 'unknown') return unknownSegment(match.segment)
  if (call === undefined || call.state === 'terminated') {
    return refuse(404, 'ItemNotFound', `Call ${match.callId} was not found or has ended.`)
  }
  // Invented: Graph documents no error for an operation on a call not answered yet.
  if (call.state === 'incoming') return refuse(400, 'BadRequest', `Call ${call.id} has not been answered yet.`)
  if (match.kind === 'keepAlive') return answer(200, undefined)
  // Drawn only when the fault is on, so the other faults' draws (and seeded runs) stay as they were.
  if (faults.lateRefusalRate > 0 && rand.chance(faults.lateRefusalRate)) {
    await sleep(faults.lateRefusalMs)
    ctx.stats.refusedLate += 1
    return rand.chance(0.5)
      ? refuse(400, 'BadRequest', 'The request was refused (simulated late refusal).')
      : refuse(404, 'ItemNotFound', `Call ${match.callId} was not found (simulated late refusal).`)
  }
  if (E.isLeft(body)) return refuse(body.left.status, body.left.status === 413 ? 'RequestEntityTooLarge' : 'BadRequest', body.left.message)
  const decoded = decode(match.route.body, body.right)
  if (E.isLeft(decoded)) return refuse(400, 'BadRequest', `Invalid request body: ${decoded.left.message}`)
  if (match.participantId !== undefined && !call.participants.has(match.participantId)) {
    return refuse(404, 'ItemNotFound', `Participant ${match.participantId} was not found in call ${call.id}.`)
  }
  const result = ctx.core.perform(call, match.route, match.participantId, decoded.right)
  if (E.isLeft(result)) return refuse(result.left.status, result.left.code, result.left.message)
  const ok = result.right
  // notify-before-answer: the notification's POST has been answered before this answer is written.
  if (ok.before !== undefined) await ok.before()
  answer(ok.status, ok.body, ok.location === undefined ? {} : { location: ok.location })
  ok.after?.()
}
