import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { AnswerBody, RedirectBody, RejectBody, TransferBody } from '../codecs/callActionBodies.js'
import { CreatedCallAnswer, CreateCallBody } from '../codecs/CreateCallBody.js'
import type { GraphError } from '../domain/CallOpsError.js'
import type { Mutable } from '../domain/Mutable.js'
import { checkBody } from './checkBody.js'
import type { GraphRequestFn } from './createGraphRequest.js'
import type { CallActionAccepted, GraphCallActions, HangUpResult, RequestOptions, StartedCall } from './GraphClient.js'
import { callPath } from './callPath.js'
import type { HttpMethod } from './transport.js'
import { validatePathId } from './pathId.js'

const accepted = (r: { readonly status: number; readonly clientRequestId: string; readonly attempts: number }): CallActionAccepted => ({
  status: r.status,
  clientRequestId: r.clientRequestId,
  attempts: r.attempts,
})

/** The call actions that are not commsOperations, built on the client's general request. */
export const createCallActions = (request: GraphRequestFn): GraphCallActions => {
  /** Checks the call id and body, then sends; the answer's body is not read (202 and 204 carry none). */
  const callAction = async (
    what: string,
    method: HttpMethod,
    callId: string,
    tail: string,
    codec: t.Mixed | undefined,
    body: unknown,
    opts: RequestOptions,
  ): Promise<E.Either<GraphError, CallActionAccepted>> => {
    const id = validatePathId('callId', callId)
    if (E.isLeft(id)) return id
    if (codec !== undefined) {
      const checked = checkBody(what, codec, body)
      if (E.isLeft(checked)) return checked
    }
    const path = `${callPath(id.right)}${tail}`
    const out = await request({ method, path, body, answer: t.unknown, ...opts }, what)()
    return E.map(accepted)(out)
  }

  return {
    answer: (callId, body, opts = {}) => () => callAction('answer', 'POST', callId, '/answer', AnswerBody, body, opts),
    reject: (callId, body = {}, opts = {}) => () => callAction('reject', 'POST', callId, '/reject', RejectBody, body, opts),
    redirect: (callId, body, opts = {}) => () => callAction('redirect', 'POST', callId, '/redirect', RedirectBody, body, opts),
    transfer: (callId, body, opts = {}) => () => callAction('transfer', 'POST', callId, '/transfer', TransferBody, body, opts),
    removeParticipant: (callId, participantId, opts = {}) => async () => {
      const pid = validatePathId('participantId', participantId)
      if (E.isLeft(pid)) return pid
      return callAction('removeParticipant', 'DELETE', callId, `/participants/${encodeURIComponent(pid.right)}`, undefined, undefined, opts)
    },
    hangUp: (callId, opts = {}) => async () => {
      const out = await callAction('hangUp', 'DELETE', callId, '', undefined, undefined, opts)
      if (E.isRight(out)) return E.right<GraphError, HangUpResult>({ ...out.right, alreadyEnded: false })
      const e = out.left
      // Graph documents no answer for deleting an ended call; 404 is what keepAlive answers for one.
      if (e._tag === 'Http' && e.status === 404) {
        return E.right({ status: 404, clientRequestId: e.clientRequestId ?? opts.clientRequestId ?? '', attempts: e.attempts ?? 1, alreadyEnded: true })
      }
      return out
    },
    createCall: (body, opts = {}) => async () => {
      const checked = checkBody('createCall', CreateCallBody, body)
      if (E.isLeft(checked)) return checked
      const out = await request({ method: 'POST', path: '/communications/calls', body, answer: CreatedCallAnswer, ...opts }, 'createCall', 'unprocessed')()
      if (E.isLeft(out)) return out
      const { body: call, location } = out.right
      const started: Mutable<StartedCall> = { ...accepted(out.right), callId: call.id }
      if (typeof call.state === 'string') started.state = call.state
      if (typeof call.myParticipantId === 'string') started.myParticipantId = call.myParticipantId
      if (typeof call.callChainId === 'string') started.callChainId = call.callChainId
      if (location !== undefined) started.location = location
      return E.right(started)
    },
  }
}
