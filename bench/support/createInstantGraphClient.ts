import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { actionCatalog, actionNames, type ActionName, type GraphActions, type GraphClient } from '../../src/index.js'

/**
 * A GraphClient that answers at once, in-process, as the docs say Graph does (running, or completed
 * for final actions), with a fresh operation id. Items 2 and 3 use it so that only notification
 * handling and call state are measured, not HTTP.
 *
 * @param onAccepted - told each answered clientContext and the operation id it was given.
 */
export const createInstantGraphClient = (onAccepted?: (clientContext: string, operationId: string) => void): GraphClient => {
  const send: GraphClient['send'] = <A extends ActionName>(action: A, req: Parameters<GraphClient['send']>[1]) => () => {
    const id = randomUUID()
    onAccepted?.(req.clientContext, id)
    const spec = actionCatalog[action]
    return Promise.resolve(
      E.right({
        operation: { id, status: spec.documentedAnswer.final ? ('completed' as const) : ('running' as const), clientContext: req.clientContext },
        httpStatus: spec.documentedAnswer.status,
        clientRequestId: req.clientContext,
        attempts: 1,
      }),
    )
  }
  const accepted = { status: 202, clientRequestId: 'instant', attempts: 1 }
  const acceptAtOnce = () => () => Promise.resolve(E.right(accepted))
  const actions = Object.fromEntries(actionNames.map((name) => [name, (req: Parameters<GraphClient['send']>[1]) => send(name, req)]))
  return {
    ...(actions as unknown as GraphActions),
    send,
    keepAlive: () => () => Promise.resolve(E.right(undefined)),
    // The call actions are not measured here: accepted at once, like the operations.
    answer: acceptAtOnce,
    reject: acceptAtOnce,
    redirect: acceptAtOnce,
    transfer: acceptAtOnce,
    removeParticipant: acceptAtOnce,
    hangUp: () => () => Promise.resolve(E.right({ ...accepted, status: 204, alreadyEnded: false })),
    createCall: () => () => Promise.resolve(E.right({ ...accepted, status: 201, callId: randomUUID(), state: 'establishing' })),
    request: () => () => Promise.resolve(E.left({ _tag: 'InvalidRequest', message: 'the instant client sends no requests' })),
    close: () => Promise.resolve(),
  }
}
