import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import type { OrchestratorEvent } from '../../src/index.js'
import { controlledClock } from '../support/controlledClock.js'
import { documentedAnswer, type SeenRequest, type StandInAnswer } from '../support/graphStandIn.js'
import { batch, operationNotification, post, rosterLeft, terminated } from '../support/notifications.js'
import { startHarness, until, type Harness } from './harness.js'

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const A = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'
const B = 'b0b0b0b0-7145-4ca3-bcd8-577f561fcb6e'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

/** The operation id the stand-in answered a request with. */
const answeredIds = new Map<string, string>()
const recordingAnswer = (req: SeenRequest): StandInAnswer => {
  const a = documentedAnswer(req)
  const body = a.body as { id: string }
  answeredIds.set(String(req.body['clientContext']), body.id)
  return a
}

const complete = (
  harness: Harness,
  req: SeenRequest,
  extra: { status?: string; resultInfo?: { code: number }; upper?: boolean; withClientContext?: boolean } = {},
) => {
  const opId = answeredIds.get(String(req.body['clientContext'])) ?? 'unknown'
  const callId = extra.upper === true ? req.callId.replace(/-/g, '').toUpperCase() : req.callId
  const id = extra.upper === true ? opId.replace(/-/g, '').toUpperCase() : opId
  return post(
    harness.webhookUrl,
    batch(
      operationNotification({
        callId,
        operationId: id,
        ...(extra.withClientContext === true ? { clientContext: String(req.body['clientContext']) } : {}),
        ...(extra.status === undefined ? {} : { status: extra.status }),
        ...(extra.resultInfo === undefined ? {} : { resultInfo: extra.resultInfo }),
      }),
    ),
  )
}

