import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'

/** A failed decode: which path of the input did not match, and what was expected there. */
export interface DecodeError {
  readonly _tag: 'Decode'
  /** Dotted path of the first failure, e.g. `value.0.resourceData.status`. */
  readonly path: string
  readonly message: string
}

// io-ts adds an entry keyed by the member index for every intersection and union member: those are
// not part of the input's path (`value.0.changeType`, not `0.value.0.0.changeType`).
const isCombinator = (type: t.Decoder<unknown, unknown>): boolean => {
  const tag = (type as { readonly _tag?: unknown })._tag
  return tag === 'IntersectionType' || tag === 'UnionType'
}

/**
 * The dotted path of a failure's context (`value.0.resourceData.status`), without the member
 * indices io-ts adds for intersections and unions.
 */
export const pathOf = (context: t.Context): string => {
  const keys: string[] = []
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]
    const entry = context[i]
    // An unnamed entry is a codec validating through another one (CommsNotification), not a key.
    if (parent !== undefined && entry !== undefined && entry.key !== '' && !isCombinator(parent.type)) keys.push(entry.key)
  }
  return keys.join('.')
}

// A closed set of strings is listed, so the message carries the fix: `expected a DTMF tone (one of
// "tone0", …, "flash"), got "1"`.
const expectation = (type: t.Decoder<unknown, unknown>): string => {
  if (!(type instanceof t.KeyofType)) return type.name
  const keys = Object.keys(type.keys as object).map((k) => JSON.stringify(k))
  return keys.length > 20 ? type.name : `${type.name} (one of ${keys.join(', ')})`
}

const describe = (e: t.ValidationError): DecodeError => {
  const last = e.context[e.context.length - 1]
  const path = pathOf(e.context)
  const expected = last === undefined ? 'unknown' : expectation(last.type)
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
export const decode = <A>(codec: t.Decoder<unknown, A>, input: unknown): E.Either<DecodeError, A> => {
  const r = codec.decode(input)
  if (E.isRight(r)) return r
  const first = r.left[0]
  return E.left(
    first === undefined ? { _tag: 'Decode', path: '', message: `<root>: invalid ${codec.name}` } : describe(first),
  )
}

/**
 * {@link decode} with a shortcut for input that already has the codec's shape: when the codec's
 * guard accepts `input`, `input` is the result, without building io-ts's per-field contexts (about
 * a fifth of the notification pipeline's allocations, issue 8). Anything the guard refuses is
 * decoded as usual, so refusals and their paths are those of {@link decode}.
 *
 * Only for codecs whose guard accepts nothing that decoding would change or refuse: plain io-ts
 * objects, arrays, unions and refinements, and normalising types (ChangeType, OperationStatus) whose
 * guard accepts the normal form only. Not for a codec whose input and output differ (a
 * `NumberFromString` guard accepts numbers, which it would refuse to decode).
 *
 * @example
 * ```ts
 * const r = decodeShaped(CommsNotifications, JSON.parse(body))
 * ```
 */
export const decodeShaped = <A>(codec: t.Decoder<unknown, A> & { is(u: unknown): u is A }, input: unknown): E.Either<DecodeError, A> =>
  codec.is(input) ? E.right(input) : decode(codec, input)

/**
 * The same failure seen from an enclosing value: `prefixed('value.1', e)` turns path
 * `resourceData.status` into `value.1.resourceData.status`, and the message with it.
 *
 * @example
 * ```ts
 * prefixed('value.1', { _tag: 'Decode', path: 'changeType', message: 'changeType: expected ChangeType, got 1' })
 * // { _tag: 'Decode', path: 'value.1.changeType', message: 'value.1.changeType: expected ChangeType, got 1' }
 * ```
 */
export const prefixed = (prefix: string, e: DecodeError): DecodeError => {
  const root = '<root>: '
  if (e.path === '') return { _tag: 'Decode', path: prefix, message: e.message.startsWith(root) ? `${prefix}: ${e.message.slice(root.length)}` : `${prefix}: ${e.message}` }
  return { _tag: 'Decode', path: `${prefix}.${e.path}`, message: `${prefix}.${e.message}` }
}
