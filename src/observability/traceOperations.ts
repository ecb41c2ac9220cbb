import * as E from 'fp-ts/lib/Either.js'
import type { OrchestratorListener } from '../runtime/OrchestratorEvent.js'
import type { CallActionOutcome } from '../domain/CallAction.js'
import type { Operation } from '../domain/Operation.js'
import type { SpanAttributeValue, SpanLike, TracerLike } from './TracerLike.js'

/** OpenTelemetry's `SpanStatusCode.ERROR`, spelled here so that callops needs no OpenTelemetry import. */
const STATUS_ERROR = 2

/** Spans still open beyond this are ended as abandoned, so a lost outcome cannot grow memory without bound. */
const MAX_OPEN_SPANS = 100_000

/**
 * An orchestrator listener that turns every operation and every call action (answer, transfer,
 * hangUp, ...: those with `callops.kind` `callAction`, ending with `callops.call_state`, the call's
 * state that settled it) into one span, from the bot's request to its outcome: named `callops <action>`, with the attributes `callops.action`, `callops.call_id`,
 * `callops.client_context`, `callops.participant_id`, `callops.client_request_id`, an event per
 * Graph answer, and at the end `callops.status` (the operation's status) or `error.type` (the
 * error's `_tag`) with an error status. Success leaves the span status unset, as OpenTelemetry asks
 * of instrumentation libraries. The orchestrator subscribes it when given a `tracer`.
 *
 * @example
 * ```ts
 * orchestrator.subscribe(traceOperations(trace.getTracer('my-bot')))
 * ```
 */
export const traceOperations = (tracer: TracerLike): OrchestratorListener => {
  const open = new Map<string, SpanLike>()
  // Ends a span with the outcome: the error of a failure, or the attributes of a success.
  const end = (clientContext: string, outcome: E.Either<{ readonly _tag: string; readonly message: string }, Record<string, SpanAttributeValue>>): void => {
    const span = open.get(clientContext)
    if (span === undefined) return
    open.delete(clientContext)
    if (E.isLeft(outcome)) {
      span.setAttribute('error.type', outcome.left._tag)
      span.setStatus({ code: STATUS_ERROR, message: outcome.left.message })
    } else {
      for (const [k, v] of Object.entries(outcome.right)) span.setAttribute(k, v)
    }
    span.end()
  }
  return (event) => {
    switch (event.type) {
      case 'transition': {
        // An operation or a call action the bot asked for: one span each, as long as it is under way.
        const action = event.event === 'operation.requested' ? event.action : event.event === 'callAction.requested' ? event.callAction : undefined
        if (action === undefined || event.clientContext === undefined) return
        if (open.has(event.clientContext)) return
        const attributes: Record<string, SpanAttributeValue> = {
          'callops.action': action,
          'callops.call_id': event.callId,
          'callops.client_context': event.clientContext,
        }
        if (event.participantId !== undefined) attributes['callops.participant_id'] = event.participantId
        if (event.event === 'callAction.requested') attributes['callops.kind'] = 'callAction'
        open.set(event.clientContext, tracer.startSpan(`callops ${action}`, { attributes }))
        if (open.size > MAX_OPEN_SPANS) {
          const [oldest, span] = open.entries().next().value ?? []
          if (oldest !== undefined && span !== undefined) {
            open.delete(oldest)
            span.setAttribute('error.type', 'Abandoned')
            span.setStatus({ code: STATUS_ERROR, message: 'no outcome observed by this process' })
            span.end()
          }
        }
        return
      }
      case 'request':
      case 'callActionRequest':
        if (event.clientRequestId !== undefined) open.get(event.clientContext)?.setAttribute('callops.client_request_id', event.clientRequestId)
        return
      case 'answer':
      case 'callActionAnswer': {
        const span = open.get(event.clientContext)
        if (span === undefined) return
        const attributes: Record<string, SpanAttributeValue> = {}
        if (event.httpStatus !== undefined) attributes['http.response.status_code'] = event.httpStatus
        if (event.type === 'answer' && event.attempts !== undefined) attributes['callops.attempts'] = event.attempts
        if (event.error !== undefined) attributes['error.type'] = event.error._tag
        span.addEvent('graph.answer', attributes)
        return
      }
      case 'settled':
        return end(event.clientContext, E.map((op: Operation) => ({ 'callops.status': op.status }))(event.result))
      case 'callActionSettled':
        // On success, the call's state that settled it: established, transferaccepted, terminated...
        return end(event.clientContext, E.map((done: CallActionOutcome) => ({ 'callops.call_state': done.state }))(event.result))
      case 'lateOutcome':
        return
    }
  }
}
