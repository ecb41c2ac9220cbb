/** Attribute values callops puts on spans. */
export type SpanAttributeValue = string | number | boolean

/**
 * The part of an OpenTelemetry span that callops uses. `@opentelemetry/api`'s `Span` has it;
 * callops itself depends on no OpenTelemetry package.
 */
export interface SpanLike {
  setAttribute(key: string, value: SpanAttributeValue): unknown
  addEvent(name: string, attributes?: Readonly<Record<string, SpanAttributeValue>>): unknown
  /** `code` as OpenTelemetry's `SpanStatusCode`: 0 unset, 1 ok, 2 error. */
  setStatus(status: { readonly code: number; readonly message?: string }): unknown
  end(): void
}

/**
 * The part of an OpenTelemetry `Tracer` that callops uses: pass `trace.getTracer('my-bot')` from
 * `@opentelemetry/api` as the orchestrator's `tracer`, and each operation becomes one span.
 *
 * @example
 * ```ts
 * import { trace } from '@opentelemetry/api'
 * const orchestrator = createCallOrchestrator({ graph, notificationAuth, tracer: trace.getTracer('my-bot') })
 * ```
 */
export interface TracerLike {
  startSpan(name: string, options?: { readonly attributes?: Readonly<Record<string, SpanAttributeValue>> }): SpanLike
}
