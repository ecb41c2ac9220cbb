import type * as t from 'io-ts'
import { numberIn } from '../codecs/options/numberIn.js'
import { strictObject } from '../codecs/options/strictObject.js'

/**
 * How the Graph client retries a request. Attempts stop at whichever bound comes first: the number
 * of retries or the total time.
 */
export interface RetryOptions {
  /** Retries after the first attempt, so at most `retries + 1` attempts. Default 4. */
  readonly retries?: number
  /** The first exponential back-off delay, before jitter. Default 200 ms. */
  readonly minDelayMs?: number
  /** The largest exponential back-off delay, before jitter. Default 10 000 ms. */
  readonly maxDelayMs?: number
  /**
   * The time budget of one request, from its first attempt. A wait (back-off or `Retry-After`) that
   * would end past it is not started: the last error is returned at once. Default 30 000 ms.
   */
  readonly maxTotalMs?: number
}

/** {@link RetryOptions} with every default applied. */
export type ResolvedRetryOptions = Required<RetryOptions>

/** The defaults of {@link RetryOptions}. */
export const RETRY_DEFAULTS: ResolvedRetryOptions = { retries: 4, minDelayMs: 200, maxDelayMs: 10_000, maxTotalMs: 30_000 }

// The sentences are those createRetry has always thrown, which its callers match.
const nonNegativeInteger = (name: string) =>
  numberIn('a non-negative integer', { min: 0, integer: true }, () => ({ sentence: `Expected \`${name}\` to be a non-negative integer.` }))
const nonNegativeFinite = (name: string) =>
  numberIn('a non-negative finite number', { min: 0 }, () => ({ sentence: `Expected \`${name}\` to be a non-negative finite number.` }))

/** Checks {@link RetryOptions}: counts and delays non-negative, `maxDelayMs` at least `minDelayMs`. */
export const RetryOptions: t.Type<RetryOptions, RetryOptions, unknown> = strictObject(
  'retry options (an object)',
  {},
  {
    retries: nonNegativeInteger('retries'),
    minDelayMs: nonNegativeFinite('minDelayMs'),
    maxDelayMs: nonNegativeFinite('maxDelayMs'),
    maxTotalMs: nonNegativeFinite('maxTotalMs'),
  },
  (o) =>
    (o.maxDelayMs ?? RETRY_DEFAULTS.maxDelayMs) < (o.minDelayMs ?? RETRY_DEFAULTS.minDelayMs)
      ? { key: o.maxDelayMs === undefined ? 'minDelayMs' : 'maxDelayMs', expectation: { sentence: 'Expected `maxDelayMs` to be at least `minDelayMs`.' } }
      : undefined,
)
