import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { OrchestratorEvent, SpanAttributeValue, SpanLike, TracerLike } from '../../src/index.js'
import type { Simulator } from '../../src/simulator/index.js'
import { toWireEvent } from '../../src/view/toViewMessages.js'
import { agent, answerBody, ringBot, startBot, startSim, until, type BotOnSimulator } from '../calls/callActionsRig.js'

// Call actions are published as operations are: a request, Graph's answer and one settlement each,
// so the tracer makes one span per call action and the live view lists them.

interface RecordedSpan {
  readonly name: string
  readonly attributes: Record<string, SpanAttributeValue>
  readonly events: { name: string; attributes?: Readonly<Record<string, SpanAttributeValue>> }[]
  status: { code: number; message?: string }
  ended: number
}

const recordingTracer = () => {
  const spans: RecordedSpan[] = []
  const tracer: TracerLike = {
    startSpan: (name, options) => {
      const s: RecordedSpan = { name, attributes: { ...options?.attributes }, events: [], status: { code: 0 }, ended: 0 }
      spans.push(s)
      const span: SpanLike = {
        setAttribute: (k, v) => (s.attributes[k] = v),
        addEvent: (n, a) => s.events.push(a === undefined ? { name: n } : { name: n, attributes: a }),
        setStatus: (st) => (s.status = st),
        end: () => void s.ended++,
      }
      return span
    },
  }
  return { tracer, spans }
}

let sim: Simulator
let bot: BotOnSimulator
const { tracer, spans } = recordingTracer()
const heard: OrchestratorEvent[] = []

beforeAll(async () => {
  sim = await startSim(33)
  bot = await startBot(sim, { tracer })
  bot.orchestrator.subscribe((e) => heard.push(e))
})
afterAll(async () => {
  await bot.close()
  await sim.close()
})

describe('call actions published like operations', () => {
  test('an answer and a hang-up are one span each, from the request to the call state that settled them', async () => {
    const call = await ringBot(sim, bot)
    expect(E.isRight(await bot.orchestrator.answer({ callId: call.callId, body: answerBody, clientContext: 'answer-1' }))).toBe(true)
    expect(E.isRight(await bot.orchestrator.hangUp({ callId: call.callId, clientContext: 'hangup-1' }))).toBe(true)
    const answer = spans.find((s) => s.attributes['callops.client_context'] === 'answer-1')
    expect(answer).toMatchObject({
      name: 'callops answer',
      attributes: { 'callops.action': 'answer', 'callops.kind': 'callAction', 'callops.call_id': call.callId, 'callops.call_state': 'established', 'callops.client_request_id': expect.any(String) },
      events: [{ name: 'graph.answer', attributes: { 'http.response.status_code': 202 } }],
      status: { code: 0 },
      ended: 1,
    })
    const hangUp = spans.find((s) => s.attributes['callops.client_context'] === 'hangup-1')
    expect(hangUp).toMatchObject({ name: 'callops hangUp', attributes: { 'callops.call_state': 'terminated' }, ended: 1 })
  })

  test('a call action refused before anything is sent is a span with error.type and no Graph answer', async () => {
    const call = await ringBot(sim, bot)
    const r = await bot.orchestrator.transfer({ callId: call.callId, body: { transferTarget: agent }, clientContext: 'transfer-early' })
    expect(E.isLeft(r)).toBe(true)
    const span = spans.find((s) => s.attributes['callops.client_context'] === 'transfer-early')
    expect(span).toMatchObject({ name: 'callops transfer', attributes: { 'error.type': 'InvalidRequest' }, status: { code: 2 }, events: [], ended: 1 })
  })

  test('subscribers hear callActionRequest, callActionAnswer and exactly one callActionSettled, which the live view sends as plain JSON', async () => {
    const call = await ringBot(sim, bot)
    await bot.orchestrator.reject({ callId: call.callId, clientContext: 'reject-1' })
    await until(() => heard.some((e) => e.type === 'callActionSettled' && e.clientContext === 'reject-1'))
    const mine = heard.filter((e) => 'clientContext' in e && e.clientContext === 'reject-1' && e.type !== 'transition')
    expect(mine.map((e) => e.type)).toEqual(['callActionRequest', 'callActionAnswer', 'callActionSettled'])
    expect(mine[0]).toMatchObject({ callId: call.callId, action: 'reject', clientRequestId: expect.any(String) })
    const settled = mine[2]
    if (settled === undefined) throw new Error('no settlement')
    expect(toWireEvent(settled)).toMatchObject({ type: 'callActionSettled', action: 'reject', ok: true, outcome: { action: 'reject', state: 'terminated' } })
  })
})
