import fc from 'fast-check'
import { UnsecuredJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { createVerifiedTokenCache, withinWindow } from '../../src/notifications/auth/createVerifiedTokenCache.js'

const T0 = Date.UTC(2025, 5, 1, 12, 0, 0)
const sec = Math.floor(T0 / 1000)
const entry = (exp = sec + 3600, nbf?: number) => ({ value: 'claims', keys: {}, exp, ...(nbf === undefined ? {} : { nbf }) })

describe('the verified token cache', () => {
  it('stays bounded: when full, the least recently used token is the one forgotten', () => {
    const cache = createVerifiedTokenCache<string>({ maxEntries: 3, clockToleranceSec: 300 })
    for (const t of ['a', 'b', 'c']) cache.set(t, entry())
    expect(cache.get('a', T0)).toBeDefined()
    cache.set('d', entry())
    expect(cache.size()).toBe(3)
    expect(cache.get('b', T0)).toBeUndefined()
    for (const t of ['a', 'c', 'd']) expect(cache.get(t, T0)).toBeDefined()
    for (let i = 0; i < 10_000; i++) cache.set(`token-${i}`, entry())
    expect(cache.size()).toBe(3)
  })

  it('answers only for the whole token: one that shares a prefix, or extends it, is not found', () => {
    const cache = createVerifiedTokenCache<string>({ maxEntries: 10, clockToleranceSec: 300 })
    cache.set('eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJl', entry())
    for (const other of ['eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJ', 'eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJlX', 'eyJhbGciOi.eyJpc3Mi.', 'EYJhbGciOi.eyJpc3Mi.c2lnbmF0dXJl']) {
      expect(cache.get(other, T0)).toBeUndefined()
    }
    expect(cache.get('eyJhbGciOi.eyJpc3Mi.c2lnbmF0dXJl', T0)?.value).toBe('claims')
  })

  it('forgets an entry once the clock is past its exp plus the tolerance, and serves none before its nbf minus it', () => {
    const cache = createVerifiedTokenCache<string>({ maxEntries: 10, clockToleranceSec: 300 })
    cache.set('t', entry(sec + 60))
    expect(cache.get('t', T0 + 359_999)).toBeDefined()
    expect(cache.get('t', T0 + 360_000)).toBeUndefined()
    // Gone for good: an earlier clock does not bring it back.
    expect(cache.get('t', T0)).toBeUndefined()
    cache.set('early', entry(sec + 3600, sec + 400))
    expect(cache.get('early', T0 + 99_000)).toBeUndefined()
    cache.set('early', entry(sec + 3600, sec + 400))
    expect(cache.get('early', T0 + 100_000)).toBeDefined()
  })

  it('refuses a clock that is not a number, as jose does', () => {
    expect(withinWindow(entry(), Number.NaN, 300)).toBe(false)
    expect(withinWindow(entry(), Number.POSITIVE_INFINITY, 300)).toBe(false)
  })

  it('holds a token within its window exactly when jose would accept its exp and nbf at that time', () => {
    const claim = fc.integer({ min: sec - 10_000, max: sec + 10_000 })
    fc.assert(
      fc.property(claim, fc.option(claim, { nil: undefined }), fc.integer({ min: T0 - 10_000_000, max: T0 + 10_000_000 }), fc.constantFrom(0, 0.5, 1, 30, 300, 299.9), (exp, nbf, nowMs, tolerance) => {
        const token = new UnsecuredJWT({ exp, ...(nbf === undefined ? {} : { nbf }) }).encode()
        let jose = true
        try {
          UnsecuredJWT.decode(token, { currentDate: new Date(nowMs), clockTolerance: tolerance })
        } catch {
          jose = false
        }
        expect(withinWindow({ exp, ...(nbf === undefined ? {} : { nbf }) }, nowMs, tolerance)).toBe(jose)
      }),
      { numRuns: 2_000 },
    )
  })

  it('refuses a size that is not a positive integer', () => {
    expect(() => createVerifiedTokenCache({ maxEntries: 0, clockToleranceSec: 0 })).toThrow(/maxEntries/)
    expect(() => createVerifiedTokenCache({ maxEntries: 1.5, clockToleranceSec: 0 })).toThrow(/maxEntries/)
  })
})
