import { createActor, type Actor, type AnyActorRef, type InspectionEvent, type Observer } from 'xstate'
import type { OperationStarted, OperationStepped } from '../../machines/callSetup.js'
import type { CallContext } from '../../machines/callTypes.js'
import { operationMachine, type OperationContext, type OperationInput } from '../../machines/operation.machine.js'
import type { OperationRecord } from '../../machines/operationStep.js'
import { own } from '../../machines/ownEntry.js'

/** XState's inspection hook, as `createActor` takes it. */
export type InspectOption = Observer<InspectionEvent> | ((event: InspectionEvent) => void)

type OperationActor = Actor<typeof operationMachine>

// A shadow only shows: it tells no call (the call machine steps the operation itself).
const alone = <T extends OperationInput | OperationContext>(o: T): T => {
  const { reportsToCall: _call, ...rest } = o
  return rest as T
}

const isStarted = (p: unknown): p is OperationStarted => typeof p === 'object' && p !== null && 'input' in p && 'clientContext' in p
const isStepped = (p: unknown): p is OperationStepped => typeof p === 'object' && p !== null && 'event' in p && 'from' in p && 'clientContext' in p

/**
 * The inspection hook of one call actor, with its operations shown as actors. The call machine
 * keeps each operation's lifecycle in its context (no child actor per operation: see
 * docs/performance.md), and marks each start and step with a no-op action (`operationStarted`,
 * `operationStepped`). While an inspector is attached, this turns the marks into a shadow
 * `operationMachine` actor per operation, a child of the call in the call's actor system, sent
 * the same events: the inspector and the live view see every operation's `requested → running →
 * completed | failed` as before. A shadow stops when its call forgets the operation. Without an
 * inspector nothing of this runs.
 */
export const withOperationShadows = (inspect: InspectOption): Observer<InspectionEvent> => {
  const forward = typeof inspect === 'function' ? inspect : (e: InspectionEvent) => inspect.next?.(e)
  const shadows = new Map<string, OperationActor>()
  let call: AnyActorRef | undefined

  const restore = (parent: AnyActorRef, clientContext: string, record: OperationRecord): OperationActor => {
    const snapshot = operationMachine.resolveState({ value: record.value, context: alone(record.context) })
    const { operation: o, deadline } = record.context
    const input = { clientContext: o.clientContext, action: o.action, callId: o.callId, deadline, ...(o.participantId === undefined ? {} : { participantId: o.participantId }) }
    const shadow = createActor(operationMachine, { id: clientContext, parent, snapshot, input })
    shadows.set(clientContext, shadow)
    shadow.start()
    return shadow
  }

  const next = (e: InspectionEvent): void => {
    forward(e)
    // The first actor of a call's system is the call itself.
    if (call === undefined && e.type === '@xstate.actor') call = e.actorRef as AnyActorRef
    if (call === undefined || e.actorRef !== call) return
    const parent = call
    if (e.type === '@xstate.action') {
      const { type, params } = e.action
      if (type === 'operationStarted' && isStarted(params) && !shadows.has(params.clientContext)) {
        const shadow = createActor(operationMachine, { id: params.clientContext, parent, input: alone(params.input) })
        shadows.set(params.clientContext, shadow)
        shadow.start()
      } else if (type === 'operationStepped' && isStepped(params)) {
        const shadow = shadows.get(params.clientContext) ?? restore(parent, params.clientContext, params.from)
        shadow.send(params.event)
      }
    } else if (e.type === '@xstate.snapshot') {
      const inFlight = (e.snapshot as { readonly context?: CallContext }).context?.inFlight
      if (inFlight === undefined) return
      for (const [key, shadow] of shadows) {
        if (own(inFlight, key) !== undefined) continue
        shadows.delete(key)
        // What a machine's stopChild does (XState's `_stop`): `stop()` refuses an actor with a parent.
        ;(shadow as unknown as { readonly _stop: () => void })._stop()
      }
      // A restored call: its operations under way are shown from where they are.
      for (const key in inFlight) {
        const f = own(inFlight, key)
        if (f !== undefined && !shadows.has(key)) restore(parent, key, f.op)
      }
    }
  }
  return typeof inspect === 'function' ? { next } : { ...inspect, next }
}
