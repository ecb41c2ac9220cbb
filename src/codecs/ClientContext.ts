import * as t from 'io-ts'

/** The brand of a valid clientContext. */
export interface ClientContextBrand {
  readonly ClientContext: unique symbol
}

/** Graph's `clientContext`: a unique string of 1 to 256 characters that correlates an operation. */
export const ClientContext = t.brand(
  t.string,
  (s): s is t.Branded<string, ClientContextBrand> => s.length >= 1 && s.length <= 256,
  'ClientContext',
)
/** A string known to be a valid clientContext. */
export type ClientContext = t.TypeOf<typeof ClientContext>
