import type { CallEmitted, CallEvent } from '../../machines/callTypes.js'
import type { CallRegistry } from './createCallRegistry.js'
import type { CallTimers } from './createCallTimers.js'
import type { EffectRunner } from './createEffectRunner.js'
import type { EventPublisher } from './createEventPublisher.js'
import type { LiveCall } from './LiveCall.js'
import { reportTransition } from './reportTransition.js'

const NO_EFFECTS: readonly CallEmitted[] = []

/** Applies events to calls kept in this process only: the transition, then its effects, then the call's timer. */
export interface MemoryApplier {
  readonly apply: (call: LiveCall, event: CallEvent) => void
}

/** What the memory path needs. */
export interface MemoryApplierOptions {
  readonly registry: CallRegistry
  readonly events: EventPublisher
  readonly effects: EffectRunner
  /** Whether the orchestrator is still running. */
  readonly open: () => boolean
}

/** Creates the {@link MemoryApplier}; its timers are created with it, since a due timer applies an event. */
export const createMemoryApplier = (o: MemoryApplierOptions, timersFor: (apply: MemoryApplier['apply']) => CallTimers): MemoryApplier & { readonly timers: CallTimers } => {
  const apply = (call: LiveCall, event: CallEvent): void => {
    // An HTTP answer can come back after its call ended and left memory, or failed: its actor is stopped.
    if (!o.open() || call.failed || o.registry.get(call.key) !== call) return
    call.actor.send(event)
    if (call.failed) return
    reportTransition(o.registry, o.events, call, event)
    // Most events emit nothing: no new array for those.
    o.effects.run(call, call.outbox.length === 0 ? NO_EFFECTS : call.outbox.splice(0))
    timers.arm(call)
  }
  const timers = timersFor(apply)
  return { apply, timers }
}
