import { createActor, type StateValue } from 'xstate'
import type { GraphError, Http } from '../../src/domain/CallOpsError.js'
import type { OperationReport } from '../../src/domain/Operation.js'
import type { ActionName } from '../../src/graph/actionCatalog.js'
import { callMachine, type CallMachine } from '../../machines/call.machine.js'
import { stateName } from '../../machines/stateName.js'
import type { CallEmitted, CallEvent, CallInput, HttpEffect, OperationRequested, OperationSettled } from '../../machines/callTypes.js'

/** A state value as a dotted path: `established.hold.held`, `terminated`, `failed.timedOut`. */
export const stateOf = (value: StateValue): string => stateName(value)

/** An `operation.requested` event; the deadline defaults to 60 s after time 0 of the tests' clock. */
export const request = (
  clientContext: string,
  action: ActionName,
  participantId?: string,
  extra: Partial<Omit<OperationRequested, 'type' | 'clientContext' | 'action' | 'participantId'>> = {},
): OperationRequested => ({
  type: 'operation.requested',
  clientContext,
  action,
  deadline: 60_000,
  ...(participantId === undefined ? {} : { participantId }),
  ...extra,
})

export const hold = (clientContext: string, participantId: string, extra: Parameters<typeof request>[3] = {}): OperationRequested =>
  request(clientContext, 'startHoldMusic', participantId, extra)

export const unhold = (clientContext: string, participantId: string, extra: Parameters<typeof request>[3] = {}): OperationRequested =>
  request(clientContext, 'stopHoldMusic', participantId, extra)

export const accepted = (clientContext: string, report: OperationReport): CallEvent => ({ type: 'http.accepted', clientContext, report })

export const rejected = (clientContext: string, error: GraphError): CallEvent => ({ type: 'http.rejected', clientContext, error })

export const notified = (report: OperationReport): CallEvent => ({ type: 'notification.operation', report })

export const httpError = (status?: number): Http =>
  status === undefined ? { _tag: 'Http', message: 'socket hang up' } : { _tag: 'Http', status, message: `HTTP ${status}` }

export const running: OperationReport = { status: 'running' }
export const completed = (clientContext?: string): OperationReport =>
  clientContext === undefined ? { status: 'completed', resultInfo: { code: 200 } } : { status: 'completed', resultInfo: { code: 200 }, clientContext }
export const failed = (clientContext?: string): OperationReport =>
  clientContext === undefined ? { status: 'failed', resultInfo: { code: 500, subcode: 1 } } : { status: 'failed', resultInfo: { code: 500, subcode: 1 }, clientContext }

/** A started call actor that records everything it emits. */
export interface CallHarness {
  readonly actor: ReturnType<typeof createActor<CallMachine>>
  /** Everything emitted so far, in order. */
  readonly emitted: CallEmitted[]
  /** Sends events and returns what they made the machine emit. */
  send(...events: CallEvent[]): CallEmitted[]
  state(): string
  context(): ReturnType<ReturnType<typeof createActor<CallMachine>>['getSnapshot']>['context']
  settled(clientContext: string): OperationSettled[]
  http(clientContext: string): HttpEffect[]
}

/** Starts a call machine actor (the real one, stepping its operations' lifecycles) and records its emitted events. */
export const startCall = (input: Partial<CallInput> = {}, machine: CallMachine = callMachine): CallHarness => {
  const actor = createActor(machine, { input: { callId: 'call-1', ...input } })
  const emitted: CallEmitted[] = []
  actor.on('*', (e) => {
    emitted.push(e)
  })
  actor.start()
  return {
    actor,
    emitted,
    send: (...events) => {
      const from = emitted.length
      for (const e of events) actor.send(e)
      return emitted.slice(from)
    },
    state: () => stateOf(actor.getSnapshot().value),
    context: () => actor.getSnapshot().context,
    settled: (key) => emitted.filter((e): e is OperationSettled => e.type === 'operation.settled' && e.clientContext === key),
    http: (key) => emitted.filter((e): e is HttpEffect => e.type === 'effect.http' && e.clientContext === key),
  }
}
