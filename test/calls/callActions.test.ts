import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Simulator } from '../../src/simulator/index.js'
import { controlledClock } from '../../src/testing/index.js'
import { right } from '../support/either.js'
import { agent, answerBody, ringBot, serviceHosted, startBot, startSim, until, type BotOnSimulator } from './callActionsRig.js'

// The bot's call actions through the orchestrator, against the simulator: each resolves when the
// call's state shows its outcome.

let sim: Simulator
let bot: BotOnSimulator

beforeAll(async () => {
  sim = await startSim(21)
  bot = await startBot(sim)
})
afterAll(async () => {
  await bot.close()
  await sim.close()
})

const stateOf = (callId: string): string => right(sim.call(callId)).state

const answered = async (extra: Record<string, unknown> = {}) => {
  const call = await ringBot(sim, bot, extra)
  const r = await bot.orchestrator.answer({ callId: call.callId, body: answerBody })
  expect(r).toEqual(E.right(expect.objectContaining({ action: 'answer', state: 'established' })))
  return call
}

describe('answer', () => {
  test('an incoming call rung by the simulator is answered and resolves once it is established', async () => {
    const call = await answered()
    expect(bot.orchestrator.getCall(call.callId)?.state).toBe('established.hold.free')
    expect(stateOf(call.callId)).toBe('established')
  })

  test('resolves on established even when Graph posts established before establishing', async () => {
    await answered({ faults: { establishedFirst: 1 } })
  })

  test('fails with the terminated resultInfo when the call ends instead (the answer came too late for Graph)', async () => {
    const call = await ringBot(sim, bot, { faults: { answerTooLate: 1 } })
    const r = await bot.orchestrator.answer({ callId: call.callId, body: answerBody })
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'CallActionFailed', action: 'answer', state: 'terminated', resultInfo: expect.objectContaining({ code: 408 }) })))
  })

  test('a body that is not an answer body is refused before anything is sent', async () => {
    const call = await ringBot(sim, bot)
    const sent = sim.requests().length
    const r = await bot.orchestrator.answer({ callId: call.callId, body: { acceptedModalities: 'audio' } as never })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidRequest', path: 'body' })
    expect(sim.requests().length).toBe(sent)
  })

  test('after the answer deadline it fails AnswerTooLate before anything is sent', async () => {
    const clock = controlledClock(Date.now())
    const late = await startBot(sim, { clock })
    try {
      const call = await ringBot(sim, late)
      clock.advance(15_000)
      const sent = sim.requests().length
      const r = await late.orchestrator.answer({ callId: call.callId, body: answerBody })
      expect(E.isLeft(r) && r.left._tag).toBe('AnswerTooLate')
      expect(sim.requests().length).toBe(sent)
    } finally {
      await late.close()
    }
  })
})

describe('reject and redirect', () => {
  test('reject resolves when Graph deletes the call', async () => {
    const call = await ringBot(sim, bot)
    const r = await bot.orchestrator.reject({ callId: call.callId, body: { reason: 'busy' } })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'reject', state: 'terminated' })))
    expect(stateOf(call.callId)).toBe('terminated')
  })

  test('redirect resolves when Graph ends the bot’s call', async () => {
    const call = await ringBot(sim, bot)
    const r = await bot.orchestrator.redirect({ callId: call.callId, body: { targets: [agent], timeout: 30 } })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'redirect', state: 'terminated' })))
  })

  test('reject is refused once the call is answered', async () => {
    const call = await answered()
    const sent = sim.requests().length
    const r = await bot.orchestrator.reject({ callId: call.callId })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    expect(sim.requests().length).toBe(sent)
  })
})

