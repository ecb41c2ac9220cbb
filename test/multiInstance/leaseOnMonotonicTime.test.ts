import { describe, expect, test } from 'vitest'
import { createMemoryStore } from '../../src/index.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { createInstanceHeartbeat } from '../../src/runtime/createInstanceHeartbeat.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { controlledClock } from '../../src/testing/index.js'

// The lease is timed on elapsed (monotonic) time: a wall clock that steps neither fences a healthy
// instance nor stretches the lease of one whose renewals fail (issue 14, finding 7).

const TTL = 10_000
const settle = () => new Promise((r) => setTimeout(r, 5))

/** A real durable memory store whose heartbeats fail once `failing.on` is set. */
const storeWithFailingBeats = (failing: { on: boolean }): SnapshotStore => {
  const store = createMemoryStore({ durable: true })
  return Object.assign(Object.create(store) as SnapshotStore, {
    heartbeat: (id: string, ttlMs: number) => (failing.on ? Promise.reject(new Error('store unreachable')) : store.heartbeat(id, ttlMs)),
  })
}

describe('the instance lease', () => {
  test('holds when the wall clock steps forward an hour', async () => {
    const clock = controlledClock(Date.now())
    const beat = createInstanceHeartbeat(createMemoryStore({ durable: true }), TTL, clock, silentLogger, { fenced: () => undefined, renewed: () => undefined })
    await settle()
    clock.stepWall(3_600_000)
    expect(beat.fenced()).toBe(false)
    expect(beat.maySend(beat.id())).toBe(true)
    await beat.close()
  })

  test('still lapses on time when the wall clock steps back an hour and renewals fail', async () => {
    const clock = controlledClock(Date.now())
    const failing = { on: false }
    let fenced = 0
    const beat = createInstanceHeartbeat(storeWithFailingBeats(failing), TTL, clock, silentLogger, { fenced: () => void fenced++, renewed: () => undefined })
    await settle()
    const id = beat.id()
    failing.on = true
    clock.stepWall(-3_600_000)
    for (let i = 0; i < 8; i++) {
      clock.advance(1_000)
      await settle()
    }
    expect(beat.maySend(id)).toBe(false)
    expect(fenced).toBe(1)
    await beat.close()
  })
})
