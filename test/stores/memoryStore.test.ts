import { describe, expect, it } from 'vitest'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { describeStoreContract } from './storeContract.js'

describeStoreContract('memory store', async ({ retentionMs }) =>
  createMemoryStore({ durable: true, ...(retentionMs === undefined ? {} : { retentionMs }) }),
)

describe('memory store: its own behaviour', () => {
  it('is not durable unless asked', () => {
    expect(createMemoryStore().durable).toBe(false)
    expect(createMemoryStore({ durable: true }).durable).toBe(true)
  })

  it('keeps its own copy: changing a saved or loaded object changes nothing stored', async () => {
    const s = createMemoryStore()
    const snapshot = { context: { n: 1 } }
    await s.save('c', snapshot, 0, { open: true })
    snapshot.context.n = 2
    const loaded = await s.load('c')
    ;(loaded?.snapshot as { context: { n: number } }).context.n = 3
    expect((await s.load('c'))?.snapshot).toEqual({ context: { n: 1 } })
  })

  it('refuses a retention that is not a positive number', () => {
    expect(() => createMemoryStore({ retentionMs: 0 })).toThrow(/retentionMs/)
  })
})
