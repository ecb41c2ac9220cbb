import type { CallEvent } from '../../machines/callTypes.js'
import { stateName } from '../../machines/stateName.js'
import type { CallRegistry } from './createCallRegistry.js'
import type { EventPublisher } from './createEventPublisher.js'
import { hasEnded, type LiveCall } from './LiveCall.js'

/**
 * What follows a transition once it counts (with a durable store: once it is saved): an ended call
 * starts its retention, and subscribers hear of the transition.
 */
export const reportTransition = (registry: CallRegistry, events: EventPublisher, call: LiveCall, event: CallEvent): void => {
  if (!call.ended && hasEnded(call)) registry.ended(call)
  if (!events.listening()) return
  const clientContext = 'clientContext' in event ? event.clientContext : undefined
  events.publish({
    type: 'transition',
    callId: call.callId,
    event: event.type,
    state: stateName(call.actor.getSnapshot().value),
    ...(clientContext === undefined ? {} : { clientContext }),
    ...(event.type === 'operation.requested'
      ? { action: event.action, ...(event.participantId === undefined ? {} : { participantId: event.participantId }) }
      : {}),
    ...(event.type === 'callAction.requested'
      ? { callAction: event.action, ...(event.participantId === undefined ? {} : { participantId: event.participantId }) }
      : {}),
  })
}
