import * as t from 'io-ts'

/** Graph's error body: `{ error: { code, message, innerError: { request-id, date } } }`. */
export const GraphErrorBody = t.type(
  {
    error: t.intersection([
      t.type({ code: t.string, message: t.string }),
      t.partial({
        innerError: t.partial({ 'request-id': t.string, 'client-request-id': t.string, date: t.string }),
      }),
    ]),
  },
  'GraphErrorBody',
)
/** A decoded Graph error body. */
export type GraphErrorBody = t.TypeOf<typeof GraphErrorBody>
