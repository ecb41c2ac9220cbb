import { trace, type Attributes, type Span, type SpanContext, type SpanStatus, type Tracer } from '@opentelemetry/api'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import type { Logger, OrchestratorEvent, TracerLike } from '../../src/index.js'
import { documentedAnswer, type StandInAnswer } from '../support/graphStandIn.js'
import { startHarness, until, type Harness } from '../orchestrator/harness.js'

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const A = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'
const B = 'b0b0b0b0-7145-4ca3-bcd8-577f561fcb6e'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

// --- a tiny in-memory OpenTelemetry tracer (the Tracer interface of @opentelemetry/api, no SDK)

class MemorySpan implements Span {
  readonly attributes: Attributes
  readonly events: { name: string; attributes: Attributes }[] = []
  status: SpanStatus = { code: 0 }
  ended = 0
  constructor(
    public name: string,
    attributes: Attributes = {},
  ) {
    this.attributes = { ...attributes }
  }
  spanContext(): SpanContext {
    return { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: 1 }
  }
  setAttribute(key: string, value: Attributes[string]): this {
    this.attributes[key] = value
    return this
  }
  setAttributes(attributes: Attributes): this {
    Object.assign(this.attributes, attributes)
    return this
  }
  addEvent(name: string, attributes?: unknown): this {
    this.events.push({ name, attributes: (attributes ?? {}) as Attributes })
    return this
  }
  addLink(): this {
    return this
  }
  addLinks(): this {
    return this
  }
  setStatus(status: SpanStatus): this {
    this.status = status
    return this
  }
  updateName(name: string): this {
    this.name = name
    return this
  }
  end(): void {
    this.ended++
  }
  isRecording(): boolean {
    return this.ended === 0
  }
  recordException(): void {}
}

const memoryTracer = () => {
  const spans: MemorySpan[] = []
  const startSpan = (name: string, options?: { attributes?: Attributes }): MemorySpan => {
    const span = new MemorySpan(name, options?.attributes)
    spans.push(span)
    return span
  }
  const tracer: Tracer = {
    startSpan,
    startActiveSpan: ((name: string, ...rest: unknown[]) => (rest[rest.length - 1] as (s: Span) => unknown)(startSpan(name))) as Tracer['startActiveSpan'],
  }
  return { tracer, spans }
}

const capturingLogger = () => {
  const lines: { level: string; obj: Record<string, unknown>; msg: string | undefined }[] = []
  const at =
    (level: string) =>
    (obj: Record<string, unknown>, msg?: string): void => {
      lines.push({ level, obj, msg })
    }
  const logger: Logger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
  return { logger, lines }
}

/** Answers startHoldMusic as Graph documents it, then completes it by notification. */
const completing = (harness: () => Harness) => async (req: Parameters<typeof documentedAnswer>[0]): Promise<StandInAnswer> => {
  const answer = documentedAnswer(req)
  if (req.action === 'startHoldMusic') {
    const id = (answer.body as { id: string }).id
    setTimeout(() => {
      void harness().orchestrator.handleNotification(
        {
          value: [
            {
              changeType: 'deleted',
              resourceUrl: `/communications/calls/${req.callId}/operations/${id}`,
              resourceData: { '@odata.type': '#microsoft.graph.startHoldMusicOperation', id, status: 'completed', clientContext: req.body['clientContext'] },
            },
          ],
        },
        { 'content-type': 'application/json' },
      )
    }, 5)
  }
  return answer
}

const refusing = (): StandInAnswer => ({ status: 403, body: { error: { code: 'Forbidden', message: 'no permission' } } })

