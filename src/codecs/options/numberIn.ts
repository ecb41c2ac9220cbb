import { optionValue, type Expectation, type OptionType } from './OptionType.js'

/** The bounds of a number option. Every number option is finite. */
export interface NumberBounds {
  /** The smallest value allowed (see `exclusiveMin`). */
  readonly min?: number
  /** `min` itself is refused: for "more than 0". */
  readonly exclusiveMin?: boolean
  /** The largest value allowed. */
  readonly max?: number
  readonly integer?: boolean
}

/** The longest delay Node's timers take (2^31 − 1 ms, about 24.8 days): a longer one fires at once. */
export const MAX_TIMER_MS = 2_147_483_647

/**
 * A finite number within `bounds`.
 *
 * @param expected - What is allowed, as the message says it: `a positive integer`.
 * @param explain - A custom explanation (for messages existing callers match word for word).
 * @example
 * ```ts
 * const Percent = numberIn('a number from 0 to 100', { min: 0, max: 100 })
 * ```
 */
export const numberIn = (expected: string, bounds: NumberBounds, explain?: (u: unknown) => Expectation): OptionType<number> => {
  const { min = -Infinity, exclusiveMin = false, max = Infinity, integer = false } = bounds
  return optionValue(
    expected,
    (u): u is number =>
      typeof u === 'number' &&
      Number.isFinite(u) &&
      (exclusiveMin ? u > min : u >= min) &&
      u <= max &&
      (!integer || Number.isInteger(u)),
    explain,
  )
}

/** A finite number above 0. */
export const positiveNumber: OptionType<number> = numberIn('a positive number', { min: 0, exclusiveMin: true })

/** An integer of at least 1. */
export const positiveInteger: OptionType<number> = numberIn('a positive integer', { min: 1, integer: true })

/** A finite number of at least 0. */
export const nonNegativeNumber: OptionType<number> = numberIn('a non-negative number', { min: 0 })

/** Milliseconds a timer can wait: above 0 and at most {@link MAX_TIMER_MS}. */
export const timerMs: OptionType<number> = numberIn(
  `a positive number of milliseconds, at most ${MAX_TIMER_MS} (about 24.8 days)`,
  { min: 0, exclusiveMin: true, max: MAX_TIMER_MS },
)
