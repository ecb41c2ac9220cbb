import { OptionType } from './OptionType.js'

/**
 * One of a few strings, spelt exactly: `'Queue'` is refused where `'queue'` is allowed, and the
 * message suggests the right spelling.
 *
 * @example
 * ```ts
 * const HoldPolicy = oneOf(['reject', 'queue', 'swap'])
 * HoldPolicy.is('swap') // true
 * ```
 */
export const oneOf = <L extends string>(values: readonly L[]): OptionType<L> => {
  const allowed: ReadonlySet<string> = new Set(values)
  const list = values.map((v) => JSON.stringify(v)).join(', ')
  const expected = `one of ${list}`
  return new OptionType<L>(
    expected,
    (u): u is L => typeof u === 'string' && allowed.has(u),
    (u) => {
      const near = typeof u === 'string' ? values.find((v) => v.toLowerCase() === u.toLowerCase()) : undefined
      return { expected: near === undefined ? expected : `${expected} (names are case-sensitive: ${JSON.stringify(near)})` }
    },
  )
}