describe('orchestrator: the operation lifecycle over real HTTP', () => {
  it('resolves startHoldMusic when the completion notification arrives after the 202', async () => {
    h = await startHarness({}, recordingAnswer)
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.graph.requests.length === 1)
    const req = h.graph.requests[0]!
    expect(req.path).toBe(`/communications/calls/${CALL}/participants/${A}/startHoldMusic`)
    expect(req.headers['authorization']).toBe('Bearer test-token')
    expect(typeof req.body['clientContext']).toBe('string')
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    expect(h.orchestrator.getCall(CALL)?.hold).toEqual({ participantId: A, phase: 'holding' })
    expect((await complete(h, req)).status).toBe(202)
    const result = await held
    expect(E.isRight(result) && result.right.status).toBe('completed')
    expect(h.orchestrator.getCall(CALL)?.hold).toEqual({ participantId: A, phase: 'held' })
  })

  it.each([
    ['with its clientContext', true],
    ['with only the operation id', false],
  ])('keeps a notification that beats the HTTP answer (%s) and ends the operation as it said', async (_, withClientContext) => {
    h = await startHarness()
    const harness = h
    harness.graph.respond = async (req) => {
      const answer = recordingAnswer(req)
      // The completion reaches the webhook before Graph's answer leaves.
      expect((await complete(harness, req, { withClientContext, status: 'failed', resultInfo: { code: 500 } })).status).toBe(202)
      return answer
    }
    const result = await harness.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    expect(E.isLeft(result) && result.left._tag).toBe('OperationFailed')
    expect(harness.orchestrator.getCall(CALL)?.hold).toBeUndefined()
  })

  it('resolves unmute at once from its final 200 answer, with no notification', async () => {
    h = await startHarness()
    const result = await h.orchestrator.unmute({ callId: CALL })
    expect(E.isRight(result) && result.right.status).toBe('completed')
    expect(h.orchestrator.getCall(CALL)?.botMuted).toBe(false)
  })

  it('ignores duplicate and reordered notifications of an ended operation', async () => {
    h = await startHarness({}, recordingAnswer)
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    const req = h.graph.requests[0]!
    await complete(h, req)
    expect(E.isRight(await held)).toBe(true)
    const stop = h.orchestrator.stopHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    const stopReq = h.graph.requests[1]!
    await complete(h, stopReq)
    expect(E.isRight(await stop)).toBe(true)
    // Late duplicates of both completions, in the wrong order: nothing changes, nothing throws.
    expect((await complete(h, stopReq)).status).toBe(202)
    expect((await complete(h, req, { status: 'failed', resultInfo: { code: 500 } })).status).toBe(202)
    const view = h.orchestrator.getCall(CALL)
    expect(view?.state).toBe('established.hold.free')
    expect(view?.operations).toEqual([])
    expect(h.orchestrator.stats().unmatchedNotifications).toBe(2)
  })

  it('applies every notification of a batch that spans several calls', async () => {
    h = await startHarness({}, recordingAnswer)
    const calls = ['11111111-1111-1111-1111-111111111111', '22222222-2222-2222-2222-222222222222', '33333333-3333-3333-3333-333333333333']
    const results = calls.map((callId) => h!.orchestrator.startHoldMusic({ callId, participantId: A }))
    await until(() => calls.every((c) => h!.orchestrator.getCall(c)?.operations[0]?.state === 'running'))
    const notes = h.graph.requests.map((r) =>
      operationNotification({ callId: r.callId, operationId: answeredIds.get(String(r.body['clientContext'])) ?? null }),
    )
    expect((await post(h.webhookUrl, batch(...notes))).status).toBe(202)
    for (const r of await Promise.all(results)) expect(E.isRight(r)).toBe(true)
  })

  it('matches an invite completion with a null id by its clientContext', async () => {
    h = await startHarness()
    const invited = h.orchestrator.inviteParticipants({
      callId: CALL,
      clientContext: 'invite-ctx-1',
      participants: [{ identity: { user: { id: 'u1', displayName: 'Ann' } } }],
    })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    const note = operationNotification({
      callId: CALL,
      operationId: null,
      clientContext: 'invite-ctx-1',
      status: 'Completed',
      odataType: '#microsoft.graph.inviteParticipantsOperation',
    })
    expect((await post(h.webhookUrl, batch(note))).status).toBe(202)
    const result = await invited
    expect(E.isRight(result) && result.right.action).toBe('inviteParticipants')
  })

  it('matches notifications whose ids are upper case without dashes', async () => {
    h = await startHarness({}, recordingAnswer)
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    await complete(h, h.graph.requests[0]!, { upper: true })
    expect(E.isRight(await held)).toBe(true)
    expect(h.orchestrator.getCall(CALL.toUpperCase())?.hold?.phase).toBe('held')
  })

  it('retries a 429 and then succeeds, with the same client-request-id', async () => {
    h = await startHarness()
    let first = true
    h.graph.respond = (req) => {
      if (first) {
        first = false
        return { status: 429, headers: { 'retry-after': '0' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } }
      }
      return documentedAnswer(req)
    }
    const result = await h.orchestrator.unmute({ callId: CALL })
    expect(E.isRight(result)).toBe(true)
    expect(h.graph.requests).toHaveLength(2)
    expect(h.graph.requests[0]!.headers['client-request-id']).toBe(h.graph.requests[1]!.headers['client-request-id'])
  })

  it('answers Timeout at the deadline and records the late completion on the call', async () => {
    const clock = controlledClock()
    h = await startHarness({ clock, timeouts: { startHoldMusic: 5_000 } }, recordingAnswer)
    const events: OrchestratorEvent[] = []
    h.orchestrator.subscribe((e) => events.push(e))
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    clock.advance(4_999)
    expect(h.orchestrator.getCall(CALL)?.operations[0]?.state).toBe('running')
    clock.advance(1)
    const result = await held
    expect(E.isLeft(result) && result.left._tag).toBe('Timeout')
    // The slot is kept: the service may have put A on hold anyway.
    expect(h.orchestrator.getCall(CALL)?.hold).toEqual({ participantId: A, phase: 'holding' })
    await complete(h, h.graph.requests[0]!)
    expect(h.orchestrator.getCall(CALL)?.hold).toEqual({ participantId: A, phase: 'held' })
    expect(events.some((e) => e.type === 'lateOutcome' && e.operation.status === 'completed')).toBe(true)
  })

  it('answers HoldConflict without sending any request for the second participant', async () => {
    h = await startHarness({}, recordingAnswer)
    const leaving: (string | undefined)[] = []
    h.orchestrator.subscribe((e) => {
      if (e.type === 'request') leaving.push(e.participantId)
    })
    const first = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.graph.requests.length === 1)
    const second = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: B })
    expect(E.isLeft(second) && second.left).toMatchObject({ _tag: 'HoldConflict', heldBy: A, participantId: B })
    // A request for B would have been published as leaving in the same step that answered B.
    expect(leaving).toEqual([A])
    await complete(h, h.graph.requests[0]!)
    expect(E.isRight(await first)).toBe(true)
    expect(h.graph.requests.map((r) => r.participantId)).toEqual([A])
  })

  it('frees the slot when the held participant leaves the call', async () => {
    h = await startHarness({}, recordingAnswer)
    const first = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    await complete(h, h.graph.requests[0]!)
    await first
    expect((await post(h.webhookUrl, batch(rosterLeft(CALL, A)))).status).toBe(202)
    expect(h.orchestrator.getCall(CALL)?.hold).toBeUndefined()
  })

  it('ends every operation in flight with CallEnded when the call terminates, and refuses new ones', async () => {
    h = await startHarness()
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    const prompt = h.orchestrator.playPrompt({ callId: CALL, prompts: [{ mediaInfo: { uri: 'https://bot.example/hello.wav' } }] })
    await until(() => h!.graph.requests.length === 2)
    expect((await post(h.webhookUrl, batch(terminated(CALL)))).status).toBe(202)
    for (const r of await Promise.all([held, prompt])) expect(E.isLeft(r) && r.left._tag).toBe('CallEnded')
    const after = await h.orchestrator.unmute({ callId: CALL })
    expect(E.isLeft(after) && after.left._tag).toBe('CallEnded')
    expect(h.graph.requests).toHaveLength(2)
  })

  it('resolves pending operations with Cancelled on close()', async () => {
    h = await startHarness()
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.graph.requests.length === 1)
    await h.orchestrator.close()
    const result = await held
    expect(E.isLeft(result) && result.left._tag).toBe('Cancelled')
    const after = await h.orchestrator.unmute({ callId: CALL })
    expect(E.isLeft(after) && after.left._tag).toBe('Cancelled')
  })

  it('refuses bad ids and bodies before any request leaves', async () => {
    h = await startHarness()
    const bad = await Promise.all([
      h.orchestrator.startHoldMusic({ callId: '../x', participantId: A }),
      h.orchestrator.startHoldMusic({ callId: CALL, participantId: 'a%2fb' }),
      h.orchestrator.unmute({ callId: CALL, clientContext: 'x'.repeat(257) }),
      h.orchestrator.playPrompt({ callId: CALL, prompts: [] }),
      h.orchestrator.stopHoldMusic({ callId: CALL, participantId: A }),
    ])
    for (const r of bad) expect(E.isLeft(r) && r.left._tag).toBe('InvalidRequest')
    expect(h.graph.requests).toHaveLength(0)
  })

  it('offers each action as a TaskEither', async () => {
    h = await startHarness()
    const result = await h.orchestrator.te.unmute({ callId: CALL })()
    expect(E.isRight(result)).toBe(true)
  })

  it('settles 10,000 operations over 1,000 calls', async () => {
    h = await startHarness({}, documentedAnswer)
    const harness = h
    // Graph's side: complete every pending operation by notification shortly after answering.
    harness.graph.respond = (req) => {
      const a = documentedAnswer(req)
      const body = a.body as { id: string; status: string }
      if (body.status === 'running') {
        setImmediate(() => void post(harness.webhookUrl, batch(operationNotification({ callId: req.callId, operationId: body.id }))))
      }
      return a
    }
    const results: Promise<unknown>[] = []
    const perCall = async (i: number) => {
      const callId = `call-${i}`
      const out = []
      for (let k = 0; k < 10; k++) {
        out.push(await harness.orchestrator.playPrompt({ callId, prompts: [{ mediaInfo: { uri: 'https://bot.example/p.wav' } }] }))
      }
      return out
    }
    for (let i = 0; i < 1_000; i++) results.push(perCall(i))
    const all = (await Promise.all(results)).flat() as E.Either<unknown, unknown>[]
    expect(all).toHaveLength(10_000)
    expect(all.filter(E.isLeft).slice(0, 3)).toEqual([])
    expect(harness.orchestrator.stats().pendingOperations).toBe(0)
  }, 60_000)
})
