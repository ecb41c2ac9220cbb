import { optionValue, type OptionType } from './OptionType.js'

/**
 * A function-valued option. Only `typeof` can be checked: the type parameter says what the
 * function must be, the message says it to whoever passes something else.
 *
 * @param expected - What is allowed: `a function returning a promise of an access token`.
 * @example
 * ```ts
 * const GetToken = functionOf<() => Promise<string>>('a function returning a promise of a token')
 * ```
 */
export const functionOf = <F extends (...args: never[]) => unknown>(expected = 'a function'): OptionType<F> =>
  optionValue(expected, (u): u is F => typeof u === 'function')
