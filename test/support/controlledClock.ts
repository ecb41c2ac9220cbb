import type { Clock } from '../../src/orchestrator/Clock.js'

/** A clock that moves only when the test says so; due timers fire on `advance`. */
export interface ControlledClock extends Clock {
  advance(ms: number): void
  readonly pendingTimers: number
}

export const controlledClock = (start = 1_700_000_000_000): ControlledClock => {
  let now = start
  let nextId = 1
  const timers = new Map<number, { at: number; fn: () => void }>()
  return {
    now: () => now,
    setTimeout: (fn, ms) => {
      const id = nextId++
      timers.set(id, { at: now + ms, fn })
      return id
    },
    clearTimeout: (handle) => {
      timers.delete(handle as number)
    },
    advance(ms) {
      now += ms
      for (;;) {
        const due = [...timers].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at)[0]
        if (due === undefined) return
        timers.delete(due[0])
        due[1].fn()
      }
    },
    get pendingTimers() {
      return timers.size
    },
  }
}
