import type { IncomingMessage, ServerResponse } from 'node:http'
import * as E from 'fp-ts/lib/Either.js'
import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { NotificationAuthenticator } from './auth/createNotificationAuthenticator.js'
import { checkAuthorizationHeader } from './auth/checkAuthorizationHeader.js'
import { header, isJsonType, refuse, type CheckedPost, type NotificationHeaders, type NotificationResponse } from './NotificationAnswer.js'
import type { RoutedEvent } from './toCallEvents.js'

// How long a connection refused before its body may still send: then it is cut, so a sender that
// never stops cannot hold a socket (its bytes are read and dropped meanwhile, never kept).
const LINGER_MS = 1_000

/** What the webhook needs of its notification handler. */
export interface WebhookOptions {
  readonly auth: NotificationAuthenticator | undefined
  readonly maxBodyBytes: number
  readonly bodyTimeoutMs: number
  readonly logger: Logger
  readonly clock: Clock
  /** Checks and decodes one POST (`authenticated`: its token was verified already): its answer and the events to apply. */
  readonly check: (body: unknown, headers: NotificationHeaders, authenticated: boolean, receivedAt: number) => CheckedPost | Promise<CheckedPost>
  /** Applies a batch once its answer is written; it does not throw (a throw is logged). */
  readonly apply: (events: readonly RoutedEvent[]) => void
}

/**
 * The node:http side of the notification handler: method, type, declared size and token checked
 * before a byte of the body is read, the body read within its size and time limits, the answer
 * written, then the batch applied (so Graph's wait does not include applying it).
 */
export const createWebhook = (o: WebhookOptions): ((req: IncomingMessage & { body?: unknown }, res: ServerResponse) => void) => {
  const { auth, maxBodyBytes, bodyTimeoutMs, logger, clock } = o

  const answerThenApply = (res: ServerResponse, body: unknown, headers: NotificationHeaders, authenticated: boolean, receivedAt: number): void => {
    const checked = o.check(body, headers, authenticated, receivedAt)
    if (checked instanceof Promise) void checked.then((c) => replyThenApply(res, c))
    else replyThenApply(res, checked)
  }

  const replyThenApply = (res: ServerResponse, { response, events }: CheckedPost): void => {
    reply(res, response)
    if (events.length > 0) o.apply(events)
  }

  const reply = (res: ServerResponse, r: NotificationResponse): void => {
    if (res.headersSent) return
    res.writeHead(r.status, r.body === '' ? {} : { 'content-type': 'application/json' })
    res.end(r.body)
  }

  // Answers at once, before (the rest of) the body: what still arrives is read and dropped, never
  // kept, and the connection is closed once the answer is out, or cut after LINGER_MS.
  const refuseUnread = (req: IncomingMessage, res: ServerResponse, r: NotificationResponse): void => {
    if (!res.headersSent) res.setHeader('connection', 'close')
    reply(res, r)
    req.resume()
    const socket = req.socket
    const cut = setTimeout(() => socket.destroy(), LINGER_MS)
    cut.unref()
    socket.once('close', () => clearTimeout(cut))
  }

  const tooLarge = (): NotificationResponse => refuse(413, 'PayloadTooLarge', `body larger than ${maxBodyBytes} bytes`)

  const readBody = (req: IncomingMessage, res: ServerResponse, headers: NotificationHeaders, authenticated: boolean, receivedAt: number): void => {
    const chunks: Buffer[] = []
    let size = 0
    const stop = (): void => {
      clearTimeout(timer)
      req.off('data', onData)
      req.off('end', onEnd)
      chunks.length = 0
    }
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= maxBodyBytes) {
        chunks.push(chunk)
        return
      }
      stop()
      refuseUnread(req, res, tooLarge())
    }
    const onEnd = (): void => {
      clearTimeout(timer)
      const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks)
      answerThenApply(res, body, headers, authenticated, receivedAt)
    }
    // A slow body (slowloris) is cut: Graph sends a few KiB at once.
    const timer = setTimeout(() => {
      stop()
      refuseUnread(req, res, refuse(408, 'RequestTimeout', `body not received within ${bodyTimeoutMs} ms`))
    }, bodyTimeoutMs)
    req.on('data', onData)
    req.on('end', onEnd)
    req.on('close', () => clearTimeout(timer))
    req.on('error', () => {
      stop()
      reply(res, refuse(400, 'BadRequest', 'request body could not be read'))
    })
  }

  // Everything that needs no body is checked before a byte of it is read: type, declared size and
  // the token. A sender without a valid token never gets its body read.
  const webhook = (req: IncomingMessage & { body?: unknown }, res: ServerResponse): void => {
    // Graph only POSTs; a health check's GET learns that, not that its (absent) body is not JSON.
    if (req.method !== 'POST') {
      if (!res.headersSent) res.writeHead(405, { allow: 'POST', 'content-type': 'application/json' })
      res.end(JSON.stringify({ error: { code: 'MethodNotAllowed', message: 'expected POST' } }))
      req.resume()
      return
    }
    const headers = req.headers as NotificationHeaders
    // When the POST arrived, not when its body or token check finished: the deadline Graph keeps.
    const receivedAt = clock.now()
    if (req.body !== undefined) {
      answerThenApply(res, req.body, headers, false, receivedAt)
      return
    }
    if (!isJsonType(header(headers, 'content-type'))) return refuseUnread(req, res, refuse(415, 'UnsupportedMediaType', 'expected application/json'))
    if (Number(header(headers, 'content-length') ?? '0') > maxBodyBytes) return refuseUnread(req, res, tooLarge())
    if (auth === undefined) return readBody(req, res, headers, false, receivedAt)
    const authorization = header(headers, 'authorization')
    const token = checkAuthorizationHeader(authorization)
    if (typeof token !== 'string') {
      // Debug, as the authenticator logs its 401s: anyone on the internet can cause them.
      logger.debug({ _tag: token._tag, status: token.status, reason: token.reason }, 'notification refused')
      return refuseUnread(req, res, refuse(token.status, token._tag, token.reason))
    }
    void auth.authenticate(authorization).then(
      (claims) => (E.isLeft(claims) ? refuseUnread(req, res, refuse(claims.left.status, claims.left._tag, claims.left.reason)) : readBody(req, res, headers, true, receivedAt)),
      () => refuseUnread(req, res, refuse(401, 'Unauthorized', 'token could not be verified')),
    )
  }

  return webhook
}
