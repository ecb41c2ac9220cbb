import * as t from 'io-ts'

// io-ts's union and intersection guards call `codecs.some(c => c.is(u))`: a closure per check, and
// the notification codecs check dozens of them per POST (a sixth of the bytes a notification
// allocated). These are the same codecs with the same validation, guarded by a loop.

/**
 * `t.union(codecs)` whose `is` tries the members in a loop, allocating nothing.
 *
 * @example
 * ```ts
 * const NullableString = union([t.string, t.null])
 * NullableString.is(null) // true
 * ```
 */
export const union = <CS extends [t.Mixed, t.Mixed, ...t.Mixed[]]>(codecs: CS, name?: string): t.UnionC<CS> => {
  const u = t.union(codecs, name)
  const is = (x: unknown): x is t.TypeOf<CS[number]> => {
    for (const c of codecs) if (c.is(x)) return true
    return false
  }
  return new t.UnionType(u.name, is, u.validate, u.encode, codecs)
}

/**
 * `t.intersection(codecs)` whose `is` checks the members in a loop, allocating nothing.
 *
 * @example
 * ```ts
 * const Named = intersection([t.type({ id: t.string }), t.partial({ displayName: t.string })])
 * ```
 */
export const intersection = <A extends t.Mixed, B extends t.Mixed>(codecs: [A, B], name?: string): t.IntersectionC<[A, B]> => {
  const i = t.intersection(codecs, name)
  const is = (x: unknown): x is t.TypeOf<A> & t.TypeOf<B> => codecs[0].is(x) && codecs[1].is(x)
  return new t.IntersectionType(i.name, is, i.validate, i.encode, codecs)
}

/**
 * A codec that also accepts `null`, as Graph spells an absent value in many answers.
 *
 * @example
 * ```ts
 * nullable(t.string).is(null) // true
 * ```
 */
export const nullable = <C extends t.Mixed>(c: C): t.UnionC<[C, t.NullC]> => union([c, t.null])
