import { nextDeadline } from '../../machines/call.machine.js'
import type { CallEvent } from '../../machines/callTypes.js'
import type { Clock } from '../domain/Clock.js'
import type { LiveCall } from './LiveCall.js'

/** One timer per call at its earliest deadline (the memory store; a durable store sweeps shared deadlines instead). */
export interface CallTimers {
  /** Arms (or moves, or clears) the call's timer to match its machine's next deadline. */
  readonly arm: (call: LiveCall) => void
  readonly disarm: (call: LiveCall) => void
  readonly disarmAll: () => void
}

interface Armed {
  readonly handle: unknown
  readonly at: number
}

/** Creates the {@link CallTimers}; a due timer applies `deadline.reached` through `apply`. */
export const createCallTimers = (clock: Clock, apply: (call: LiveCall, event: CallEvent) => void): CallTimers => {
  const armed = new Map<LiveCall, Armed>()
  const disarm = (call: LiveCall): void => {
    const a = armed.get(call)
    if (a === undefined) return
    clock.clearTimeout(a.handle)
    armed.delete(call)
  }
  return {
    arm: (call) => {
      const next = call.ended || call.failed ? undefined : nextDeadline(call.actor.getSnapshot().context)
      const current = armed.get(call)
      if (next === current?.at) return
      disarm(call)
      if (next === undefined) return
      const handle = clock.setTimeout(() => {
        armed.delete(call)
        apply(call, { type: 'deadline.reached', now: clock.now() })
      }, Math.max(0, next - clock.now()))
      armed.set(call, { handle, at: next })
    },
    disarm,
    disarmAll: () => {
      for (const a of armed.values()) clock.clearTimeout(a.handle)
      armed.clear()
    },
  }
}
