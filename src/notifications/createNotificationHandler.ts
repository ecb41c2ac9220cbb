import type { IncomingMessage, ServerResponse } from 'node:http'
import * as E from 'fp-ts/lib/Either.js'
import { CommsNotification, CommsNotificationEnvelope } from '../codecs/CommsNotification.js'
import { decodeShaped, prefixed, type DecodeError } from '../codecs/decode.js'
import { isLegacyNotification } from '../codecs/isLegacyNotification.js'
import { systemClock, type Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { NotificationAuthenticator } from './auth/createNotificationAuthenticator.js'
import { createWebhook } from './createWebhook.js'
import { refuse, isJsonType, header, type CheckedPost, type NotificationHeaders, type NotificationResponse } from './NotificationAnswer.js'
import { toCallEvents, type RoutedEvent } from './toCallEvents.js'

export type { NotificationHeaders, NotificationResponse } from './NotificationAnswer.js'

/** Options of {@link createNotificationHandler}. */
export interface NotificationHandlerOptions {
  /** Checks each POST's bearer token; `undefined` turns authentication off. */
  readonly auth: NotificationAuthenticator | undefined
  /** Larger bodies are answered 413. Default 1 MiB. */
  readonly maxBodyBytes?: number
  /**
   * How long the webhook waits for a body once it starts reading it (after the headers and the
   * token were checked); a slower body is answered 408 and its connection closed. Default 10 s.
   */
  readonly bodyTimeoutMs?: number
  /** Batches with more notifications are answered 413. Default 1,000. */
  readonly maxNotificationsPerBatch?: number
  /**
   * Applies the events of a batch's decoded notifications, in order. Called at most once per POST:
   * by the webhook once its answer is written, by `handleNotification` before it resolves.
   */
  readonly dispatch: (events: readonly RoutedEvent[]) => void
  readonly logger: Logger
  /**
   * Where the time a notification arrived comes from (an incoming call's answer deadline runs from
   * it); the orchestrator passes its own. Default: the system clock.
   */
  readonly clock?: Clock
}

/**
 * What a {@link NotificationHandler} has seen so far.
 *
 * @example
 * ```ts
 * const { refusedNotifications, legacyNotifications } = handler.stats()
 * ```
 */
export interface NotificationHandlerStats {
  /** Notifications that did not decode (each logged with its path); the rest of their batch was applied. */
  readonly refusedNotifications: number
  /** Legacy-format bodies answered 204. */
  readonly legacyNotifications: number
}

/** The notification entry points of an orchestrator. */
export interface NotificationHandler {
  /**
   * Checks and applies one POST of Graph. `body` is the raw body (string or bytes) or an already
   * parsed JSON value (e.g. Express's `req.body`). Never rejects.
   */
  handleNotification(body: unknown, headers: NotificationHeaders): Promise<NotificationResponse>
  /**
   * A node:http handler (also an Express/Connect middleware) for the bot's callback URL. Methods
   * other than POST are answered 405 with `Allow: POST`.
   */
  webhook(req: IncomingMessage & { body?: unknown }, res: ServerResponse): void
  /** Counts of refused notifications and legacy bodies since the handler was made. */
  stats(): NotificationHandlerStats
}

/** The largest notification body accepted unless configured otherwise: 1 MiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
/** The most notifications in one POST accepted unless configured otherwise. */
export const DEFAULT_MAX_NOTIFICATIONS_PER_BATCH = 1000
/** How long a body may take to arrive unless configured otherwise: 10 s. */
export const DEFAULT_BODY_TIMEOUT_MS = 10_000
const ACCEPTED: NotificationResponse = { status: 202, body: '' }
const LEGACY: NotificationResponse = { status: 204, body: '' }
const NO_EVENTS: readonly RoutedEvent[] = []

/**
 * Builds the notification pipeline: size and type checks, authentication, io-ts decoding of each
 * notification on its own, then dispatch in arrival order (the webhook writes its answer first, so
 * Graph's wait does not include applying the batch). A notification that does not decode is
 * counted and logged with its path, and the rest of its batch is applied (answer 202); only a body
 * that is no notification envelope at all is answered 400. A legacy-format body is answered 204.
 *
 * @example
 * ```ts
 * const handler = createNotificationHandler({ auth: undefined, dispatch: (events) => events.forEach(route), logger, clock })
 * http.createServer(handler.webhook).listen(8080)
 * ```
 */
export const createNotificationHandler = (options: NotificationHandlerOptions): NotificationHandler => {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const maxBatch = options.maxNotificationsPerBatch ?? DEFAULT_MAX_NOTIFICATIONS_PER_BATCH
  const bodyTimeoutMs = options.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS
  if (!Number.isFinite(bodyTimeoutMs) || bodyTimeoutMs <= 0) {
    throw new TypeError(`Expected \`bodyTimeoutMs\` to be a positive number of milliseconds, got ${bodyTimeoutMs}.`)
  }
  const { auth, dispatch, logger } = options
  const clock = options.clock ?? systemClock
  let refusedNotifications = 0
  let legacyNotifications = 0

  // Type and size first: they cost nothing and need no trust.
  const precheck = (body: unknown, headers: NotificationHeaders): NotificationResponse | undefined => {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined
    if (!isJsonType(header(headers, 'content-type'))) return refuse(415, 'UnsupportedMediaType', 'expected application/json')
    // A string's UTF-8 size is at most 3 bytes per UTF-16 unit: only a long one needs counting.
    const oversized =
      typeof body === 'string' ? body.length * 3 > maxBodyBytes && Buffer.byteLength(body) > maxBodyBytes : body.byteLength > maxBodyBytes
    if (oversized) return refuse(413, 'PayloadTooLarge', `body larger than ${maxBodyBytes} bytes`)
    return undefined
  }

  const parse = (body: unknown): E.Either<NotificationResponse, unknown> => {
    if (typeof body !== 'string' && !(body instanceof Uint8Array)) return E.right(body)
    try {
      const text =
        typeof body === 'string' ? body : Buffer.isBuffer(body) ? body.toString('utf8') : Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')
      return E.right(JSON.parse(text))
    } catch {
      return E.left(refuse(400, 'BadRequest', 'body is not valid JSON'))
    }
  }

  const refused = (e: DecodeError): void => {
    refusedNotifications++
    // The path and what was expected there; the message quotes at most 60 characters of the value.
    logger.warn({ path: e.path, err: e.message }, 'notification refused; the rest of its batch is applied')
  }

  // What a POST is answered, and the events to apply once it is: the answer depends on the checks
  // and the decoding only, so the webhook writes it before the events are applied (as Graph asks
  // of a callback: answer at once), and handleNotification applies them before it resolves.
  const answer = (response: NotificationResponse): CheckedPost => ({ response, events: NO_EVENTS })

  const apply = (json: unknown, receivedAt: number): CheckedPost => {
    if (isLegacyNotification(json)) {
      legacyNotifications++
      logger.debug({}, 'legacy-format notification answered 204: Graph sends it again in its own format')
      return answer(LEGACY)
    }
    const envelope = decodeShaped(CommsNotificationEnvelope, json)
    if (E.isLeft(envelope)) return answer(refuse(400, 'BadRequest', envelope.left.message, envelope.left.path))
    const value = envelope.right.value
    if (value.length > maxBatch) return answer(refuse(413, 'PayloadTooLarge', `more than ${maxBatch} notifications in one batch`))
    const events: RoutedEvent[] = []
    for (let i = 0; i < value.length; i++) {
      const n = decodeShaped(CommsNotification, value[i])
      if (E.isLeft(n)) {
        refused(prefixed(`value.${i}`, n.left))
        continue
      }
      const routed = toCallEvents(n.right, i, receivedAt)
      if (E.isLeft(routed)) {
        refused(routed.left)
        continue
      }
      for (const r of routed.right) events.push(r)
    }
    return { response: ACCEPTED, events }
  }

  // A bug of ours must not crash the bot's web server nor tell Graph to retry forever.
  const failed = (err: unknown): NotificationResponse => {
    logger.error({ err: err instanceof Error ? err.message : String(err) }, 'notification handling failed')
    return refuse(400, 'BadRequest', 'notification could not be handled')
  }

  // Synchronous unless a token must be verified: most POSTs then cost no promise before their answer.
  const checkBody = (body: unknown, receivedAt: number): CheckedPost => {
    try {
      const parsed = parse(body)
      if (E.isLeft(parsed)) return answer(parsed.left)
      return apply(parsed.right, receivedAt)
    } catch (err) {
      return answer(failed(err))
    }
  }

  const check = (body: unknown, headers: NotificationHeaders, authenticated: boolean, receivedAt: number): CheckedPost | Promise<CheckedPost> => {
    try {
      const early = precheck(body, headers)
      if (early !== undefined) return answer(early)
      // Authentication before parsing: an unauthenticated sender learns nothing of the body checks.
      if (auth !== undefined && !authenticated) {
        return auth.authenticate(header(headers, 'authorization')).then(
          // The authenticator has logged the refusal (401s at debug level, so they cannot flood the logs).
          (claims) => (E.isLeft(claims) ? answer(refuse(claims.left.status, claims.left._tag, claims.left.reason)) : checkBody(body, receivedAt)),
          (err: unknown) => answer(failed(err)),
        )
      }
      return checkBody(body, receivedAt)
    } catch (err) {
      return answer(failed(err))
    }
  }

  // Applies a batch; a throw while applying is logged, and its 400 returned (the webhook has answered by then).
  const applyBatch = (events: readonly RoutedEvent[]): NotificationResponse | undefined => {
    try {
      dispatch(events)
      return undefined
    } catch (err) {
      return failed(err)
    }
  }
  const applyChecked = ({ response, events }: CheckedPost): NotificationResponse => (events.length === 0 ? response : (applyBatch(events) ?? response))

  // The in-process entry point: the events are applied before it resolves.
  const handleNotification = (body: unknown, headers: NotificationHeaders): Promise<NotificationResponse> => {
    const checked = check(body, headers, false, clock.now())
    return checked instanceof Promise ? checked.then(applyChecked) : Promise.resolve(applyChecked(checked))
  }

  const webhook = createWebhook({
    auth,
    maxBodyBytes,
    bodyTimeoutMs,
    logger,
    clock,
    check,
    apply: (events) => void applyBatch(events),
  })

  return { handleNotification, webhook, stats: () => ({ refusedNotifications, legacyNotifications }) }
}
