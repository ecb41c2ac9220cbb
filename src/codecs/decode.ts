import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'

/** A failed decode: which path of the input did not match, and what was expected there. */
export interface DecodeError {
  readonly _tag: 'Decode'
  /** Dotted path of the first failure, e.g. `value.0.resourceData.status`. */
  readonly path: string
  readonly message: string
}

const describe = (e: t.ValidationError): DecodeError => {
  const keys = e.context.map((c) => c.key).filter((k) => k !== '')
  const last = e.context[e.context.length - 1]
  const path = keys.join('.')
  const expected = last?.type.name ?? 'unknown'
  const actual = typeof e.value === 'string' && e.value.length > 40 ? `${e.value.slice(0, 40)}…` : e.value
  const shown = e.message ?? `expected ${expected}, got ${safeJson(actual)}`
  return { _tag: 'Decode', path, message: `${path === '' ? '<root>' : path}: ${shown}` }
}

const safeJson = (v: unknown): string => {
  try {
    const s = JSON.stringify(v)
    return s === undefined ? String(v) : s.length > 60 ? `${s.slice(0, 60)}…` : s
  } catch {
    return typeof v
  }
}

/**
 * Decodes `input` with `codec`; a failure is a {@link DecodeError} naming the first failing path,
 * never an exception.
 *
 * @example
 * ```ts
 * const r = decode(CommsNotifications, JSON.parse(body))
 * if (E.isLeft(r)) console.log(r.left.path)
 * ```
 */
export const decode = <A, O>(codec: t.Type<A, O, unknown>, input: unknown): E.Either<DecodeError, A> => {
  const r = codec.decode(input)
  if (E.isRight(r)) return r
  const first = r.left[0]
  return E.left(
    first === undefined ? { _tag: 'Decode', path: '', message: `<root>: invalid ${codec.name}` } : describe(first),
  )
}
