import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type ActionResult, type CallOrchestrator } from '../../src/index.js'
import { steadyClock } from '../../src/domain/steadyClock.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { controlledClock, type ControlledClock } from '../support/controlledClock.js'
import { documentedAnswer, startGraphStandIn, type GraphStandIn } from '../support/graphStandIn.js'

// Finding 3 of issue 14: a wall clock that steps (NTP, a VM resume) must not stretch or cut a timeout.

const HOUR = 3_600_000
let graph: GraphStandIn | undefined
let orchestrator: CallOrchestrator | undefined

afterEach(async () => {
  await orchestrator?.close()
  await graph?.close()
  orchestrator = graph = undefined
})

/** A 1 s hold that Graph accepts (202 running) and never finishes, on the memory store (or a durable one, swept). */
const runningHold = async (clock: ControlledClock, durable: boolean): Promise<{ callId: string; settled: () => ActionResult | undefined }> => {
  // unmute is answered 50 ms late, so the call's timer is armed again after a step, from its answer.
  graph = await startGraphStandIn(async (req) => {
    if (req.action === 'unmute') await new Promise((r) => setTimeout(r, 50))
    return documentedAnswer(req)
  })
  orchestrator = createCallOrchestrator({ graph: { baseUrl: graph.baseUrl, getToken: async () => 't' }, notificationAuth: false, keepAlive: false, clock, ...(durable ? { store: createMemoryStore({ durable: true, now: () => clock.now() }), sweepIntervalMs: 100 } : {}), timeouts: { startHoldMusic: 1_000, unmute: 100 } })
  const answered = new Promise((resolve) => orchestrator?.subscribe((e) => e.type === 'answer' && resolve(e)))
  let result: ActionResult | undefined
  const callId = randomUUID()
  void orchestrator.startHoldMusic({ callId, participantId: 'p1' }).then((r) => (result = r))
  await answered
  return { callId, settled: () => result }
}

const settle = () => new Promise((r) => setTimeout(r, 20))

describe.each([
  ['memory store', false],
  ['durable store', true],
])('a wall clock that steps during a 1 s hold (%s)', (_store, durable) => {
  for (const [name, step] of [
    ['back one hour', -HOUR],
    ['forward one hour', HOUR],
  ] as const) {
    it(`times the hold out after about 1 s of elapsed time when the wall clock steps ${name}`, async () => {
      const clock = controlledClock()
      const hold = await runningHold(clock, durable)
      clock.advance(300)
      // A short operation on the same call, answered after the step: the call's next deadline is
      // the unmute's, then the hold's again, armed after the step.
      const unmuted = orchestrator?.unmute({ callId: hold.callId })
      await settle()
      clock.stepWall(step)
      const u = await unmuted
      expect(u !== undefined && E.isRight(u)).toBe(true)
      await settle()
      expect(hold.settled(), 'not at once').toBeUndefined()
      clock.advance(600) // 900 ms elapsed
      await settle()
      expect(hold.settled(), 'not before its second').toBeUndefined()
      clock.advance(200) // 1.1 s elapsed
      await settle()
      const r = hold.settled()
      expect(r !== undefined && E.isLeft(r) && r.left._tag, 'by 1.1 s, not an hour later').toBe('Timeout')
    })
  }
})

describe('steadyClock', () => {
  it('advances with the monotonic clock across a step and catches up with the wall clock at 2 % of elapsed time', () => {
    const wall = controlledClock(1_000_000)
    const clock = steadyClock(wall)
    wall.stepWall(-HOUR)
    expect(clock.now()).toBe(1_000_000)
    wall.advance(10_000)
    expect(clock.now()).toBe(1_000_000 + 10_000 - 200)
    wall.advance(1_000)
    expect(clock.now()).toBe(1_000_000 + 11_000 - 220)
  })

  it('reads the wall clock unchanged while it does not step', () => {
    const wall = controlledClock(5_000)
    const clock = steadyClock(wall)
    wall.advance(1_234)
    expect(clock.now()).toBe(wall.now())
  })
})
