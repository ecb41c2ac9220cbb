import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createMemoryStore } from '../../src/index.js'
import type { Simulator } from '../../src/simulator/index.js'
import { controlledClock } from '../../src/testing/index.js'
import { ringBot, startBot, startSim, until } from './callActionsRig.js'

// A call's own deadlines (the answer deadline of a ringing call) are reached on a durable store as
// they are on the memory store, though no operation is due.

let sim: Simulator
beforeAll(async () => {
  sim = await startSim(31)
})
afterAll(async () => {
  await sim.close()
})

describe('a ringing call nobody answers', () => {
  test.each([
    ['memory', false],
    ['durable memory', true],
  ])('on the %s store it reaches incoming.deadlineMissed once its answer deadline passes', async (_, durable) => {
    const clock = controlledClock(Date.now())
    const bot = await startBot(sim, { clock, ...(durable ? { store: createMemoryStore({ durable: true, now: () => clock.now() }), sweepIntervalMs: 100 } : {}) })
    try {
      const call = await ringBot(sim, bot)
      for (let i = 0; i < 17; i++) {
        clock.advance(1_000)
        await new Promise((r) => setTimeout(r, 5))
      }
      await until(() => bot.orchestrator.getCall(call.callId)?.state === 'incoming.deadlineMissed', 2_000)
      expect(bot.orchestrator.getCall(call.callId)?.state).toBe('incoming.deadlineMissed')
    } finally {
      await bot.close()
    }
  })
})
