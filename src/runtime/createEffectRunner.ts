import * as E from 'fp-ts/lib/Either.js'
import { deadlineOf } from '../../machines/callQueries.js'
import type { CallEmitted, CallEvent, HttpEffect, SettledResult } from '../../machines/callTypes.js'
import { cancelled, fenced } from '../domain/CallOpsError.js'
import { actionCatalog } from '../graph/actionCatalog.js'
import type { GraphClient } from '../graph/createGraphClient.js'
import type { Logger } from '../logging/Logger.js'
import type { EventPublisher } from './createEventPublisher.js'
import type { SignalBatches } from './createSignalBatches.js'
import type { ActionResult, Waiters } from './createWaiters.js'
import type { LiveCall } from './LiveCall.js'
import { requestIdFor } from './requestIdFor.js'
import type { RuntimeCounters } from './RuntimeCounters.js'

/** What the effects interpreter needs. */
export interface EffectRunnerOptions {
  readonly client: GraphClient
  readonly logger: Logger
  readonly events: EventPublisher
  readonly waiters: Waiters
  readonly signals: SignalBatches
  readonly counters: RuntimeCounters
  /** Epoch milliseconds now (the orchestrator's clock): a request sent after its deadline is counted. */
  readonly now: () => number
  /**
   * Durable stores: whether this instance may still send the request recorded for `clientContext`
   * (its lease on the store is held, under the id the request was recorded with). Absent: always.
   */
  readonly maySend?: (call: LiveCall, clientContext: string) => boolean
  /** Where a request's HTTP answer goes: back into the call, as an event. */
  readonly answer: (call: LiveCall, event: CallEvent) => void
}

/** Runs what a transition asked for: requests to send, callers to answer, outcomes to report. */
export interface EffectRunner {
  readonly run: (call: LiveCall, effects: readonly CallEmitted[]) => void
  /** Sends one request (also used by recovery to resend a request its sender never saw answered). */
  readonly send: (call: LiveCall, effect: HttpEffect) => void
}

/** An outcome as the bot reads it. */
export const toActionResult = (r: SettledResult): ActionResult =>
  r.ok ? E.right(r.operation) : E.left(r.error ?? cancelled('no outcome'))

/** Creates the {@link EffectRunner}. */
export const createEffectRunner = (o: EffectRunnerOptions): EffectRunner => {
  const { client, logger, events, waiters, signals, counters } = o

  const send = (call: LiveCall, effect: HttpEffect): void => {
    if (o.maySend !== undefined && !o.maySend(call, effect.clientContext)) {
      // Left recorded: the instance that recovers it (once this one's lease has run out) sends it, once.
      counters.fenced++
      if (call.stored !== undefined) call.stored.stale = true
      logger.warn({ callId: call.callId, clientContext: effect.clientContext, action: effect.action }, 'not sending: this instance\'s lease on the store may have lapsed; the request stays recorded for the instance that recovers it')
      waiters.settle(call, effect.clientContext, E.left(fenced('the request stays recorded, and the instance that recovers it sends it')))
      return
    }
    // Allowed (a Timeout means "outcome unknown"), but it must stay rare: counted for stats().
    const deadline = deadlineOf(call.actor.getSnapshot().context, effect.clientContext)
    const now = o.now()
    if (deadline !== undefined && now >= deadline) counters.sentAfterTimeout++
    const spec = actionCatalog[effect.action]
    const body = spec.body.is(effect.body) ? effect.body : undefined
    // The same on every instance, so a request resent after recovery carries the first attempt's id.
    const clientRequestId = requestIdFor(call.key, effect.clientContext)
    const waiter = waiters.get(effect.clientContext)
    if (waiter !== undefined) waiter.clientRequestId = clientRequestId
    const batch = signals.take()
    // A hold the caller aborts after it was sent stays counted by the slot (its outcome is unknown),
    // but no further attempt of it may start: the Graph client would otherwise go on retrying it
    // (429, 503) until its deadline, and a retry reaching Graph after the stopHoldMusic that
    // followed would put the participant back on hold once the slot was free again (chaos seed
    // 4242 at fault scale 3: Graph refused the next participant's hold 409/8560).
    const callerSignal = effect.action === 'startHoldMusic' ? waiter?.signal : undefined
    const signal = callerSignal === undefined ? batch.controller.signal : AbortSignal.any([batch.controller.signal, callerSignal])
    if (events.listening()) {
      events.publish({
        type: 'request',
        callId: call.callId,
        clientContext: effect.clientContext,
        action: effect.action,
        ...(effect.participantId === undefined ? {} : { participantId: effect.participantId }),
        clientRequestId,
      })
    }
    void client
      .send(effect.action, {
        callId: call.callId,
        participantId: effect.participantId,
        body,
        clientContext: effect.clientContext,
        clientRequestId,
        signal,
        // No retry after the deadline: it could put a participant on hold after a later release.
        ...(deadline === undefined ? {} : { attemptsWithinMs: Math.max(0, deadline - now) }),
      })()
      .then((r) => {
        signals.release(batch)
        if (events.listening()) {
          events.publish({
            type: 'answer',
            callId: call.callId,
            clientContext: effect.clientContext,
            action: effect.action,
            ...(effect.participantId === undefined ? {} : { participantId: effect.participantId }),
            clientRequestId,
            ...(E.isRight(r) ? { httpStatus: r.right.httpStatus, attempts: r.right.attempts } : { error: r.left }),
          })
        }
        o.answer(
          call,
          E.isRight(r)
            ? { type: 'http.accepted', clientContext: effect.clientContext, report: r.right.operation }
            : { type: 'http.rejected', clientContext: effect.clientContext, error: r.left },
        )
      })
  }

  const run = (call: LiveCall, effects: readonly CallEmitted[]): void => {
    for (const e of effects) {
      switch (e.type) {
        case 'effect.http':
          send(call, e)
          break
        case 'operation.settled':
          waiters.settle(call, e.clientContext, toActionResult(e.result))
          break
        case 'operation.lateOutcome':
          logger.info({ callId: call.callId, clientContext: e.clientContext, status: e.operation.status }, 'late outcome after timeout')
          events.publish({ type: 'lateOutcome', callId: call.callId, clientContext: e.clientContext, operation: e.operation, ...(e.error === undefined ? {} : { error: e.error }) })
          break
        case 'notification.unmatched':
          counters.unmatched++
          logger.debug({ callId: call.callId, operationId: e.report.id, clientContext: e.report.clientContext }, 'notification for an unknown operation')
          break
      }
    }
  }

  return { run, send }
}
