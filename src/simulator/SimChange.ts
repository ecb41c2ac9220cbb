import type { Outcome } from './operationOutcome.js'
import type { SimCall, SimOperation } from './SimCall.js'

/**
 * One change of the simulator's calls, as its core reports it to an observer (the live view's
 * feed). The call is passed as it is right after the change.
 */
export type SimChange =
  | { readonly type: 'call.created'; readonly call: SimCall }
  /** Sent before the call's pending operations are discarded: they are still in `call.pending`. */
  | { readonly type: 'call.ended'; readonly call: SimCall }
  | { readonly type: 'roster.changed'; readonly call: SimCall }
  /** The simulator accepted an operation and is answering `status`. */
  | { readonly type: 'operation.requested'; readonly call: SimCall; readonly op: SimOperation; readonly status: number }
  /** The simulator's rules refused a request with an HTTP error (the operation never started). */
  | {
      readonly type: 'operation.refused'
      readonly call: SimCall
      readonly action: SimOperation['action']
      readonly participantId?: string
      readonly clientContext: string | null
      readonly status: number
      readonly message: string
    }
  /** An operation ended; its effect on the call (holds, mute, roster) is applied already. */
  | { readonly type: 'operation.ended'; readonly call: SimCall; readonly op: SimOperation; readonly outcome: Outcome }

/** Receives every {@link SimChange}; it runs inside the simulator's request handling, so it must not throw or block. */
export type SimChangeObserver = (change: SimChange) => void
