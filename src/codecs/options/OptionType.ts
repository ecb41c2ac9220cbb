import * as t from 'io-ts'

/**
 * What an option allows, as the error message says it:
 * - `expected`: a noun phrase, shown as `got 5; expected a positive integer.`;
 * - `sentence`: a whole sentence, shown as `got -1. Expected \`retries\` to be a non-negative integer.`
 *   (for messages that existing callers already match);
 * - `known`: the option's name is not one of these (an unknown key).
 */
export type Expectation =
  | { readonly expected: string }
  | { readonly sentence: string }
  | { readonly known: readonly string[] }

/**
 * A codec of one option value that accepts its input unchanged when `is` holds, and otherwise says
 * what it allows through `explain` (which may look at the refused value, e.g. to suggest a spelling).
 * The options' error formatter ({@link decodeOptions}) recognises these by class.
 */
export class OptionType<A> extends t.Type<A, A, unknown> {
  constructor(
    name: string,
    is: (u: unknown) => u is A,
    readonly explain: (u: unknown) => Expectation = () => ({ expected: name }),
  ) {
    super(name, is, (u, c) => (is(u) ? t.success(u) : t.failure(u, c)), t.identity)
  }
}

/**
 * An option value checked by a predicate.
 *
 * @param expected - What is allowed, as a noun phrase: `a positive integer`, `an https URL`.
 * @example
 * ```ts
 * const Port = optionValue('a port number (1 to 65535)', (u): u is number => Number.isInteger(u) && (u as number) >= 1 && (u as number) <= 65_535)
 * ```
 */
export const optionValue = <A>(
  expected: string,
  is: (u: unknown) => u is A,
  explain?: (u: unknown) => Expectation,
): OptionType<A> => new OptionType(expected, is, explain)
