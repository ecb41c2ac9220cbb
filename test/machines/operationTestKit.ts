import { assign, sendTo, setup, spawnChild } from 'xstate'
import { operationMachine, type OperationEvent, type OperationInput, type OperationReportToCall } from '../../machines/operation.machine.js'
import { httpError } from './callHarness.js'

/** The operation the model-based tests walk. */
export const input: OperationInput = { clientContext: 'cc-1', action: 'startHoldMusic', callId: 'call-1', participantId: 'p1', deadline: 1_000 }

// Every kind of answer and notification the issue names, as concrete external events.
export const operationEvents: readonly OperationEvent[] = [
  { type: 'http.accepted', report: { id: 'op-1', status: 'running' } },
  { type: 'http.accepted', report: { id: 'op-1' } },
  { type: 'http.accepted', report: { id: 'op-1', status: 'completed', resultInfo: { code: 200 } } },
  { type: 'http.accepted', report: { id: 'op-1', status: 'completed', resultInfo: { code: 404 } } },
  { type: 'http.accepted', report: { id: 'op-1', status: 'failed', resultInfo: { code: 500 } } },
  { type: 'http.rejected', error: httpError(404) },
  { type: 'notification.operation', report: { id: 'op-1', status: 'running', clientContext: 'cc-1' } },
  { type: 'notification.operation', report: { id: 'op-1', status: 'completed', resultInfo: { code: 200 }, clientContext: 'cc-1' } },
  { type: 'notification.operation', report: { id: 'op-1', status: 'completed', completionReason: 'mediaOperationCanceled' } },
  { type: 'notification.operation', report: { id: 'op-1', status: 'failed', resultInfo: { code: 500, subcode: 3 } } },
  { type: 'deadline.reached', now: 999 },
  { type: 'deadline.reached', now: 1_000 },
  { type: 'cancel', reason: 'bot' },
  { type: 'call.ended' },
]

/**
 * A parent standing in for the call machine that once ran operations as children: spawns one
 * operation (`op`) reporting to it, forwards `to.op` events to it and records what it reports.
 */
export const reportingParent = setup({
  types: {
    context: {} as { reports: OperationReportToCall[] },
    events: {} as { type: 'to.op'; event: OperationEvent } | OperationReportToCall,
  },
  actors: { operation: operationMachine },
}).createMachine({
  context: { reports: [] },
  entry: spawnChild('operation', { id: 'op', input: { ...input, reportsToCall: true } }),
  on: {
    'to.op': { actions: sendTo('op', ({ event }) => event.event) },
    'operation.ended': { actions: assign({ reports: ({ context, event }) => [...context.reports, event] }) },
    'operation.late': { actions: assign({ reports: ({ context, event }) => [...context.reports, event] }) },
  },
})
