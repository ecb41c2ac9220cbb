import * as E from 'fp-ts/lib/Either.js'
import type * as TE from 'fp-ts/lib/TaskEither.js'
import type { CallActionEffect, CallEvent } from '../../machines/callTypes.js'
import { AnswerBody, RedirectBody, RejectBody, TransferBody } from '../codecs/callActionBodies.js'
import { fenced, invalidRequest, type GraphError } from '../domain/CallOpsError.js'
import type { GraphClient } from '../graph/createGraphClient.js'
import type { Logger } from '../logging/Logger.js'
import type { CallActionWaiters } from './createCallActionWaiters.js'
import type { EventPublisher } from './createEventPublisher.js'
import type { EffectRunner } from './createEffectRunner.js'
import type { LiveCall } from './LiveCall.js'
import { requestIdFor } from './requestIdFor.js'

/** What the call actions' effects need. */
export interface CallActionEffectsOptions {
  readonly client: GraphClient
  readonly logger: Logger
  /** Where `callActionRequest` and `callActionAnswer` are published, as `request` and `answer` are for operations. */
  readonly events?: EventPublisher
  readonly waiters: CallActionWaiters
  /** Where a request's HTTP answer goes: back into the call, as an event. */
  readonly answer: (call: LiveCall, event: CallEvent) => void
  /** False while this instance is fenced (its lease on the store may have lapsed): nothing is sent. */
  readonly maySend?: () => boolean
}

type Answer = TE.TaskEither<GraphError, { readonly status: number; readonly alreadyEnded?: boolean }>

/** The Graph request of one call action; a body the machine kept that is not the action's (never expected) is refused. */
const requestOf = (client: GraphClient, call: LiveCall, e: CallActionEffect): Answer | GraphError => {
  const opts = { clientRequestId: requestIdFor(call.key, e.clientContext) }
  const wrong = invalidRequest(`the body of ${e.action} does not match its codec`, 'body')
  switch (e.action) {
    case 'answer':
      return AnswerBody.is(e.body) ? client.answer(call.callId, e.body, opts) : wrong
    case 'reject':
      return e.body === undefined || RejectBody.is(e.body) ? client.reject(call.callId, e.body, opts) : wrong
    case 'redirect':
      return RedirectBody.is(e.body) ? client.redirect(call.callId, e.body, opts) : wrong
    case 'transfer':
      return TransferBody.is(e.body) ? client.transfer(call.callId, e.body, opts) : wrong
    case 'hangUp':
      return client.hangUp(call.callId, opts)
    case 'removeParticipant':
      return client.removeParticipant(call.callId, e.participantId ?? '', opts)
    case 'createCall':
      // Sent by the orchestrator before the call existed; the machine only follows it.
      return invalidRequest('createCall is sent by the orchestrator, not by a call', 'action')
  }
}

/**
 * The effect runner, with the call machine's call actions: `effect.callAction` is sent with the Graph
 * client (the same retries and a `client-request-id` derived from call and clientContext, as for
 * operations) and answered back as `callAction.accepted`/`callAction.rejected`; `callAction.settled`
 * answers the caller waiting here. Everything else goes to `effects` unchanged.
 */
export const withCallActions = (effects: EffectRunner, o: CallActionEffectsOptions): EffectRunner => {
  const send = (call: LiveCall, e: CallActionEffect): void => {
    if (o.maySend !== undefined && !o.maySend()) {
      // Nothing leaves while fenced: the caller learns at once (restore() takes up only what was sent).
      o.answer(call, { type: 'callAction.rejected', clientContext: e.clientContext, error: fenced(`${e.action} was not sent`) })
      return
    }
    const request = requestOf(o.client, call, e)
    if (typeof request !== 'function') {
      o.answer(call, { type: 'callAction.rejected', clientContext: e.clientContext, error: request })
      return
    }
    const about = {
      callId: call.callId,
      clientContext: e.clientContext,
      action: e.action,
      ...(e.participantId === undefined ? {} : { participantId: e.participantId }),
      clientRequestId: requestIdFor(call.key, e.clientContext),
    }
    if (o.events?.listening() === true) o.events.publish({ type: 'callActionRequest', ...about })
    void request().then((r) => {
      if (o.events?.listening() === true) o.events.publish({ type: 'callActionAnswer', ...about, ...(E.isLeft(r) ? { error: r.left } : { httpStatus: r.right.status }) })
      if (E.isLeft(r)) {
        o.answer(call, { type: 'callAction.rejected', clientContext: e.clientContext, error: r.left })
        return
      }
      o.answer(call, { type: 'callAction.accepted', clientContext: e.clientContext, status: r.right.status, ...(r.right.alreadyEnded === true ? { alreadyEnded: true } : {}) })
    })
  }
  return {
    ...effects,
    run: (call, emitted) => {
      effects.run(call, emitted)
      for (const e of emitted) {
        if (e.type === 'effect.callAction') {
          o.logger.debug({ callId: call.callId, clientContext: e.clientContext, action: e.action }, 'call action sent')
          send(call, e)
        } else if (e.type === 'callAction.settled') {
          o.waiters.settle(e.clientContext, e.result)
        }
      }
    },
  }
}
