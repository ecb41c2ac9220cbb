import * as t from 'io-ts'
import type { ResultInfo as ResultInfoValue } from '../domain/ResultInfo.js'

/** Graph's `resultInfo`: `code` is HTTP-like (2xx success, 4xx client error, 5xx server error). */
export const ResultInfo: t.Type<ResultInfoValue, ResultInfoValue, unknown> = t.intersection(
  [t.type({ code: t.number }), t.partial({ subcode: t.number, message: t.string })],
  'ResultInfo',
)
/** The outcome details of an operation. */
export type ResultInfo = ResultInfoValue
