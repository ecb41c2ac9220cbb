import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { requestIdFor } from '../../src/runtime/requestIdFor.js'

// The first implementation, as the reference every later one must agree with.
const firstDerivation = (callKey: string, clientContext: string): string => {
  const h = createHash('sha1').update(Buffer.from('c4a1b0d2e3f44a5b8c6d7e8f90a1b2c3', 'hex')).update(callKey).update('\u0000').update(clientContext).digest()
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80
  const x = h.toString('hex', 0, 16)
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}

// The ids below were derived by the first implementation (a Hash object fed the namespace, the call
// key, a NUL and the clientContext): every instance, old or new, must keep deriving them.
describe('requestIdFor', () => {
  it('derives the same client-request-id as every earlier version for the same call and clientContext', () => {
    expect(requestIdFor('e141b67c-90fd-455d-858b-b48a40b9cc8d', 'hold-1')).toBe('857c0364-8f3d-5c98-9c05-0237f164c710')
  })

  it('hashes a clientContext of non-ASCII characters as UTF-8, as before', () => {
    expect(requestIdFor('e141b67c-90fd-455d-858b-b48a40b9cc8d', 'ü€😀'.repeat(64))).toBe('b1006ec0-7e48-5e4e-a698-bbc067b0ff83')
  })

  it('derives the same id for input longer than any valid clientContext', () => {
    expect(requestIdFor('k', 'é'.repeat(1000))).toBe('d7828241-e43d-5fe5-b4ed-e7e4075ffdf6')
  })

  it('agrees with the first derivation for names of every length and script, short and past the scratch buffer', () => {
    const text = fc.oneof(fc.string({ maxLength: 400 }), fc.string({ unit: 'binary', maxLength: 400 }), fc.string({ unit: 'grapheme', maxLength: 200 }))
    fc.assert(
      fc.property(text, text, (callKey, clientContext) => {
        expect(requestIdFor(callKey, clientContext)).toBe(firstDerivation(callKey, clientContext))
      }),
      { numRuns: 2000 },
    )
    // Right at the buffer's bound (1,008 bytes after the namespace; 3 bytes per unit counted), and past it.
    for (const n of [334, 335, 336, 1007, 1008, 1009]) {
      expect(requestIdFor('', 'a'.repeat(n))).toBe(firstDerivation('', 'a'.repeat(n)))
      expect(requestIdFor('€', '€'.repeat(n))).toBe(firstDerivation('€', '€'.repeat(n)))
    }
  })

  it('gives different requests different ids', () => {
    expect(requestIdFor('a', 'bc')).not.toBe(requestIdFor('ab', 'c'))
    expect(requestIdFor('call-1', 'hold-1')).not.toBe(requestIdFor('call-1', 'hold-2'))
  })
})
