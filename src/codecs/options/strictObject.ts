import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { OptionType, type Expectation } from './OptionType.js'

type Props = Readonly<Record<string, t.Mixed>>

/** The decoded type of a {@link strictObject}: its required members, and its optional ones when given. */
export type StrictObjectOf<R extends Props, O extends Props> = { readonly [K in keyof R]: t.TypeOf<R[K]> } & {
  readonly [K in keyof O]?: t.TypeOf<O[K]>
}

/** A rule across members (`maxDelayMs` at least `minDelayMs`): the member to blame and what is allowed, or nothing. */
export type CrossCheck<A> = (value: A) => { readonly key?: string; readonly expectation: Expectation } | undefined

const isPlainObject = (u: unknown): u is Record<string, unknown> =>
  typeof u === 'object' && u !== null && !Array.isArray(u)

const hasOwn = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k)

const refuseAll = (_u: unknown): _u is never => false

/**
 * A failure at member `key` of the object at `c` (or at the object itself), whose last context
 * entry says `expectation`: how an unknown key or a broken cross-member rule reaches the formatter.
 */
const explained = (value: unknown, c: t.Context, key: string | undefined, expectation: Expectation): t.ValidationError => {
  const type = new OptionType<never>('', refuseAll, () => expectation)
  if (key !== undefined) return { value, context: [...c, { key, type, actual: value }] }
  return { value, context: [...c.slice(0, -1), { key: c[c.length - 1]?.key ?? '', type, actual: value }] }
}

/**
 * An options object: refuses anything that is not a plain object, every key it does not know
 * (`timeouts.startHoldMusc`), and every member its codec refuses, reporting all of them. A member
 * given as `undefined` counts as absent. The result holds only the members given.
 *
 * @param expected - What is allowed when the input is not an object: `graph client options (an object)`.
 * @param check - A rule across members, run when every member decoded.
 * @example
 * ```ts
 * const Bounds = strictObject('bounds (an object)', { min: positiveNumber }, { max: positiveNumber })
 * Bounds.decode({ min: 1, mx: 2 }) // Left: unknown option `mx`
 * ```
 */
export const strictObject = <R extends Props, O extends Props>(
  expected: string,
  required: R,
  optional: O,
  check?: CrossCheck<StrictObjectOf<R, O>>,
): t.Type<StrictObjectOf<R, O>, StrictObjectOf<R, O>, unknown> => {
  const members = new Map<string, { readonly codec: t.Mixed; readonly required: boolean }>()
  for (const [k, codec] of Object.entries(required)) members.set(k, { codec, required: true })
  for (const [k, codec] of Object.entries(optional)) members.set(k, { codec, required: false })
  const known = [...members.keys()]

  const is = (u: unknown): u is StrictObjectOf<R, O> => {
    if (!isPlainObject(u)) return false
    for (const k of Object.keys(u)) if (!members.has(k)) return false
    for (const [k, m] of members) {
      const v = hasOwn(u, k) ? u[k] : undefined
      if (v === undefined ? m.required && !m.codec.is(v) : !m.codec.is(v)) return false
    }
    return check?.(u as StrictObjectOf<R, O>) === undefined
  }

  return new t.Type<StrictObjectOf<R, O>, StrictObjectOf<R, O>, unknown>(
    expected,
    is,
    (u, c) => {
      if (!isPlainObject(u)) return t.failure(u, c)
      const errors: t.ValidationError[] = []
      for (const k of Object.keys(u)) if (!members.has(k)) errors.push(explained(u[k], c, k, { known }))
      const out: Record<string, unknown> = {}
      for (const [k, m] of members) {
        const v = hasOwn(u, k) ? u[k] : undefined
        if (v === undefined && !m.required) continue
        const r = m.codec.validate(v, [...c, { key: k, type: m.codec, actual: v }])
        if (E.isLeft(r)) errors.push(...r.left)
        else if (r.right !== undefined) out[k] = r.right
      }
      if (errors.length > 0) return E.left(errors)
      // Built member by member from codecs of R and O above: it has the shape StrictObjectOf<R, O>.
      const value = out as StrictObjectOf<R, O>
      const refused = check?.(value)
      if (refused !== undefined) {
        const at = refused.key
        return E.left([explained(at === undefined ? u : u[at], c, at, refused.expectation)])
      }
      return t.success(value)
    },
    t.identity,
  )
}
