import * as E from 'fp-ts/lib/Either.js'
import { createActor } from 'xstate'
import { describe, expect, it } from 'vitest'
import { callMachine } from '../../machines/call.machine.js'
import type { CallEmitted, CallEvent } from '../../machines/callTypes.js'
import { createCallRunners, type CallRunner } from '../../src/runtime/createCallRunner.js'

const P = 'participant-1'
const completed = { code: 200, subcode: 0, message: 'Success' }
// A call's life as the runtime feeds it: hold, release, a muted unmute, a roster, hang-up.
const events: CallEvent[] = [
  { type: 'call.updated', state: 'established', kind: 'group' } as CallEvent,
  { type: 'operation.requested', clientContext: 'h1', action: 'startHoldMusic', participantId: P, deadline: 60_000 } as CallEvent,
  { type: 'http.accepted', clientContext: 'h1', report: { id: 'o1', status: 'running', clientContext: 'h1' } },
  { type: 'notification.operation', report: { id: 'o1', status: 'completed', clientContext: 'h1', resultInfo: completed } } as CallEvent,
  { type: 'operation.requested', clientContext: 'h2', action: 'startHoldMusic', participantId: 'other', deadline: 60_000 } as CallEvent,
  { type: 'operation.requested', clientContext: 's1', action: 'stopHoldMusic', participantId: P, deadline: 60_000 } as CallEvent,
  { type: 'http.accepted', clientContext: 's1', report: { id: 'o2', status: 'completed', clientContext: 's1', resultInfo: completed } },
  { type: 'roster.updated', participants: [{ id: P, displayName: 'caller' }] } as CallEvent,
  { type: 'call.terminated' } as CallEvent,
]

const start = (outbox: CallEmitted[], onError: (err: unknown) => void = () => {}, snapshot?: never): CallRunner => {
  const r = createCallRunners(callMachine)(outbox, { input: { callId: 'call-1', holdPolicy: 'reject' }, ...(snapshot === undefined ? {} : { snapshot }) }, onError)
  if (E.isLeft(r)) throw new Error(String(r.left))
  return r.right
}

// A call whose action throws when a hold is confirmed, after the same transition settled the hold: a bug in the machine.
const throwing = callMachine.provide({
  actions: {
    confirmHold: () => {
      throw new Error('boom')
    },
  },
})

describe('a call run without an actor', () => {
  it('goes through the same states, with the same context and the same emitted events, as the call machine run as an actor', () => {
    const actor = createActor(callMachine, { input: { callId: 'call-1', holdPolicy: 'reject' } })
    const fromActor: CallEmitted[] = []
    actor.on('*', (e) => fromActor.push(e))
    actor.start()
    const fromRunner: CallEmitted[] = []
    const runner = start(fromRunner)
    expect(runner.getSnapshot().value).toEqual(actor.getSnapshot().value)
    for (const event of events) {
      actor.send(event)
      runner.send(event)
      expect(runner.getSnapshot().value).toEqual(actor.getSnapshot().value)
      expect(runner.getSnapshot().context).toEqual(actor.getSnapshot().context)
      expect(fromRunner).toEqual(fromActor)
    }
    expect(fromRunner.filter((e) => e.type === 'operation.settled').map((e) => e.clientContext)).toEqual(['h1', 'h2', 's1'])
    expect(runner.getPersistedSnapshot()).toEqual(actor.getPersistedSnapshot())
  })

  it('emits what a transition emits only once the transition is over, into its own call outbox', () => {
    const a: CallEmitted[] = []
    const b: CallEmitted[] = []
    const first = start(a)
    const second = start(b)
    first.send(events[0] as CallEvent)
    second.send(events[0] as CallEvent)
    first.send(events[1] as CallEvent)
    expect(a.some((e) => e.type === 'effect.http')).toBe(true)
    expect(b.some((e) => e.type === 'effect.http')).toBe(false)
  })

  it('starts again from a persisted snapshot where it left off', () => {
    const runner = start([])
    for (const event of events.slice(0, 3)) runner.send(event)
    const stored = JSON.parse(JSON.stringify(runner.getPersistedSnapshot())) as never
    const outbox: CallEmitted[] = []
    const restored = start(outbox, () => {}, stored)
    expect(restored.getSnapshot().value).toEqual(runner.getSnapshot().value)
    expect(restored.getSnapshot().context).toEqual(runner.getSnapshot().context)
    restored.send(events[3] as CallEvent)
    expect(outbox).toContainEqual(expect.objectContaining({ type: 'operation.settled', clientContext: 'h1' }))
  })

  it('reports a machine that throws at once, keeps nothing the failed transition emitted, and takes no more events', () => {
    const outbox: CallEmitted[] = []
    const errors: unknown[] = []
    const r = createCallRunners(throwing)(outbox, { input: { callId: 'call-1' } }, (err) => errors.push(err))
    if (E.isLeft(r)) throw new Error(String(r.left))
    for (const event of events.slice(0, 3)) r.right.send(event)
    outbox.length = 0
    r.right.send(events[3] as CallEvent)
    expect(errors).toHaveLength(1)
    expect(String(errors[0])).toContain('boom')
    // The settlement the transition emitted before it threw is not delivered.
    expect(outbox).toEqual([])
    expect(r.right.getSnapshot().status).toBe('error')
    r.right.send(events[4] as CallEvent)
    expect(outbox).toEqual([])
    expect(errors).toHaveLength(1)
  })

  it('takes no more events once stopped', () => {
    const outbox: CallEmitted[] = []
    const runner = start(outbox)
    runner.send(events[0] as CallEvent)
    runner.stop()
    runner.send(events[1] as CallEvent)
    expect(outbox.some((e) => e.type === 'effect.http')).toBe(false)
  })

  it('is a Left when the stored snapshot cannot be started from', () => {
    const r = createCallRunners(callMachine)([], { input: { callId: 'call-1' }, snapshot: { value: 'nowhere', context: {}, children: {}, status: 'active' } as never }, () => {})
    expect(E.isLeft(r)).toBe(true)
  })
})
