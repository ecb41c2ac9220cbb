import * as t from 'io-ts'

/**
 * Reads an integer Graph prints as a number or as a numeric string (call-delete's `"code": "200"`;
 * OData may print Int64 values such as `sequenceId` as strings). `undefined` for anything else.
 */
export const wireInteger = (u: unknown): number | undefined => {
  if (typeof u === 'number') return Number.isFinite(u) ? u : undefined
  if (typeof u !== 'string' || !/^\s*-?\d{1,15}\s*$/.test(u)) return undefined
  return Number(u)
}

/** An integer as a number or a numeric string, decoded to a number; the guard accepts numbers only. */
export const WireInteger = new t.Type<number, number, unknown>(
  'WireInteger',
  (u): u is number => typeof u === 'number' && Number.isFinite(u),
  (u, c) => {
    const n = wireInteger(u)
    return n === undefined ? t.failure(u, c, 'expected a number or a numeric string') : t.success(n)
  },
  (n) => n,
)
