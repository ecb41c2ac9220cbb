import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { optionsOrThrow } from '../codecs/options/decodeOptions.js'
import { numberIn } from '../codecs/options/numberIn.js'
import { strictObject } from '../codecs/options/strictObject.js'
import type { GraphClient } from '../graph/createGraphClient.js'
import type { Logger } from '../logging/Logger.js'
import type { Clock } from '../domain/Clock.js'

/**
 * How the orchestrator keeps its calls alive (`keepAlive` of `createCallOrchestrator`). Graph ends
 * a call that got no keepAlive for 45 minutes; the documented cadence is every 15 to 45 minutes.
 *
 * @example
 * ```ts
 * createCallOrchestrator({ graph, notificationAuth, keepAlive: { intervalMs: 20 * 60_000 } })
 * createCallOrchestrator({ graph, notificationAuth, keepAlive: false }) // the bot sends its own
 * ```
 */
export interface KeepAliveSchedule {
  /**
   * Milliseconds between two keepAlive requests of a call, from 15 to 45 minutes. Default 15
   * minutes. Each wait is jittered by ±10 % (kept within 15–45 minutes) so that calls that started
   * together do not send together.
   */
  readonly intervalMs?: number
}

/** The keepAlive timers of the orchestrator's open calls. Internal to the orchestrator. */
export interface KeepAliveScheduler {
  /** Starts keeping a call alive (no-op when it is already tracked). `key` is the canonical call id. */
  track(key: string, callId: string): void
  /** Stops keeping a call alive: it ended or is forgotten. */
  untrack(key: string): void
  /** Calls currently kept alive. */
  readonly size: number
  /** Stops every timer and aborts the requests under way. */
  close(): void
}

/** What {@link keepAliveScheduler} needs from the orchestrator. */
export interface KeepAliveDeps {
  readonly clock: Clock
  readonly client: Pick<GraphClient, 'keepAlive'>
  readonly logger: Logger
  /** Graph answered 404: the call is over. The orchestrator ends the call's operations `CallEnded`. */
  readonly onCallEnded: (key: string) => void
  /** A number in [0, 1) for the jitter; `Math.random` by default. */
  readonly random?: () => number
}

const MINUTE = 60_000
/** Graph's documented bounds of the keepAlive cadence. */
export const KEEP_ALIVE_MIN_MS = 15 * MINUTE
/** Graph ends a call after this long without keepAlive. */
export const KEEP_ALIVE_MAX_MS = 45 * MINUTE
/** The wait before trying again after a failed keepAlive (other than 404): well inside 45 minutes. */
const RETRY_MS = MINUTE

interface Tracked {
  readonly callId: string
  timer?: unknown
  controller?: AbortController
}

/** Checks a {@link KeepAliveSchedule}: `intervalMs` within Graph's 15 to 45 minutes; unknown keys are refused. */
export const KeepAliveSchedule: t.Type<KeepAliveSchedule, KeepAliveSchedule, unknown> = strictObject(
  'keepAlive options (an object)',
  {},
  {
    intervalMs: numberIn(`a number of milliseconds from ${KEEP_ALIVE_MIN_MS} to ${KEEP_ALIVE_MAX_MS} (15 to 45 minutes)`, {
      min: KEEP_ALIVE_MIN_MS,
      max: KEEP_ALIVE_MAX_MS,
    }),
  },
)

const disabled: KeepAliveScheduler = { track: () => {}, untrack: () => {}, size: 0, close: () => {} }

/**
 * Keeps each tracked call alive with `client.keepAlive(callId)` every jittered interval. A 404
 * answer means Graph has ended the call: the scheduler stops it and tells `onCallEnded`. Other
 * failures are logged and tried again a minute later. Timers come from `clock`, so they do not
 * keep the process alive with the system clock, and tests drive them with a controlled one.
 *
 * @throws TypeError when `intervalMs` is outside 15–45 minutes, or a key is unknown.
 */
export const keepAliveScheduler = (schedule: KeepAliveSchedule | false | undefined, deps: KeepAliveDeps): KeepAliveScheduler => {
  if (schedule === false) return disabled
  const interval = optionsOrThrow(KeepAliveSchedule, schedule ?? {}, 'keepAlive').intervalMs ?? KEEP_ALIVE_MIN_MS
  const { clock, client, logger, onCallEnded } = deps
  const random = deps.random ?? Math.random
  const tracked = new Map<string, Tracked>()
  let closed = false

  const jittered = (): number => Math.min(KEEP_ALIVE_MAX_MS, Math.max(KEEP_ALIVE_MIN_MS, interval * (0.9 + 0.2 * random())))

  const arm = (key: string, entry: Tracked, ms: number): void => {
    entry.timer = clock.setTimeout(() => {
      delete entry.timer
      void send(key, entry)
    }, ms)
  }

  const send = async (key: string, entry: Tracked): Promise<void> => {
    const controller = new AbortController()
    entry.controller = controller
    const clientRequestId = randomUUID()
    const r = await client.keepAlive(entry.callId, { clientRequestId, signal: controller.signal })()
    delete entry.controller
    // The call ended or the orchestrator closed while the request was under way.
    if (closed || tracked.get(key) !== entry) return
    if (E.isRight(r)) {
      arm(key, entry, jittered())
      return
    }
    const error = r.left
    const fields = { callId: entry.callId, clientRequestId, error: error._tag, message: error.message }
    if (error._tag === 'Http' && error.status === 404) {
      tracked.delete(key)
      logger.info(fields, 'keepAlive answered 404: Graph has ended the call')
      onCallEnded(key)
      return
    }
    if (error._tag === 'Cancelled') return
    logger.warn(fields, 'keepAlive failed; trying again in a minute')
    arm(key, entry, RETRY_MS)
  }

  return {
    track: (key, callId) => {
      if (closed || tracked.has(key)) return
      const entry: Tracked = { callId }
      tracked.set(key, entry)
      arm(key, entry, jittered())
    },
    untrack: (key) => {
      const entry = tracked.get(key)
      if (entry === undefined) return
      tracked.delete(key)
      if (entry.timer !== undefined) clock.clearTimeout(entry.timer)
      entry.controller?.abort()
    },
    get size() {
      return tracked.size
    },
    close: () => {
      closed = true
      for (const entry of tracked.values()) {
        if (entry.timer !== undefined) clock.clearTimeout(entry.timer)
        entry.controller?.abort()
      }
      tracked.clear()
    },
  }
}
