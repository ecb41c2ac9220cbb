import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  copyHoldSlot,
  copyInFlight,
  copyOperation,
  copyOperationContext,
  holdSlotKeys,
  inFlightKeys,
  operationContextKeys,
  operationKeys,
} from '../../machines/literalCopies.js'

// Each copier against its type's key table: whatever subset of the fields a record has, its copy is
// a new object with exactly those fields and values, as a spread would make it (the required ones
// are always there).
const copiers = [
  ['an operation', operationKeys, copyOperation],
  ['an operation lifecycle context', operationContextKeys, copyOperationContext],
  ['an operation entry of a call', inFlightKeys, copyInFlight],
  ['the hold slot', holdSlotKeys, copyHoldSlot],
] as const

describe('literal copies of the records an operation event replaces', () => {
  for (const [what, keys, copy] of copiers) {
    it(`copy every field of ${what} it has, and no other`, () => {
      const names = Object.keys(keys)
      const required = names.filter((k) => (keys as Record<string, string>)[k] === 'required')
      const optional = names.filter((k) => !required.includes(k))
      fc.assert(
        fc.property(fc.subarray(optional).map((some) => [...required, ...some]), fc.array(fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.object()), { minLength: names.length, maxLength: names.length }), (present, values) => {
          const record: Record<string, unknown> = {}
          for (const k of present) record[k] = values[names.indexOf(k)]
          const copied = (copy as (r: never) => unknown)(record as never)
          expect(copied).not.toBe(record)
          expect(copied).toStrictEqual({ ...record })
        }),
        { numRuns: 300 },
      )
    })
  }
})