describe('transfer', () => {
  test('a blind transfer resolves once Graph accepts it', async () => {
    const call = await answered()
    const r = await bot.orchestrator.transfer({ callId: call.callId, body: { transferTarget: agent } })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'transfer', state: 'transferaccepted' })))
    await until(() => bot.orchestrator.getCall(call.callId)?.state === 'terminated')
  })

  test('a failing transfer resolves CallActionFailed with 500/7000 and the call is back to established with the caller still on hold', async () => {
    const call = await answered({ faults: { transferFailRate: 1 } })
    const caller = call.participants[0]?.id ?? ''
    right(await bot.orchestrator.startHoldMusic({ callId: call.callId, participantId: caller }))
    const r = await bot.orchestrator.transfer({ callId: call.callId, body: { transferTarget: agent } })
    expect(r).toEqual(E.left(expect.objectContaining({ _tag: 'CallActionFailed', action: 'transfer', state: 'established', resultInfo: expect.objectContaining({ code: 500, subcode: 7000 }) })))
    expect(bot.orchestrator.getCall(call.callId)?.state).toBe('established.hold.held')
  })

  test('is refused before sending: on a call still ringing, with a transferee in a peer-to-peer call, and while another transfer is under way', async () => {
    const ringing = await ringBot(sim, bot)
    const sent = sim.requests().length
    const notYet = await bot.orchestrator.transfer({ callId: ringing.callId, body: { transferTarget: agent } })
    expect(E.isLeft(notYet) && notYet.left).toMatchObject({ _tag: 'InvalidRequest', path: 'callId' })
    expect(sim.requests().length).toBe(sent)

    const call = await answered()
    bot.orchestrator.registerCall({ callId: call.callId, kind: 'peerToPeer' })
    const before = sim.requests().length
    const transferee = await bot.orchestrator.transfer({ callId: call.callId, body: { transferTarget: agent, transferee: { identity: { user: { id: 'someone' } } } } })
    expect(E.isLeft(transferee) && transferee.left).toMatchObject({ _tag: 'InvalidRequest', path: 'body.transferee' })
    expect(sim.requests().length).toBe(before)

    const first = bot.orchestrator.transfer({ callId: call.callId, body: { transferTarget: agent } })
    const second = await bot.orchestrator.transfer({ callId: call.callId, body: { transferTarget: agent } })
    expect(E.isLeft(second) && second.left.message).toMatch(/already under way/)
    expect(E.isRight(await first)).toBe(true)
  })
  test('from a call that rang one to one and that an invite made a group call is refused before anything is sent', async () => {
    const call = await answered()
    right(await bot.orchestrator.inviteParticipants({ callId: call.callId, participants: [{ identity: { user: { id: 'agent-2', displayName: 'Agent' } } }] }))
    const before = sim.requests().length
    const r = await bot.orchestrator.transfer({ callId: call.callId, body: { transferTarget: agent } })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidRequest', path: 'callId', message: expect.stringMatching(/invite made it a group call/) })
    expect(sim.requests().length).toBe(before)
    expect(stateOf(call.callId)).toBe('established')
  })
})

describe('an outgoing call', () => {
  test('createCall: 201 with the call id, tracked from establishing, resolves once established', async () => {
    const r = await bot.orchestrator.createCall({ body: { targets: [agent], requestedModalities: ['audio'], mediaConfig: serviceHosted, callbackUri: bot.webhookUrl } })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'createCall', state: 'established' })))
    const callId = E.isRight(r) ? r.right.callId : ''
    expect(stateOf(callId)).toBe('established')
    expect(bot.orchestrator.getCall(callId)?.state).toBe('established.hold.free')
    right(await bot.orchestrator.hangUp({ callId }))
  })

  test('an outgoing call to one target is peer-to-peer: once an invite made it a group call, a transfer is refused before anything is sent', async () => {
    const created = right(await bot.orchestrator.createCall({ body: { targets: [agent], requestedModalities: ['audio'], mediaConfig: serviceHosted, callbackUri: bot.webhookUrl } }))
    const callId = created.callId
    right(await bot.orchestrator.inviteParticipants({ callId, participants: [{ identity: { user: { id: 'c8f1a0b2-3d4e-4f50-8a6b-7c8d9e0f1a2b', displayName: 'Supervisor' } } }] }))
    const sent = sim.requests().length
    const t = await bot.orchestrator.transfer({ callId, body: { transferTarget: agent } })
    expect(E.isLeft(t) && t.left).toMatchObject({ _tag: 'InvalidRequest' })
    expect(sim.requests().length).toBe(sent)
    right(await bot.orchestrator.hangUp({ callId }))
  })

  test('a body that is not a createCall body is refused before anything is sent', async () => {
    const sent = sim.requests().length
    const r = await bot.orchestrator.createCall({ body: { targets: 'nobody' } as never })
    expect(E.isLeft(r) && r.left).toMatchObject({ _tag: 'InvalidRequest', path: 'body' })
    expect(sim.requests().length).toBe(sent)
  })
})

