import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { createCallOrchestrator } from '../../src/index.js'
import { startHarness, until, type Harness } from './harness.js'
import { batch, post, rosterUpdated } from '../support/notifications.js'

const open: Harness[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()))
})

const minimal = { graph: { getToken: async () => 't' }, notificationAuth: false as const }

describe('the orchestrator checks its options and requests with one codec', () => {
  it('throws at construction, naming the option, for each bad value the review found', () => {
    const bad: [unknown, string][] = [
      [{ ...minimal, holdPolicy: 'Queue' }, 'holdPolicy'],
      [{ ...minimal, timeouts: { startHoldMusc: 5 } }, 'timeouts.startHoldMusc'],
      [{ ...minimal, store: {} }, 'store'],
      [{ ...minimal, maxCalls: 1.5 }, 'maxCalls'],
      [{ ...minimal, inspect: 'yes' }, 'inspect'],
      [{ ...minimal, bogus: 1 }, 'bogus'],
      [{ notificationAuth: false }, 'graph'],
      [undefined, 'options'],
    ]
    for (const [options, name] of bad) {
      expect(() => createCallOrchestrator(options as never), name).toThrow(TypeError)
      expect(() => createCallOrchestrator(options as never), name).toThrow(name === 'options' ? /option/ : new RegExp(`\`${name.replace('.', '\\.')}\``))
    }
  })

  it('answers InvalidRequest, never throws, for an unknown action or a bad hold policy', async () => {
    const h = await startHarness()
    open.push(h)
    const callId = randomUUID()
    await expect(h.orchestrator.run('bogus' as never, { callId } as never)).resolves.toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidRequest' } })
    const r = await h.orchestrator.startHoldMusic({ callId, participantId: 'p1', holdPolicy: 'bogus' as never })
    expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidRequest', path: 'holdPolicy' } })
    expect(h.orchestrator.registerCall({ callId, kind: 'bogus' as never })).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidRequest' } })
    expect(h.graph.requests).toEqual([])
  })

  it('registerCall applies its kind and policy to a call a notification already started', async () => {
    const h = await startHarness()
    open.push(h)
    const callId = randomUUID()
    expect((await post(h.webhookUrl, batch(rosterUpdated(callId, [{ id: 'p1' }])))).status).toBe(202)
    await until(() => h.orchestrator.getCall(callId) !== undefined)
    expect(h.orchestrator.getCall(callId)).toMatchObject({ holdPolicy: 'reject', kind: 'unknown' })
    h.orchestrator.registerCall({ callId, kind: 'group', holdPolicy: 'queue' })
    expect(h.orchestrator.getCall(callId)).toMatchObject({ holdPolicy: 'queue', kind: 'group' })
  })
})
