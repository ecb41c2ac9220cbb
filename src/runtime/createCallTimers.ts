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
  readonly at: number
  readonly call: LiveCall
  /** False once the call was disarmed or moved: the entry is left in the heap and skipped. */
  live: boolean
}

/** Stale entries are swept out of the heap once they are this many and more than half of it. */
const SWEEP_AT = 1024

/**
 * Creates the {@link CallTimers}; a due deadline applies `deadline.reached` through `apply`.
 *
 * The calls' deadlines are a min-heap under one clock timer, set for the earliest. A Node timer per
 * call cost a `Timeout` and, since almost every call's delay differs, a timer list of its own in
 * Node's priority queue: about 300 bytes per call with an operation in flight, and queue work
 * growing with the number of open calls.
 *
 * A disarmed or moved deadline is not taken out of the heap: its entry is marked and skipped when
 * it comes to the top, and the stale entries are swept out when they are most of the heap. Almost
 * every deadline is now plus a timeout, later than those already armed, so arming is a push that
 * meets its parent once and disarming touches no other entry; taking an entry out of the middle cost
 * a walk through the heap, one cache miss per level with 100,000 calls open.
 */
export const createCallTimers = (clock: Clock, apply: (call: LiveCall, event: CallEvent) => void): CallTimers => {
  const armed = new Map<LiveCall, Armed>()
  let heap: Armed[] = []
  let stale = 0
  let timer: { readonly handle: unknown; readonly at: number } | undefined

  const earlier = (i: number, j: number): boolean => (heap[i] as Armed).at < (heap[j] as Armed).at
  const swap = (i: number, j: number): void => {
    const a = heap[i] as Armed
    heap[i] = heap[j] as Armed
    heap[j] = a
  }
  const up = (i: number): void => {
    for (let p = (i - 1) >> 1; i > 0 && earlier(i, p); i = p, p = (i - 1) >> 1) swap(i, p)
  }
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < heap.length && earlier(l, m)) m = l
      if (r < heap.length && earlier(r, m)) m = r
      if (m === i) return
      swap(i, m)
      i = m
    }
  }
  const pop = (): void => {
    const last = heap.pop() as Armed
    if (heap.length === 0) return
    heap[0] = last
    down(0)
  }
  const dropStaleTop = (): void => {
    for (let top = heap[0]; top !== undefined && !top.live; top = heap[0]) {
      pop()
      stale--
    }
  }
  const sweep = (): void => {
    heap = heap.filter((a) => a.live)
    stale = 0
    for (let i = (heap.length >> 1) - 1; i >= 0; i--) down(i)
  }

  // The clock timer follows the earliest entry; it is moved only when that changes (a stale earliest
  // entry makes it fire for nothing once, which is cheaper than finding the next live one each time).
  const schedule = (): void => {
    if (armed.size === 0) {
      // Nothing armed: no timer, and nothing left to sweep.
      heap.length = 0
      stale = 0
    }
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
      pop()
      if (!top.live) {
        stale--
        continue
      }
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
    dropStaleTop()
    schedule()
    if (failure !== undefined) throw failure.err
  }

  const retire = (a: Armed): void => {
    a.live = false
    stale++
    if (stale >= SWEEP_AT && stale * 2 > heap.length) sweep()
  }
  const disarm = (call: LiveCall): void => {
    const a = armed.get(call)
    if (a === undefined) return
    armed.delete(call)
    retire(a)
    schedule()
  }
  return {
    arm: (call) => {
      const next = call.ended || call.failed ? undefined : nextDeadline(call.actor.getSnapshot().context)
      const current = armed.get(call)
      if (next === current?.at) return
      if (next === undefined) return disarm(call)
      if (current !== undefined) retire(current)
      const a: Armed = { at: next, call, live: true }
      heap.push(a)
      armed.set(call, a)
      up(heap.length - 1)
      schedule()
    },
    disarm,
    disarmAll: () => {
      if (timer !== undefined) clock.clearTimeout(timer.handle)
      timer = undefined
      armed.clear()
      heap.length = 0
      stale = 0
    },
  }
}