describe('hang up and remove a participant', () => {
  test('stats count a call action whose caller waits, and none once it settled', async () => {
    const call = await answered()
    // The terminated notification is held back, so the hang-up waits for it.
    right(sim.setFaults({ notificationLatencyMs: [300, 300] }, call.callId))
    const hangingUp = bot.orchestrator.hangUp({ callId: call.callId })
    expect(bot.orchestrator.stats()).toEqual(expect.objectContaining({ pendingCallActions: 1, pendingOperations: 0 }))
    right(await hangingUp)
    expect(bot.orchestrator.stats().pendingCallActions).toBe(0)
  })

  test('hangUp resolves on terminated and a hold still in flight ends CallEnded', async () => {
    const call = await answered()
    const caller = call.participants[0]?.id ?? ''
    right(sim.setFaults({ dropRate: 1 }, call.callId))
    const hold = bot.orchestrator.startHoldMusic({ callId: call.callId, participantId: caller })
    await until(() => bot.orchestrator.getCall(call.callId)?.state === 'established.hold.holding')
    await until(() => sim.requests().some((r) => r.path.endsWith('/startHoldMusic') && r.path.includes(call.callId)))
    right(sim.setFaults({ dropRate: 0 }, call.callId))
    const r = await bot.orchestrator.hangUp({ callId: call.callId })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'hangUp', state: 'terminated' })))
    const held = await hold
    expect(E.isLeft(held) && held.left._tag).toBe('CallEnded')
  })

  test('hangUp of a call that has already ended resolves as ended', async () => {
    const call = await answered()
    right(await bot.orchestrator.hangUp({ callId: call.callId }))
    const again = await bot.orchestrator.hangUp({ callId: call.callId })
    expect(again).toEqual(E.right(expect.objectContaining({ alreadyEnded: true })))
  })

  test('hangUp of a call that ended and was forgotten, or that callops never tracked, resolves as ended', async () => {
    const forgetful = await startBot(sim, { endedCallRetentionMs: 1 })
    try {
      const call = await ringBot(sim, forgetful)
      right(await forgetful.orchestrator.reject({ callId: call.callId }))
      await until(() => forgetful.orchestrator.getCall(call.callId) === undefined)
      const sent = sim.requests().length
      expect(await forgetful.orchestrator.hangUp({ callId: call.callId })).toEqual(E.right(expect.objectContaining({ alreadyEnded: true })))
      expect(sim.requests().length).toBe(sent)
      // Never tracked here: the DELETE is sent and Graph's 404 says it is gone.
      const unknown = await forgetful.orchestrator.hangUp({ callId: '9b2a3c44-0d1e-4f5a-8b6c-7d8e9f0a1b2c' })
      expect(unknown).toEqual(E.right(expect.objectContaining({ alreadyEnded: true })))
      expect(sim.requests().length).toBe(sent + 1)
    } finally {
      await forgetful.close()
    }
  })

  test('removeParticipant resolves on the 204 and the participant leaves the roster', async () => {
    const call = await answered()
    const caller = call.participants[0]?.id ?? ''
    await until(() => bot.orchestrator.getCall(call.callId)?.roster.some((p) => p.id === caller) === true)
    const r = await bot.orchestrator.removeParticipant({ callId: call.callId, participantId: caller })
    expect(r).toEqual(E.right(expect.objectContaining({ action: 'removeParticipant', participantId: caller })))
    expect(bot.orchestrator.getCall(call.callId)?.roster.some((p) => p.id === caller)).toBe(false)
  })
})
