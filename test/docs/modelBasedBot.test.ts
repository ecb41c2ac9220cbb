import { expect, test } from 'vitest'
import { getShortestPaths } from 'xstate/graph'
import type { Operation } from '../../src/index.js'
import { callMachine, type CallContext, type CallEvent } from '../../machines/index.js'

// --- the bot code under test: what the agent's desk shows for each caller of a call
type Label = 'talking' | 'putting on hold' | 'on hold' | 'taking off hold' | 'waiting for hold'
const deskLabel = (ctx: CallContext, participantId: string): Label => {
  if (ctx.hold?.participantId === participantId) {
    if (ctx.hold.stopKey !== undefined) return 'taking off hold'
    return ctx.hold.operation === undefined ? 'putting on hold' : 'on hold'
  }
  return ctx.queue.some((q) => q.participantId === participantId) ? 'waiting for hold' : 'talking'
}

// --- the model: callops's call machine, driven by what the agent and Graph can do
const callers = ['alice', 'bob']
const ask = (clientContext: string, action: 'startHoldMusic' | 'stopHoldMusic', participantId: string): CallEvent => ({
  type: 'operation.requested',
  clientContext,
  action,
  participantId,
  deadline: 60_000,
})
const ended = (clientContext: string, action: Operation['action'], participantId: string, ok: boolean): CallEvent => {
  const operation: Operation = { clientContext, action, participantId, callId: 'call-1', status: ok ? 'completed' : 'failed' }
  return ok
    ? { type: 'operation.ended', clientContext, result: { ok, operation } }
    : { type: 'operation.ended', clientContext, result: { ok, operation, error: { _tag: 'OperationFailed', operation, message: 'failed' } } }
}
const events: CallEvent[] = [
  ...callers.flatMap((p) => [
    ask(`hold-${p}`, 'startHoldMusic', p),
    ask(`unhold-${p}`, 'stopHoldMusic', p),
    ended(`hold-${p}`, 'startHoldMusic', p, true),
    ended(`hold-${p}`, 'startHoldMusic', p, false),
    ended(`unhold-${p}`, 'stopHoldMusic', p, true),
    { type: 'roster.removed', participantIds: [p] } satisfies CallEvent,
  ]),
  { type: 'call.terminated' },
]

test('whatever the agent and Graph do, the desk never shows two callers on hold', () => {
  const paths = getShortestPaths(callMachine, {
    input: { callId: 'call-1', holdPolicy: 'queue' },
    events,
    // Two snapshots are the same state when the machine's state and the hold slot and queue are.
    serializeState: (s) => JSON.stringify([s.value, s.context.hold, s.context.queue.map((q) => q.participantId)]),
  })
  expect(paths.length).toBeGreaterThan(10)
  for (const path of paths) {
    const labels = callers.map((p) => deskLabel(path.state.context, p))
    const holding = labels.filter((l) => l !== 'talking' && l !== 'waiting for hold')
    const steps = path.steps.map((s) => s.event.type + ('clientContext' in s.event ? ` ${s.event.clientContext}` : '')).join(' → ')
    expect(holding.length, `after ${steps}: ${labels.join(', ')}`).toBeLessThanOrEqual(1)
  }
})
