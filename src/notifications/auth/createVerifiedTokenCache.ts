/** What one successful verification of a token established, kept to answer the same token again. */
export interface VerifiedToken<A> {
  /** What the verification resolved with (the claims). */
  readonly value: A
  /**
   * The key set the signature was checked against (the resolver object the key cache handed out).
   * The entry serves only while the key cache hands out this same object for the token's `kid`.
   */
  readonly keys: object
  /** The `exp` claim, in epoch seconds (required). */
  readonly exp: number
  /** The `nbf` claim, in epoch seconds, when the token has one. */
  readonly nbf?: number
}

/** A bounded map from whole token strings to their verification, valid only within the token's time window. */
export interface VerifiedTokenCache<A> {
  /**
   * The entry of exactly `token` when `nowMs` is within its window (the rules jose applies with the
   * same tolerance); an entry out of its window is removed and `undefined` returned.
   */
  get(token: string, nowMs: number): VerifiedToken<A> | undefined
  /** Remembers a token that verified; the least recently used entry goes when the cache is full. */
  set(token: string, entry: VerifiedToken<A>): void
  delete(token: string): void
  size(): number
}

/** Settings of a {@link VerifiedTokenCache}. */
export interface VerifiedTokenCacheOptions {
  /** Entries kept at most (a positive integer). */
  readonly maxEntries: number
  /** The verifier's clock tolerance for `exp` and `nbf`, in seconds. */
  readonly clockToleranceSec: number
}

/**
 * Whether a verified token is still within its time window at `nowMs`, by jose's own rules
 * (`jwtVerify` with `clockTolerance` and `currentDate`): the clock in whole seconds, accepted while
 * `exp > now - tolerance` and `nbf <= now + tolerance`. A clock that is not a finite number fails.
 */
export const withinWindow = (entry: Pick<VerifiedToken<unknown>, 'exp' | 'nbf'>, nowMs: number, clockToleranceSec: number): boolean => {
  const now = Math.floor(nowMs / 1000)
  if (!Number.isFinite(now)) return false
  return entry.exp > now - clockToleranceSec && (entry.nbf === undefined || entry.nbf <= now + clockToleranceSec)
}

/**
 * Creates the cache of verified notification tokens. Graph sends the same token with many
 * notifications; verifying its RS256 signature each time costs 100–130 µs. Keyed by the whole token
 * (a different token, however alike, is a different key), bounded (least recently used first out),
 * and an entry never outlives the token's own `exp`/`nbf` window. The key-set rule is the caller's:
 * see {@link VerifiedToken.keys}.
 *
 * @example
 * ```ts
 * const cache = createVerifiedTokenCache<AuthClaims>({ maxEntries: 1000, clockToleranceSec: 300 })
 * const hit = cache.get(token, Date.now())
 * ```
 */
export const createVerifiedTokenCache = <A>(options: VerifiedTokenCacheOptions): VerifiedTokenCache<A> => {
  const { maxEntries, clockToleranceSec } = options
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError(`Expected \`maxEntries\` to be a positive integer, got ${String(maxEntries)}.`)
  // A Map iterates in insertion order: re-inserting on a hit makes its first key the least recently used.
  const entries = new Map<string, VerifiedToken<A>>()
  return {
    get: (token, nowMs) => {
      const entry = entries.get(token)
      if (entry === undefined) return undefined
      entries.delete(token)
      if (!withinWindow(entry, nowMs, clockToleranceSec)) return undefined
      entries.set(token, entry)
      return entry
    },
    set: (token, entry) => {
      entries.delete(token)
      entries.set(token, entry)
      if (entries.size > maxEntries) {
        const oldest = entries.keys().next()
        if (oldest.done !== true) entries.delete(oldest.value)
      }
    },
    delete: (token) => {
      entries.delete(token)
    },
    size: () => entries.size,
  }
}
