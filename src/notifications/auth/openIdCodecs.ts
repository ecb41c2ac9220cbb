import * as t from 'io-ts'

/**
 * The one member of an OpenID Provider's metadata document callops reads: where its signing keys are.
 * Other members are allowed and ignored.
 */
export const OpenIdMetadata = t.type({ jwks_uri: t.string }, 'OpenIdMetadata')
export type OpenIdMetadata = t.TypeOf<typeof OpenIdMetadata>

/**
 * One JSON Web Key (RFC 7517). Only the members used to pick a key are decoded here; the key
 * material (`n`, `e`, `x5c`, ...) is passed on untouched and checked by jose when imported.
 */
export const JsonWebKey = t.intersection(
  [t.type({ kty: t.string }), t.partial({ kid: t.string, use: t.string, alg: t.string })],
  'JsonWebKey',
)
export type JsonWebKey = t.TypeOf<typeof JsonWebKey>

/** A JSON Web Key Set: `{ keys: [...] }`. */
export const JsonWebKeySet = t.type({ keys: t.array(JsonWebKey) }, 'JsonWebKeySet')
export type JsonWebKeySet = t.TypeOf<typeof JsonWebKeySet>
