import * as t from 'io-ts'
import type { Mutable } from '../domain/Mutable.js'
import type { ResultInfo as ResultInfoValue } from '../domain/ResultInfo.js'
import { wireInteger } from './WireInteger.js'

const isNormal = (u: unknown): u is ResultInfoValue => {
  if (!t.UnknownRecord.is(u)) return false
  const r = u
  return (
    typeof r['code'] === 'number' &&
    Number.isFinite(r['code']) &&
    (r['subcode'] === undefined || (typeof r['subcode'] === 'number' && Number.isFinite(r['subcode']))) &&
    (r['message'] === undefined || typeof r['message'] === 'string') &&
    !('subCode' in r)
  )
}

/**
 * Graph's `resultInfo`: `code` is HTTP-like (2xx success, 4xx client error, 5xx server error).
 * Decoding reads every documented spelling: `code`/`subcode` as numbers or numeric strings, the
 * transfer failure's `subCode`, a `null` message. The result is always the normal form (numbers,
 * `subcode`); the guard accepts only that form, so `decodeShaped` stays exact.
 */
export const ResultInfo: t.Type<ResultInfoValue, ResultInfoValue, unknown> = new t.Type<ResultInfoValue, ResultInfoValue, unknown>(
  'ResultInfo',
  isNormal,
  (u, c) => {
    if (isNormal(u)) return t.success(u)
    if (!t.UnknownRecord.is(u)) return t.failure(u, c)
    const r = u
    const code = wireInteger(r['code'])
    if (code === undefined) return t.failure(r['code'], t.appendContext(c, 'code', t.number, r['code']), 'expected a number or a numeric string')
    const rawSub = r['subcode'] ?? r['subCode']
    const subcode = rawSub === undefined || rawSub === null ? undefined : wireInteger(rawSub)
    const out: Mutable<ResultInfoValue> = { code }
    if (subcode !== undefined) out.subcode = subcode
    // A subcode or message of an unexpected shape is not a reason to lose the code: it is left out.
    if (typeof r['message'] === 'string') out.message = r['message']
    return t.success(out)
  },
  (r) => r,
)
/** The outcome details of an operation. */
export type ResultInfo = ResultInfoValue

/**
 * The domain value of a decoded resultInfo: `code`, `subcode`, `message` only (the wire's
 * `@odata.type` and other annotations stay behind).
 *
 * @example
 * ```ts
 * toResultInfo({ code: 500, subcode: 7000, message: 'x' }) // { code: 500, subcode: 7000, message: 'x' }
 * ```
 */
export const toResultInfo = (r: ResultInfoValue): ResultInfoValue => {
  const out: Mutable<ResultInfoValue> = { code: r.code }
  if (r.subcode !== undefined) out.subcode = r.subcode
  if (r.message !== undefined) out.message = r.message
  return out
}
