import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import type { ActionResult, Clock } from '../../src/index.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { controlledClock, type ControlledClock } from '../support/controlledClock.js'
import { sharedStores } from './sharedStores.js'
import { startInstances, type Instances } from './instances.js'

// Finding 4 of issue 14: one instance's clock an hour ahead must not cut other instances' timeouts short.

const HOUR = 3_600_000

/** The same time and timers as `base`, read `offsetMs` off (an instance whose clock is wrong). */
const skewed = (base: ControlledClock, offsetMs: number): Clock => ({
  now: () => base.now() + offsetMs,
  monotonic: () => base.monotonic(),
  setTimeout: (fn, ms) => base.setTimeout(fn, ms),
  clearTimeout: (h) => base.clearTimeout(h),
})

const makers = sharedStores('skew')

describe.each(makers)('two instances on one %s, one of them an hour ahead', (_name, makeStore) => {
  let x: Instances | undefined
  let cleanup: (() => Promise<void>) | undefined
  afterEach(async () => {
    await x?.close()
    await cleanup?.()
    x = cleanup = undefined
  })

  const start = async (clock: ControlledClock) => {
    const made = await makeStore(() => clock.now())
    cleanup = made.cleanup
    x = await startInstances(0, made.store, { sweepIntervalMs: 100, instanceTtlMs: 1_000, timeouts: { startHoldMusic: 5_000 } })
    return { x, store: made.store }
  }

  /** Moves the controlled time on in 100 ms steps, `realMs` of real time each, until `done` or `ms`; returns the time it took. */
  const run = async (clock: ControlledClock, ms: number, realMs: number, done: () => boolean | Promise<boolean>): Promise<number> => {
    for (let t = 0; t <= ms; t += 100) {
      if (await done()) return t
      clock.advance(100)
      await new Promise((r) => setTimeout(r, realMs))
    }
    return Infinity
  }

  it('times an operation out at its own 5 s, not when the instance ahead first sweeps it', async () => {
    const clock = controlledClock(Date.now())
    const { x } = await start(clock)
    const a = await x.add({ clock })
    await x.add({ clock: skewed(clock, HOUR) })
    let result: ActionResult | undefined
    void a.orchestrator.startHoldMusic({ callId: randomUUID(), participantId: 'p1' }).then((r) => (result = r))
    await new Promise((r) => setTimeout(r, 50))
    const took = await run(clock, 8_000, 5, () => result !== undefined)
    expect(result !== undefined && E.isLeft(result) && result.left._tag).toBe('Timeout')
    expect(took).toBeGreaterThanOrEqual(4_900)
    expect(took).toBeLessThanOrEqual(5_300)
  })

  it('still times out the operation of an owner that died, on the instance ahead, once its heartbeat lapsed', async () => {
    const clock = controlledClock(Date.now())
    const { x, store } = await start(clock)
    // The owner is killed: it stops beating but never says it is gone.
    const a = await x.add({ clock, store: { ...store, forgetInstance: async () => {} } })
    await x.add({ clock: skewed(clock, HOUR) })
    const callId = randomUUID()
    void a.orchestrator.startHoldMusic({ callId, participantId: 'p1', clientContext: 'hold-a' })
    await new Promise((r) => setTimeout(r, 50))
    await run(clock, 500, 5, () => false)
    await a.close()
    const timedOut = async () => (await store.settlement(canonicalId(callId), 'hold-a')) !== undefined
    expect(await timedOut()).toBe(false)
    // Heartbeat lapse (1 s after the last beat, at most 1/3 s before the kill) plus a sweep or two.
    const took = await run(clock, 5_000, 100, timedOut)
    expect(took).toBeLessThanOrEqual(1_500)
    const settled = await store.settlement(canonicalId(callId), 'hold-a')
    expect(settled?.result.ok === false && settled.result.error._tag).toBe('Timeout')
  })
})
