import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { callMachine } from '../../machines/call.machine.js'
import { CALL_SNAPSHOT_VERSION } from '../../src/codecs/StoredCallSnapshot.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { startHarness, type Harness } from '../orchestrator/harness.js'
import { deleteKeys, testClient, testPrefix } from '../redis/redisTestEnv.js'
import { capturingLogger } from '../security/capturingLogger.js'
import { batch, operationNotification, post } from '../support/notifications.js'
import fixtureV1 from '../fixtures/snapshots/stored-call-v1.json' with { type: 'json' }

const BOMB = 'c0ffee00-0000-4000-8000-00000000b0b0'

// A call machine whose guard throws for one call only: the fault an unexpected state or a bug would cause.
const throwingMachine = callMachine.provide({
  guards: {
    isUnmuteInOneToOneCall: ({ context, event }) => {
      if (context.callId === BOMB) throw new Error('a guard of this call threw')
      return context.kind === 'peerToPeer' && event.type === 'operation.requested' && event.action === 'unmute'
    },
  },
})

const open: Harness[] = []
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  await Promise.all(open.splice(0).map((h) => h.close()))
  await Promise.all(cleanups.splice(0).map((c) => c()))
})

const stores: Record<string, () => Promise<SnapshotStore>> = {
  memory: async () => createMemoryStore(),
  'memory, durable': async () => createMemoryStore({ durable: true }),
  redis: async () => {
    const prefix = testPrefix('fails-alone')
    const redis = testClient('fails-alone')
    const store = createRedisStore({ redis, prefix })
    cleanups.push(async () => {
      await store.close()
      await deleteKeys(redis, prefix)
      redis.disconnect()
    })
    return store
  },
}

/** A stored call of the current schema version, with `change` applied to the machine snapshot. */
const storedShape = (callId: string, change: (call: Record<string, unknown>) => Record<string, unknown>): unknown => {
  const call = structuredClone(fixtureV1) as unknown as Record<string, unknown>
  const context = { ...(call['context'] as Record<string, unknown>), callId }
  return { schemaVersion: CALL_SNAPSHOT_VERSION, call: change({ ...call, context, children: {} }) }
}

describe.each(Object.keys(stores))('a call that fails alone (%s store)', (kind) => {
  const start = async () => {
    const store = await (stores[kind] as () => Promise<SnapshotStore>)()
    const log = capturingLogger()
    const h = await startHarness({ store, machine: throwingMachine, logger: log.logger })
    open.push(h)
    return { store, log, h }
  }

  it('answers CallFailed to the caller when a guard throws, logs the call id, and other calls go on', async () => {
    const { log, h } = await start()
    const others = [randomUUID(), randomUUID()]
    const [bomb, ...rest] = await Promise.all([BOMB, ...others].map((callId) => h.orchestrator.unmute({ callId })))
    expect(bomb).toMatchObject({ _tag: 'Left', left: { _tag: 'CallFailed', callId: BOMB, cause: 'machine' } })
    for (const r of rest) expect(E.isRight(r) && r.right.status).toBe('completed')
    expect(log.entries.some((e) => e.level === 'error' && e.obj['callId'] === BOMB)).toBe(true)
    // The failed call stays failed; a call started afterwards works.
    expect(await h.orchestrator.unmute({ callId: BOMB })).toMatchObject({ _tag: 'Left', left: { _tag: 'CallFailed' } })
    const later = await h.orchestrator.unmute({ callId: randomUUID() })
    expect(E.isRight(later)).toBe(true)
  })

  it('answers every caller waiting on the call that fails, not only the one whose event threw', async () => {
    const { h } = await start()
    // A prompt waits on the call (running, no notification yet), then the unmute throws.
    const prompt = h.orchestrator.playPrompt({ callId: BOMB, prompts: [{ mediaInfo: { uri: 'https://example.com/a.wav' } }] })
    await new Promise((r) => setTimeout(r, 50))
    const unmute = await h.orchestrator.unmute({ callId: BOMB })
    expect(unmute).toMatchObject({ left: { _tag: 'CallFailed' } })
    expect(await prompt).toMatchObject({ left: { _tag: 'CallFailed', callId: BOMB } })
    expect(h.orchestrator.stats().pendingOperations).toBe(0)
  })

  const refused: Record<string, (callId: string) => unknown> = {
    'a stored snapshot of the wrong shape': (callId) => storedShape(callId, (c) => ({ ...c, context: { ...(c['context'] as object), queue: 'not a list' } })),
    'a stored snapshot with an unknown state value': (callId) => storedShape(callId, (c) => ({ ...c, value: { established: { hold: 'onTheMoon', transfer: 'idle' } } })),
    'a stored snapshot of a newer schema version': (callId) => ({ schemaVersion: CALL_SNAPSHOT_VERSION + 1, call: {} }),
  }
  for (const [what, shape] of Object.entries(refused)) {
    it(`refuses ${what} for that call only: its callers get CallFailed, other calls complete`, async () => {
      const { store, log, h } = await start()
      const callId = randomUUID()
      const saved = await store.save(canonicalId(callId), shape(callId), 0, { open: true })
      expect('_tag' in saved).toBe(false)
      await h.orchestrator.restore()
      // A notification for it is applied to nothing; a command is answered CallFailed.
      expect((await post(h.webhookUrl, batch(operationNotification({ callId, operationId: randomUUID() })))).status).toBe(202)
      const r = await h.orchestrator.unmute({ callId })
      expect(r).toMatchObject({ _tag: 'Left', left: { _tag: 'CallFailed', cause: 'snapshot' } })
      const other = await h.orchestrator.unmute({ callId: randomUUID() })
      expect(E.isRight(other)).toBe(true)
      // Nothing was sent for the refused call, and the stored snapshot is left for a version that can read it.
      expect(h.graph.requests.filter((q) => q.callId === callId)).toEqual([])
      expect((await store.load(canonicalId(callId)))?.snapshot).toEqual(shape(callId))
      expect(log.text()).toContain(canonicalId(callId))
    })
  }
})
