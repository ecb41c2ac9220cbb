import { optionValue, type OptionType } from './OptionType.js'

/** `true` or `false`. */
export const booleanOption: OptionType<boolean> = optionValue('true or false', (u): u is boolean => typeof u === 'boolean')

/** A string with something other than white space in it. */
export const nonBlankString: OptionType<string> = optionValue(
  'a non-blank string',
  (u): u is string => typeof u === 'string' && u.trim() !== '',
)

/**
 * A string matching `pattern` (which should be anchored).
 *
 * @example
 * ```ts
 * const Prefix = stringMatching(/^[a-z]{1,8}$/, '1 to 8 lower-case letters')
 * ```
 */
export const stringMatching = (pattern: RegExp, expected: string): OptionType<string> =>
  optionValue(expected, (u): u is string => typeof u === 'string' && pattern.test(u))
