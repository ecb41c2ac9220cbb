import { nextDeadline } from '../../machines/call.machine.js'
import type { CallEvent } from '../../machines/callTypes.js'
import type { Clock } from '../domain/Clock.js'
import type { LiveCall } from './LiveCall.js'

/** Each call's earliest deadline, on one timer for all calls (the memory store; a durable store sweeps shared deadlines instead). */
export interface CallTimers {
  /** Arms (or moves, or clears) the call's deadline to match its machine's next one. */
  readonly arm: (call: LiveCall) => void
  readonly disarm: (call: LiveCall) => void
  readonly disarmAll: () => void
}

interface Armed {
  at: number
  readonly call: LiveCall
  /** Its place in the heap. */
  index: number
}

/**
 * Creates the {@link CallTimers}; a due deadline applies `deadline.reached` through `apply`.
 *
 * The calls' deadlines are a min-heap under one clock timer, set for the earliest. A Node timer per
 * call cost a `Timeout` and, since almost every call's delay differs, a timer list of its own in
 * Node's priority queue: about 300 bytes per call with an operation in flight, and queue work
 * growing with the number of open calls.
 */
export const createCallTimers = (clock: Clock, apply: (call: LiveCall, event: CallEvent) => void): CallTimers => {
  const armed = new Map<LiveCall, Armed>()
  const heap: Armed[] = []
  let timer: { readonly handle: unknown; readonly at: number } | undefined

  const swap = (i: number, j: number): void => {
    const a = heap[i] as Armed
    const b = heap[j] as Armed
    heap[i] = b
    heap[j] = a
    b.index = i
    a.index = j
  }
  const up = (i: number): void => {
    for (let p = (i - 1) >> 1; i > 0 && (heap[i] as Armed).at < (heap[p] as Armed).at; i = p, p = (i - 1) >> 1) swap(i, p)
  }
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < heap.length && (heap[l] as Armed).at < (heap[m] as Armed).at) m = l
      if (r < heap.length && (heap[r] as Armed).at < (heap[m] as Armed).at) m = r
      if (m === i) return
      swap(i, m)
      i = m
    }
  }
  const remove = (a: Armed): void => {
    const last = heap.pop() as Armed
    if (last === a) return
    heap[a.index] = last
    last.index = a.index
    up(last.index)
    down(last.index)
  }

  // The clock timer follows the earliest deadline; it is moved only when that changes.
  const schedule = (): void => {
    const first = heap[0]
    if (timer !== undefined && timer.at === first?.at) return
    if (timer !== undefined) clock.clearTimeout(timer.handle)
    timer = first === undefined ? undefined : { handle: clock.setTimeout(fire, Math.max(0, first.at - clock.now())), at: first.at }
  }
  // Everything due is taken off before any of it is applied: applying re-arms the call.
  const fire = (): void => {
    timer = undefined
    const now = clock.now()
    const due: LiveCall[] = []
    for (let top = heap[0]; top !== undefined && top.at <= now; top = heap[0]) {
      remove(top)
      armed.delete(top.call)
      due.push(top.call)
    }
    // One call's failure must not keep the others' deadlines from firing: it is rethrown after them,
    // as a timer of its own would have thrown it.
    let failure: { readonly err: unknown } | undefined
    for (const call of due) {
      try {
        apply(call, { type: 'deadline.reached', now: clock.now() })
      } catch (err) {
        failure ??= { err }
      }
    }
    schedule()
    if (failure !== undefined) throw failure.err
  }

  const disarm = (call: LiveCall): void => {
    const a = armed.get(call)
    if (a === undefined) return
    armed.delete(call)
    remove(a)
    schedule()
  }
  return {
    arm: (call) => {
      const next = call.ended || call.failed ? undefined : nextDeadline(call.actor.getSnapshot().context)
      const current = armed.get(call)
      if (next === current?.at) return
      if (next === undefined) return disarm(call)
      if (current === undefined) {
        const a: Armed = { at: next, call, index: heap.length }
        heap.push(a)
        armed.set(call, a)
        up(a.index)
      } else {
        current.at = next
        up(current.index)
        down(current.index)
      }
      schedule()
    },
    disarm,
    disarmAll: () => {
      if (timer !== undefined) clock.clearTimeout(timer.handle)
      timer = undefined
      armed.clear()
      heap.length = 0
    },
  }
}
