import { describe, expect, it } from 'vitest'
import { requestIdFor } from '../../src/runtime/requestIdFor.js'

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

  it('gives different requests different ids', () => {
    expect(requestIdFor('a', 'bc')).not.toBe(requestIdFor('ab', 'c'))
    expect(requestIdFor('call-1', 'hold-1')).not.toBe(requestIdFor('call-1', 'hold-2'))
  })
})
