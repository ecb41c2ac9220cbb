import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { validateClientContext } from '../../src/codecs/ClientContext.js'
import { validatePathId } from '../../src/graph/pathId.js'

const refusedAt = (r: E.Either<{ readonly path?: string; readonly message: string }, unknown>) => {
  if (E.isRight(r)) throw new Error(`expected a refusal, got ${JSON.stringify(r.right)}`)
  return r.left
}

describe('validatePathId', () => {
  it('accepts Graph ids in both spellings and other plain ids', () => {
    for (const id of ['e141b67c-90fd-455d-858b-b48a40b9cc8d', '57DAB8B1894C409AB240BD8BEAE78896', 'abc', 'a.b', 'x'.repeat(128), 'a:b@c']) {
      expect(validatePathId('callId', id)).toEqual(E.right(id))
    }
  })

  it.each([
    ['a path traversal', '../x'],
    ['two dots alone', '..'],
    ['an encoded slash', 'a%2fb'],
    ['a slash', 'a/b'],
    ['a backslash', 'a\\b'],
    ['a query', 'a?b'],
    ['a fragment', 'a#b'],
    ['a NUL', 'a\u0000b'],
    ['a DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a space', 'a b'],
    ['a tab', 'a\tb'],
    ['a newline', 'a\nb'],
    ['a non-breaking space', 'a\u00a0b'],
    ['an empty string', ''],
    ['129 characters', 'x'.repeat(129)],
    ['10 KB', 'x'.repeat(10_240)],
  ])('refuses %s, naming the field', (_, id) => {
    const e = refusedAt(validatePathId('participantId', id))
    expect(e).toMatchObject({ _tag: 'InvalidRequest', path: 'participantId' })
    expect(e.message.length).toBeLessThan(200)
  })

  it('refuses values that are not strings', () => {
    for (const v of [undefined, null, 42, {}, ['a']]) {
      expect(refusedAt(validatePathId('callId', v))).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    }
  })

  it('never lets through a value that would change the URL path once percent-encoded', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 140, unit: 'binary' }), (s) => {
        const r = validatePathId('callId', s)
        if (E.isRight(r)) {
          expect(s.length).toBeGreaterThan(0)
          expect(s.length).toBeLessThanOrEqual(128)
          expect(s).not.toMatch(/[/\\?#%\s\u0000-\u001f\u007f-\u009f]/)
          expect(s).not.toContain('..')
        }
      }),
    )
  })
})

describe('canonicalId', () => {
  it('maps the undashed upper-case spelling and the dashed one to the same lower-case key', () => {
    const key = '57dab8b1-894c-409a-b240-bd8beae78896'
    expect(canonicalId('57DAB8B1894C409AB240BD8BEAE78896')).toBe(key)
    expect(canonicalId('57dab8b1894c409ab240bd8beae78896')).toBe(key)
    expect(canonicalId('57DAB8B1-894C-409A-B240-BD8BEAE78896')).toBe(key)
    expect(canonicalId(key)).toBe(key)
  })

  it('leaves anything that is not a GUID unchanged', () => {
    for (const id of ['participants', 'abc', '57DAB8B1894C409AB240BD8BEAE7889', '57DAB8B1894C409AB240BD8BEAE7889Z', 'ZZDAB8B1-894C-409A-B240-BD8BEAE78896']) {
      expect(canonicalId(id)).toBe(id)
    }
  })

  it('agrees with the GUID grammar on GUIDs of any case, near misses and other strings', () => {
    // The grammar as regular expressions: the definition the hand-written scan must keep.
    const dashed = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
    const undashed = /^[0-9a-f]{32}$/i
    const expected = (id: string): string => {
      if (dashed.test(id)) return id.toLowerCase()
      if (!undashed.test(id)) return id
      const s = id.toLowerCase()
      return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`
    }
    const mixedCase = fc.tuple(fc.uuid(), fc.array(fc.boolean(), { minLength: 36, maxLength: 36 })).map(([u, up]) => [...u].map((c, i) => (up[i] === true ? c.toUpperCase() : c)).join(''))
    // One character of a GUID replaced (a dash moved, a letter past f, a character outside ASCII).
    const nearMiss = fc.tuple(fc.oneof(mixedCase, mixedCase.map((u) => u.replaceAll('-', ''))), fc.nat(), fc.constantFrom('-', 'g', 'G', '@', '`', '/', ':', 'é', '0', 'A'))
      .map(([u, at, c]) => u.slice(0, at % u.length) + c + u.slice((at % u.length) + 1))
    fc.assert(
      fc.property(fc.oneof(mixedCase, mixedCase.map((u) => u.replaceAll('-', '')), nearMiss, fc.string({ minLength: 32, maxLength: 36 })), (id) => {
        expect(canonicalId(id)).toBe(expected(id))
      }),
      { seed: 20261204, numRuns: 2000 },
    )
  })

  it('is idempotent', () => {
    fc.assert(
      fc.property(fc.oneof(fc.uuid(), fc.string()), (s) => {
        expect(canonicalId(canonicalId(s))).toBe(canonicalId(s))
      }),
    )
  })
})

describe('validateClientContext', () => {
  it('accepts 1 to 256 characters', () => {
    expect(validateClientContext('d45324c1-fcb5-430a-902c-f20af696537c')).toEqual(E.right('d45324c1-fcb5-430a-902c-f20af696537c'))
    expect(E.isRight(validateClientContext('x'.repeat(256)))).toBe(true)
  })

  it('refuses an empty string, 257 characters, control characters and non-strings', () => {
    for (const v of ['', 'x'.repeat(257), 'a\nb', 'a\u0000b', 42, undefined]) {
      expect(refusedAt(validateClientContext(v))).toMatchObject({ _tag: 'InvalidRequest', path: 'clientContext' })
    }
  })
})
