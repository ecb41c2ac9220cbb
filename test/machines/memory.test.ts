import { randomUUID } from 'node:crypto'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { createActor } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import type { CallEvent } from '../../machines/callTypes.js'

// A full GC in this worker, without starting node with --expose-gc.
setFlagsFromString('--expose-gc')
const gc = runInNewContext('gc') as () => void

const heapAfterGc = (): number => {
  gc()
  gc()
  return process.memoryUsage().heapUsed
}

/** Runs `calls` calls through the call machine, each with 20 operations that all settle, and stops them. */
const runOperations = (calls: number): number => {
  let settled = 0
  for (let c = 0; c < calls; c++) {
    const participantId = randomUUID()
    const actor = createActor(callMachine, { input: { callId: randomUUID(), kind: 'group' } })
    actor.on('operation.settled', () => settled++)
    actor.start()
    for (let i = 0; i < 5; i++) {
      // Each kind of ending: completed by notification, completed in the answer, failed, rejected.
      for (const action of ['startHoldMusic', 'stopHoldMusic'] as const) {
        const clientContext = randomUUID()
        const id = randomUUID()
        const events: CallEvent[] = [
          { type: 'operation.requested', clientContext, action, participantId, deadline: 1e15 },
          { type: 'http.accepted', clientContext, report: { id, status: 'running', clientContext } },
          { type: 'notification.operation', report: { id, status: 'completed', clientContext } },
        ]
        for (const e of events) actor.send(e)
      }
      const unmute = randomUUID()
      actor.send({ type: 'operation.requested', clientContext: unmute, action: 'unmute', deadline: 1e15 })
      actor.send({ type: 'http.accepted', clientContext: unmute, report: { id: randomUUID(), status: 'completed', clientContext: unmute } })
      const mute = randomUUID()
      actor.send({ type: 'operation.requested', clientContext: mute, action: 'mute', deadline: 1e15 })
      actor.send({ type: 'http.rejected', clientContext: mute, error: { _tag: 'Http', status: 400, message: 'bad request', attempts: 1 } })
    }
    actor.stop()
  }
  return settled
}

describe('memory', () => {
  it('operations that have settled leave nothing behind, however many a process runs', () => {
    // Warm up: code, caches and the memoised transitions of every event type the machines know.
    expect(runOperations(100)).toBe(100 * 20)
    const before = heapAfterGc()
    expect(runOperations(1500)).toBe(1500 * 20)
    const perOperation = (heapAfterGc() - before) / (1500 * 20)
    // A child that ended in an XState final state left ~470 bytes per operation in XState's
    // per-event-type cache (its done event's type holds the child's id); noise is a few bytes.
    expect(perOperation).toBeLessThan(64)
  }, 60_000)
})
