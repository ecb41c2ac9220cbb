import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import type * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { CallResource } from '../../src/codecs/CallResource.js'
import { CommsNotifications } from '../../src/codecs/CommsNotification.js'
import { AnyOperation } from '../../src/codecs/CommsOperation.js'
import { decode, decodeShaped } from '../../src/codecs/decode.js'
import { Participant } from '../../src/codecs/Participant.js'
import { actionCatalog } from '../../src/graph/actionCatalog.js'
import { applyMutation, clone, fixtureBatches, hostileValue, materialise, mutation, validBatch } from '../security/notificationArbitraries.js'

// decodeShaped skips decoding when a codec's guard accepts the input. That is sound only while
// every guard accepts nothing that decoding would change or refuse: these tests hold each codec
// it is used with to that.
const shapedCodecs: readonly (readonly [string, t.Mixed])[] = [
  ['CommsNotifications', CommsNotifications],
  ['AnyOperation', AnyOperation],
  ['Participant', Participant],
  ['CallResource', CallResource],
  ...Object.entries(actionCatalog).map(([action, spec]) => [`${action} body`, spec.body as t.Mixed] as const),
]

const resourceItems = (batch: unknown): unknown[] => {
  const value = (batch as { value?: unknown } | null)?.value
  if (!Array.isArray(value)) return []
  return value.flatMap((n: unknown) => {
    const data = (n as { resourceData?: unknown } | null)?.resourceData
    return Array.isArray(data) ? data : [data]
  })
}

const expectGuardImpliesIdentity = (input: unknown): void => {
  for (const [name, codec] of shapedCodecs) {
    if (!codec.is(input)) continue
    const decoded = decode(codec, input)
    expect(E.isRight(decoded), `${name} decodes what its guard accepts`).toBe(true)
    if (E.isRight(decoded)) expect(decoded.right, `${name} decodes what its guard accepts to itself`).toBe(input)
  }
}

describe('decodeShaped', () => {
  it('gives back the input itself, only where decoding would give back that very input (valid and mutated batches and their items)', () => {
    fc.assert(
      fc.property(validBatch, fc.array(mutation, { maxLength: 3 }), (batch, mutations) => {
        const model = mutations.reduce((m, mu) => applyMutation(m, mu), clone(batch))
        const input = materialise(model)
        expectGuardImpliesIdentity(input)
        for (const item of resourceItems(input)) expectGuardImpliesIdentity(item)
      }),
      { seed: 20250607, numRuns: 400 },
    )
  })

  it('gives back the input itself only where decoding would, for hostile values and request bodies', () => {
    fc.assert(
      fc.property(hostileValue, (v) => expectGuardImpliesIdentity(materialise(v))),
      { seed: 20250608, numRuns: 300 },
    )
    expectGuardImpliesIdentity({})
    expectGuardImpliesIdentity({ clientContext: 'hold-1', customPrompt: { mediaInfo: { uri: 'https://x/a.wav' } } })
    expectGuardImpliesIdentity({ clientContext: 'x', prompts: [{ mediaInfo: { uri: 'u' } }], tones: ['tone1', 'star'], status: 'recording' })
    for (const { body } of fixtureBatches) {
      expectGuardImpliesIdentity(body)
      for (const item of resourceItems(body)) expectGuardImpliesIdentity(item)
    }
  })

  it('still normalises what the guard refuses: a changeType or status in another casing is decoded to its normal form', () => {
    const batch = {
      value: [
        {
          changeType: 'Deleted',
          resourceUrl: '/communications/calls/x/operations/y',
          resourceData: { status: 'Completed', clientContext: 'c' },
        },
      ],
    }
    const r = decodeShaped(CommsNotifications, batch)
    expect(E.isRight(r) && r.right.value[0]?.changeType).toBe('deleted')
    const op = decodeShaped(AnyOperation, batch.value[0]?.resourceData)
    expect(E.isRight(op) && op.right.status).toBe('completed')
  })

  it('refuses what decode refuses, with the same path and message', () => {
    const bad = { value: [{ changeType: 'deleted', resourceUrl: 7 }] }
    expect(decodeShaped(CommsNotifications, bad)).toStrictEqual(decode(CommsNotifications, bad))
    expect(E.isLeft(decodeShaped(CommsNotifications, bad))).toBe(true)
  })
})
