import fc from 'fast-check'
import * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { decode } from '../../src/codecs/decode.js'
import { intersection, union } from '../../src/codecs/loopGuards.js'
import { Participant } from '../../src/codecs/Participant.js'

const Identity = t.partial({ id: t.union([t.string, t.null]), displayName: t.string })
const members = [t.type({ id: t.string }), t.null, t.array(t.number)] as const

describe('union and intersection with loop guards', () => {
  it('guard and decode as io-ts does, on any value', () => {
    const ours = union([...members])
    const theirs = t.union([...members])
    const oursBoth = intersection([t.type({ id: union([t.string, t.null]) }), Identity])
    const theirsBoth = t.intersection([t.type({ id: t.union([t.string, t.null]) }), Identity])
    const value = fc.oneof(
      fc.anything(),
      fc.record({ id: fc.oneof(fc.string(), fc.constant(null), fc.integer()), displayName: fc.oneof(fc.string(), fc.integer()) }, { requiredKeys: [] }),
      fc.array(fc.oneof(fc.integer(), fc.string())),
    )
    fc.assert(
      fc.property(value, (v) => {
        expect(ours.is(v)).toBe(theirs.is(v))
        expect(oursBoth.is(v)).toBe(theirsBoth.is(v))
        // The refusal as callops reports it: its path and message (io-ts's contexts hold the codec objects).
        expect(decode(ours, v)).toEqual(decode(theirs, v))
        expect(decode(oursBoth, v)).toEqual(decode(theirsBoth, v))
      }),
      { seed: 20261204, numRuns: 2000 },
    )
  })

  it('keep io-ts’s tags and names, which the decode paths read', () => {
    expect(union([t.string, t.null])).toMatchObject({ _tag: 'UnionType', name: '(string | null)' })
    expect(Participant).toMatchObject({ _tag: 'IntersectionType', name: 'Participant' })
  })
})
