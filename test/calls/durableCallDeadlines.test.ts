import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createMemoryStore } from '../../src/index.js'
import type { Simulator } from '../../src/simulator/index.js'
import { controlledClock } from '../../src/testing/index.js'
import * as E from 'fp-ts/lib/Either.js'
import { right } from '../support/either.js'
import { answerBody, ringBot, startBot, startSim, until } from './callActionsRig.js'

// A call's own deadlines (the answer deadline of a ringing call, a call action's deadline) are reached on a durable store as
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

describe('a hang-up whose terminated notification never comes', () => {
  test('on the durable store it ends Timeout at its deadline, reached by the shared sweep', async () => {
    const clock = controlledClock(Date.now())
    const bot = await startBot(sim, { clock, store: createMemoryStore({ durable: true, now: () => clock.now() }), sweepIntervalMs: 100, callActionTimeouts: { hangUp: 5_000 } })
    try {
      const call = await ringBot(sim, bot)
      right(await bot.orchestrator.answer({ callId: call.callId, body: answerBody }))
      right(sim.setFaults({ dropRate: 1 }, call.callId))
      let result: E.Either<{ readonly _tag: string }, unknown> | undefined
      void bot.orchestrator.hangUp({ callId: call.callId }).then((r) => (result = r))
      await until(() => sim.requests().some((q) => q.method === 'DELETE' && q.path.endsWith(call.callId)))
      for (let i = 0; i < 7 && result === undefined; i++) {
        clock.advance(1_000)
        await new Promise((r) => setTimeout(r, 10))
      }
      await until(() => result !== undefined, 2_000)
      expect(result !== undefined && E.isLeft(result) && result.left._tag).toBe('Timeout')
    } finally {
      await bot.close()
    }
  })
})
