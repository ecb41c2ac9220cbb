import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { pathOf } from '../decode.js'
import { describeValue } from './describeValue.js'
import { OptionType, type Expectation } from './OptionType.js'

/** One refused option: its full path (`timeouts.startHoldMusic`) and a sentence saying why. */
export interface OptionIssue {
  /** Dotted path from the options' root; `''` for the options object itself. */
  readonly path: string
  /** E.g. ``Invalid option `holdPolicy`: got "bogus"; expected one of "reject", "queue", "swap".`` */
  readonly message: string
  /** The sentence of an option that explains itself in one (see {@link Expectation}). */
  readonly sentence?: string
}

/** Options that were refused: every issue found, and their messages as one text. */
export interface OptionsError {
  readonly _tag: 'OptionsError'
  /** The issues' messages, one per line. */
  readonly message: string
  readonly issues: readonly [OptionIssue, ...OptionIssue[]]
}

const subject = (path: string): string => (path === '' ? 'Invalid options' : `Invalid option \`${path}\``)

/**
 * The message of one refused option.
 *
 * @example
 * ```ts
 * optionMessage('holdPolicy', 'bogus', { expected: 'one of "reject", "queue", "swap"' })
 * // 'Invalid option `holdPolicy`: got "bogus"; expected one of "reject", "queue", "swap".'
 * optionMessage('timeouts.startHoldMusc', 5, { known: ['startHoldMusic'] })
 * // 'Unknown option `timeouts.startHoldMusc`; known: startHoldMusic.'
 * ```
 */
export const optionMessage = (path: string, value: unknown, expectation: Expectation): string => {
  if ('known' in expectation) return `Unknown option \`${path}\`; known: ${expectation.known.join(', ')}.`
  if ('sentence' in expectation) return `${subject(path)}: got ${describeValue(value)}. ${expectation.sentence}`
  return `${subject(path)}: got ${describeValue(value)}; expected ${expectation.expected}.`
}

const under = (root: string, path: string): string => (root === '' ? path : path === '' ? root : `${root}.${path}`)

const issueOf = (e: t.ValidationError, root: string): OptionIssue => {
  const path = under(root, pathOf(e.context))
  const type = e.context[e.context.length - 1]?.type
  const expectation: Expectation =
    type instanceof OptionType ? type.explain(e.value) : { expected: e.message ?? type?.name ?? 'something else' }
  const message = optionMessage(path, e.value, expectation)
  return 'sentence' in expectation ? { path, message, sentence: expectation.sentence } : { path, message }
}

/**
 * Decodes options with `codec`; a refusal names each refused option by its full path, what was
 * given and what is allowed.
 *
 * @param root - The name the options have in a larger whole (`keepAlive`), put before every path.
 * @example
 * ```ts
 * const r = decodeOptions(MemoryStoreOptions, { retentionMs: 0 })
 * // Left: Invalid option `retentionMs`: got 0; expected a positive number.
 * ```
 */
export const decodeOptions = <A>(codec: t.Decoder<unknown, A>, input: unknown, root = ''): E.Either<OptionsError, A> => {
  const r = codec.decode(input)
  if (E.isRight(r)) return r
  const [first, ...rest] = r.left.map((e) => issueOf(e, root))
  const issues: OptionsError['issues'] = first === undefined ? [{ path: root, message: `${subject(root)}: refused by ${codec.name}.` }] : [first, ...rest]
  return E.left({ _tag: 'OptionsError', message: issues.map((i) => i.message).join('\n'), issues })
}

/**
 * {@link decodeOptions} for a constructor: the decoded options, or a `TypeError` with the message.
 *
 * @throws TypeError when an option is refused.
 * @example
 * ```ts
 * const o = optionsOrThrow(MemoryStoreOptions, options)
 * ```
 */
export const optionsOrThrow = <A>(codec: t.Decoder<unknown, A>, input: unknown, root = ''): A => {
  const r = decodeOptions(codec, input, root)
  if (E.isLeft(r)) throw new TypeError(r.left.message)
  return r.right
}
