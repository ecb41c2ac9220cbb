import { describe, expect, it } from 'vitest'
import { copyRecord, emptyRecord, withEntry, without } from '../../machines/callHelpers.js'
import { own } from '../../machines/ownEntry.js'

describe("the call machine's records of operations", () => {
  it('stay dictionaries through withEntry and without, and keep a __proto__ key as an entry', () => {
    const a = withEntry(withEntry(emptyRecord<number>(), 'k1', 1), '__proto__', 2)
    expect(Object.getPrototypeOf(a)).toBeNull()
    expect(own(a, '__proto__')).toBe(2)
    const b = without(a, 'k1')
    expect(Object.getPrototypeOf(b)).toBeNull()
    expect(Object.keys(b)).toEqual(['__proto__'])
    expect(own(b, 'k1')).toBeUndefined()
    // An ordinary object (the roster) stays one.
    expect(Object.getPrototypeOf(without({ p1: 1, p2: 2 }, 'p1'))).toBe(Object.prototype)
  })

  it('share one frozen empty dictionary once the last entry leaves, and build a fresh one from it', () => {
    // Most settles take a call's only operation out of its record: no new dictionary for that.
    const first = without(withEntry(emptyRecord<number>(), 'k1', 1), 'k1')
    const second = without(withEntry(emptyRecord<number>(), 'k2', 2), 'k2')
    expect(first).toBe(second)
    expect(Object.isFrozen(first)).toBe(true)
    expect(Object.getPrototypeOf(first)).toBeNull()
    expect(Object.keys(first)).toEqual([])
    const next = withEntry(first, 'k3', 3)
    expect(next).not.toBe(first)
    expect(own(next, 'k3')).toBe(3)
    expect(Object.keys(first)).toEqual([])
    expect(Object.isFrozen(copyRecord(first))).toBe(false)
    // A key the record does not hold leaves it as it is.
    expect(without(next, 'absent')).toBe(next)
  })
})
