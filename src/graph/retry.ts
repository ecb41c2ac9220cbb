import * as E from 'fp-ts/lib/Either.js'
import pRetry from 'p-retry'
import { cancelled } from '../domain/CallOpsError.js'
import type { Cancelled } from '../domain/CallOpsError.js'
import { decodeOptions } from '../codecs/options/decodeOptions.js'
import { RETRY_DEFAULTS, RetryOptions } from './RetryOptions.js'

export type { RetryOptions } from './RetryOptions.js'

/** What a failed attempt allows: no retry, an exponential back-off, or a wait the server asked for. */
export type RetryAdvice =
  | { readonly kind: 'stop' }
  | { readonly kind: 'backoff' }
  | { readonly kind: 'wait'; readonly ms: number }

/** A failed attempt: what went wrong (the caller's own value) and whether another attempt may follow. */
export interface AttemptFailure<F> {
  readonly failure: F
  readonly advice: RetryAdvice
}

/** The outcome of a retried request and the number of attempts it took. */
export interface Retried<F, A> {
  /** `Left` holds the last attempt's failure, or {@link Cancelled} when the signal aborted a wait. */
  readonly result: E.Either<F | Cancelled, A>
  readonly attempts: number
}

/** Time as the retry policy sees it; tests inject a controlled one. */
export interface RetryClock {
  /** Monotonic milliseconds. */
  readonly now: () => number
  /** Waits `ms`; rejects when `signal` aborts. */
  readonly sleep: (ms: number, signal: AbortSignal | undefined) => Promise<void>
  /** A number in [0, 1) for the jitter. */
  readonly random: () => number
}

/**
 * Runs `attempt(context, attemptNumber)` until it succeeds or its failure may not be retried. The
 * attempt function takes its data as `context` so callers need no closure per request.
 */
export type Retry = <C, F, A>(
  attempt: (context: C, attemptNumber: number) => Promise<E.Either<AttemptFailure<F>, A>>,
  context: C,
  signal: AbortSignal | undefined,
  /** No attempt starts later than this many milliseconds from now (the operation's deadline). */
  withinMs?: number,
) => Promise<Retried<F, A>>

// --- advice

const STOP: RetryAdvice = { kind: 'stop' }
const BACKOFF: RetryAdvice = { kind: 'backoff' }

/** Advice for a failure that may not be retried. */
export const stop = (): RetryAdvice => STOP
/** Advice for a failure retried after an exponential back-off with jitter (network errors, 5xx). */
export const backoff = (): RetryAdvice => BACKOFF

const deltaSeconds = /^\d+$/
const httpDate = /^[A-Za-z]{3,9},? /

/**
 * The retry policy for an HTTP status (`undefined` for a network error): 429 and 503 honour
 * `Retry-After` (delta seconds or an HTTP date) and back off without it; 408, 500, 502, 504 and
 * network errors back off exponentially with jitter; every other status is not retried.
 *
 * @param nowMs - Wall-clock epoch milliseconds for an HTTP-date `Retry-After`; `Date.now()` by default.
 * @example
 * ```ts
 * retryAdvice(429, '1') // { kind: 'wait', ms: 1000 }
 * retryAdvice(500, undefined) // { kind: 'backoff' }
 * retryAdvice(400, undefined) // { kind: 'stop' }
 * ```
 */
export const retryAdvice = (status: number | undefined, retryAfter: string | undefined, nowMs?: number): RetryAdvice => {
  switch (status) {
    case undefined:
    case 408:
    case 500:
    case 502:
    case 504:
      return BACKOFF
    case 429:
    case 503: {
      if (retryAfter === undefined) return BACKOFF
      const value = retryAfter.trim()
      if (deltaSeconds.test(value)) return { kind: 'wait', ms: Number(value) * 1000 }
      // Every HTTP-date form starts with a day name; Date.parse alone would read `1.5` as a date.
      const at = httpDate.test(value) ? Date.parse(value) : Number.NaN
      if (Number.isNaN(at)) return BACKOFF
      return { kind: 'wait', ms: Math.max(0, at - (nowMs ?? Date.now())) }
    }
    default:
      return STOP
  }
}

