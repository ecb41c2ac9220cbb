import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { startHarness, until, type Harness } from './harness.js'
import { batch, operationNotification, post } from '../support/notifications.js'

const open: Harness[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()))
})

describe('notification counters', () => {
  for (const durable of [false, true]) {
    it(`count a notification for a call nobody knows once, as unmatched (durable: ${durable})`, async () => {
      const h = await startHarness({ store: createMemoryStore({ durable }) })
      open.push(h)
      expect((await post(h.webhookUrl, batch(operationNotification({ callId: randomUUID(), operationId: randomUUID() })))).status).toBe(202)
      await until(() => h.orchestrator.stats().unmatchedNotifications === 1)
      // A durable store is asked first; nothing is counted applied, before or after its answer.
      await new Promise((r) => setTimeout(r, 20))
      expect(h.orchestrator.stats()).toMatchObject({ unmatchedNotifications: 1, notificationsApplied: 0 })
    })
  }

  it('count a notification that does not decode as refused, and apply the rest of its batch', async () => {
    const h = await startHarness()
    open.push(h)
    const odd = { changeType: 'updated', resourceUrl: `/communications/calls/${randomUUID()}/operations/x`, resourceData: { status: 42 } }
    const fine = operationNotification({ callId: randomUUID(), operationId: randomUUID() })
    expect((await post(h.webhookUrl, { value: [odd, fine] })).status).toBe(202)
    await until(() => h.orchestrator.stats().unmatchedNotifications === 1)
    expect(h.orchestrator.stats()).toMatchObject({ refusedNotifications: 1, legacyNotifications: 0, unmatchedNotifications: 1 })
  })
})
