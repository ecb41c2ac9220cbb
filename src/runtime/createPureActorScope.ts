import { createActor, type AnyActorScope, type AnyStateMachine } from 'xstate'

/**
 * An actor scope for `machine.transition(snapshot, event, scope)` with no actor to run it: `self`
 * and `system` are those of an actor that is never started (for action arguments that read them),
 * what the transition emits goes to `emit`, and the work XState defers until after the transition
 * (delivering emitted events) goes to `defer`. Custom actions run where XState resolves them.
 */
export const createPureActorScope = (machine: AnyStateMachine, emit: (event: unknown) => void, defer: (fn: () => void) => void): AnyActorScope => {
  const inert = createActor(machine, { input: { callId: 'inert' } })
  return {
    self: inert,
    id: '',
    sessionId: '',
    logger: () => {},
    system: inert.system,
    defer,
    stopChild: () => {},
    emit,
    actionExecutor: (a) => {
      a.exec?.(a.info, a.params)
    },
  }
}
