/** The token is missing, malformed, badly signed, expired, or not meant for this app: answer 401. */
export interface Unauthorized {
  readonly _tag: 'Unauthorized'
  readonly status: 401
  /** Why, for logs and the response; never contains the token. */
  readonly reason: string
}

/** A valid token of a tenant this app does not serve: answer 403. */
export interface Forbidden {
  readonly _tag: 'Forbidden'
  readonly status: 403
  readonly reason: string
}

/** The signing keys could not be fetched, so no token can be checked: answer 503 (fail closed). */
export interface AuthUnavailable {
  readonly _tag: 'AuthUnavailable'
  readonly status: 503
  readonly reason: string
}

/** Why a notification's `Authorization` header was refused. Match on `_tag`; `status` is the HTTP answer. */
export type AuthFailure = Unauthorized | Forbidden | AuthUnavailable

// --- constructors

/** Builds an {@link Unauthorized}. */
export const unauthorized = (reason: string): Unauthorized => ({ _tag: 'Unauthorized', status: 401, reason })

/** Builds a {@link Forbidden}. */
export const forbidden = (reason: string): Forbidden => ({ _tag: 'Forbidden', status: 403, reason })

/** Builds an {@link AuthUnavailable}. */
export const authUnavailable = (reason: string): AuthUnavailable => ({ _tag: 'AuthUnavailable', status: 503, reason })