describe('observability: every event and log line names the call, participant, operation and request', () => {
  it('subscribe events carry callId, participantId, clientContext and the client-request-id Graph received', async () => {
    h = await startHarness({}, completing(() => h!))
    const events: OrchestratorEvent[] = []
    h.orchestrator.subscribe((e) => events.push(e))
    const held = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-a' })
    expect(E.isRight(held)).toBe(true)
    const sentId = h.graph.requests[0]?.headers['client-request-id']
    expect(typeof sentId).toBe('string')

    const request = events.find((e) => e.type === 'request')
    const answer = events.find((e) => e.type === 'answer')
    const settled = events.find((e) => e.type === 'settled')
    const common = { callId: CALL, participantId: A, clientContext: 'hold-a', clientRequestId: sentId, action: 'startHoldMusic' }
    expect(request).toMatchObject(common)
    expect(answer).toMatchObject({ ...common, httpStatus: 202 })
    expect(settled).toMatchObject(common)
    expect(events.find((e) => e.type === 'transition' && e.event === 'operation.requested')).toMatchObject({
      callId: CALL,
      participantId: A,
      clientContext: 'hold-a',
      action: 'startHoldMusic',
    })
  })

  it('logs a failed operation with callId, participantId, clientContext, client-request-id and the error tag', async () => {
    const { logger, lines } = capturingLogger()
    h = await startHarness({ logger }, refusing)
    const held = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-a' })
    expect(E.isLeft(held) && held.left._tag).toBe('Http')
    const line = lines.find((l) => l.msg === 'operation failed')
    expect(line?.obj).toMatchObject({
      callId: CALL,
      participantId: A,
      clientContext: 'hold-a',
      action: 'startHoldMusic',
      clientRequestId: h.graph.requests[0]?.headers['client-request-id'],
      error: 'Http',
    })
  })

  it('logs an ended operation at debug level, with its fields, unless the logger says debug is off', async () => {
    const on = capturingLogger()
    h = await startHarness({ logger: on.logger }, completing(() => h!))
    expect(E.isRight(await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-a' }))).toBe(true)
    expect(on.lines.find((l) => l.msg === 'operation ended')).toMatchObject({
      level: 'debug',
      obj: { callId: CALL, participantId: A, clientContext: 'hold-a', action: 'startHoldMusic', status: 'completed' },
    })
    await h.close()

    const off = capturingLogger()
    const asked: string[] = []
    h = await startHarness(
      { logger: { ...off.logger, isLevelEnabled: (level) => (asked.push(level), level !== 'debug') } },
      completing(() => h!),
    )
    expect(E.isRight(await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-b' }))).toBe(true)
    expect(asked).toContain('debug')
    expect(off.lines.filter((l) => l.msg === 'operation ended')).toEqual([])
  })

  it('publishes a Cancelled outcome for every operation still waiting when the orchestrator closes', async () => {
    h = await startHarness()
    const events: OrchestratorEvent[] = []
    h.orchestrator.subscribe((e) => events.push(e))
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-a' })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    await h.orchestrator.close()
    const result = await held
    expect(E.isLeft(result) && result.left._tag).toBe('Cancelled')
    const settled = events.filter((e) => e.type === 'settled')
    expect(settled).toHaveLength(1)
    expect(settled[0]).toMatchObject({ clientContext: 'hold-a', participantId: A, action: 'startHoldMusic' })
  })
})

describe('observability: OpenTelemetry spans when a tracer is given', () => {
  it('accepts an @opentelemetry/api Tracer as the tracer option', () => {
    // A type-level check: the real API's tracer fits callops's structural TracerLike.
    const real: TracerLike = trace.getTracer('callops-test')
    expect(typeof real.startSpan).toBe('function')
  })

  it('makes one span per operation, from request to outcome, with the callops attributes', async () => {
    const { tracer, spans } = memoryTracer()
    h = await startHarness({ tracer }, completing(() => h!))
    const held = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-a' })
    expect(E.isRight(held)).toBe(true)
    expect(spans).toHaveLength(1)
    const span = spans[0]!
    expect(span.name).toBe('callops startHoldMusic')
    expect(span.attributes).toEqual({
      'callops.action': 'startHoldMusic',
      'callops.call_id': CALL,
      'callops.client_context': 'hold-a',
      'callops.participant_id': A,
      'callops.client_request_id': h.graph.requests[0]?.headers['client-request-id'],
      'callops.status': 'completed',
    })
    expect(span.events).toEqual([{ name: 'graph.answer', attributes: { 'http.response.status_code': 202, 'callops.attempts': 1 } }])
    expect(span.status.code).toBe(0) // success leaves the status unset
    expect(span.ended).toBe(1)
  })

  it('marks failed operations with error.type and an error status, including ones refused before sending', async () => {
    const { tracer, spans } = memoryTracer()
    h = await startHarness({ tracer }, (req) => (req.action === 'unmute' ? refusing() : documentedAnswer(req)))
    const first = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A, clientContext: 'hold-a' })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    const conflict = await h.orchestrator.startHoldMusic({ callId: CALL, participantId: B, clientContext: 'hold-b' })
    expect(E.isLeft(conflict) && conflict.left._tag).toBe('HoldConflict')
    const unmuted = await h.orchestrator.unmute({ callId: CALL, clientContext: 'unmute-1' })
    expect(E.isLeft(unmuted) && unmuted.left._tag).toBe('Http')
    await h.orchestrator.close()
    expect(E.isLeft(await first)).toBe(true)

    const byContext = new Map(spans.map((s) => [s.attributes['callops.client_context'], s]))
    expect(byContext.get('hold-b')?.attributes['error.type']).toBe('HoldConflict')
    expect(byContext.get('hold-b')?.status.code).toBe(2)
    expect(byContext.get('hold-b')?.events).toEqual([]) // refused by the hold rule: nothing was sent
    expect(byContext.get('unmute-1')?.attributes['error.type']).toBe('Http')
    expect(byContext.get('unmute-1')?.events[0]?.attributes).toMatchObject({ 'error.type': 'Http' })
    expect(byContext.get('hold-a')?.attributes['error.type']).toBe('Cancelled')
    expect(spans.every((s) => s.ended === 1)).toBe(true)
    expect(spans).toHaveLength(3)
  })
})
