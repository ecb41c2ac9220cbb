import * as t from 'io-ts'

/**
 * `false` (a feature turned off) or what `codec` accepts, e.g. `keepAlive: false`.
 *
 * @example
 * ```ts
 * const KeepAlive = orFalse(KeepAliveSchedule)
 * ```
 */
export const orFalse = <A>(codec: t.Type<A, A, unknown>): t.Type<A | false, A | false, unknown> =>
  new t.Type<A | false, A | false, unknown>(
    `${codec.name}, or false`,
    (u): u is A | false => u === false || codec.is(u),
    // The context is passed on as is: the member's path stays that of the option.
    (u, c) => (u === false ? t.success(false) : codec.validate(u, c)),
    t.identity,
  )