const abortableSleep = (ms: number, signal: AbortSignal | undefined): Promise<void> =>
  new Promise((resolve, reject) => {
    if (signal?.aborted === true) {
      reject(signal.reason)
      return
    }
    const onAbort = (): void => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })

/** The real clock: `performance.now()`, `setTimeout`, `Math.random()`. */
export const systemClock: RetryClock = { now: () => performance.now(), sleep: abortableSleep, random: Math.random }

// p-retry only sees errors; this carries the attempt's own failure value through it.
class FailedAttempt<F> extends Error {
  constructor(readonly failed: AttemptFailure<F>) {
    super('attempt failed')
  }
}

/**
 * Builds the retry policy of the Graph client. p-retry counts the attempts; the delays are computed
 * here (p-retry's own are set to zero) because `Retry-After` decides them per failure. The first
 * attempt runs without p-retry, so a request that succeeds or fails for good at once costs nothing
 * more than the attempt.
 *
 * @throws TypeError when an option is invalid, e.g. ``Expected `retries` to be a non-negative integer.``
 * @example
 * ```ts
 * const retry = createRetry({ retries: 2, maxTotalMs: 5_000 })
 * const { result, attempts } = await retry(attemptOnce, request, signal)
 * ```
 */
export const createRetry = (options: RetryOptions = {}, clock: RetryClock = systemClock): Retry => {
  const decoded = decodeOptions(RetryOptions, options)
  // Its own sentence when the option has one (``Expected `retries` to be ...``), which callers match.
  if (E.isLeft(decoded)) throw new TypeError(decoded.left.issues[0].sentence ?? decoded.left.message)
  const { retries, minDelayMs, maxDelayMs, maxTotalMs } = { ...RETRY_DEFAULTS, ...decoded.right }

  // Equal jitter: half the exponential delay is kept, the other half is random, so retries of many
  // requests that failed together spread out without ever retrying at once.
  const backoffMs = (retriesConsumed: number): number => {
    const base = Math.min(maxDelayMs, minDelayMs * 2 ** retriesConsumed)
    return base / 2 + clock.random() * (base / 2)
  }

  return async (attempt, context, signal, withinMs) => {
    const start = clock.now()
    const budget = withinMs === undefined ? maxTotalMs : Math.min(maxTotalMs, withinMs)
    const first = await attempt(context, 1)
    if (E.isRight(first)) return { result: first, attempts: 1 }
    if (first.left.advice.kind === 'stop' || retries === 0) return { result: E.left(first.left.failure), attempts: 1 }

    let attempts = 1
    try {
      const value = await pRetry(
        async (n) => {
          // Attempt 1 already ran above: replay its failure so p-retry's count starts from it.
          if (n === 1) throw new FailedAttempt(first.left)
          attempts = n
          const r = await attempt(context, n)
          if (E.isLeft(r)) throw new FailedAttempt(r.left)
          return r.right
        },
        {
          retries,
          minTimeout: 0,
          signal,
          shouldRetry: async ({ error, retriesConsumed }) => {
            if (!(error instanceof FailedAttempt)) return false
            const advice = (error as FailedAttempt<unknown>).failed.advice
            if (advice.kind === 'stop') return false
            const delay = advice.kind === 'wait' ? advice.ms : backoffMs(retriesConsumed)
            // The next attempt would start after the budget (or the operation's deadline): none does.
            if (clock.now() - start + delay > budget) return false
            await clock.sleep(delay, signal)
            return true
          },
        },
      )
      return { result: E.right(value), attempts }
    } catch (e) {
      if (e instanceof FailedAttempt) return { result: E.left((e as FailedAttempt<never>).failed.failure), attempts }
      if (signal?.aborted === true) return { result: E.left(cancelled('request cancelled while waiting to retry')), attempts }
      throw e
    }
  }
}
