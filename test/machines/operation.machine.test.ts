import { describe, expect, it } from 'vitest'
import { createActor } from 'xstate'
import type { OperationReport } from '../../src/domain/Operation.js'
import { operationMachine, type OperationEvent, type OperationInput } from '../../machines/operation.machine.js'
import { completed, failed, httpError, running, stateOf } from './callHarness.js'
import { reportingParent } from './operationTestKit.js'

const input: OperationInput = { clientContext: 'cc-1', action: 'startHoldMusic', callId: 'call-1', participantId: 'p1', deadline: 1_000 }

const start = (overrides: Partial<OperationInput> = {}) => {
  const actor = createActor(operationMachine, { input: { ...input, ...overrides } }).start()
  const send = (...events: OperationEvent[]) => {
    for (const e of events) actor.send(e)
    return actor
  }
  return { actor, send, state: () => stateOf(actor.getSnapshot().value), context: () => actor.getSnapshot().context }
}

const accepted = (report: OperationReport): OperationEvent => ({ type: 'http.accepted', report })
const notified = (report: OperationReport): OperationEvent => ({ type: 'notification.operation', report })
const deadline = (now: number): OperationEvent => ({ type: 'deadline.reached', now })

const startWithParent = () => {
  const parent = createActor(reportingParent).start()
  const send = (...events: OperationEvent[]) => {
    for (const event of events) parent.send({ type: 'to.op', event })
  }
  return { send, reports: () => parent.getSnapshot().context.reports }
}

describe('operation machine: HTTP answers', () => {
  it.each([
    ['running', { status: 'running' }],
    ['notStarted', { status: 'notStarted' }],
    ['no status', { id: 'op-1' }],
  ] as const)('an HTTP answer with %s moves to running and waits for a notification', (_name, report) => {
    const op = start()
    op.send(accepted(report))
    expect(op.state()).toBe('running')
  })

  it('an HTTP answer with completed and a 2xx result is final: completed at once (unmute answers so)', () => {
    const op = start({ action: 'unmute' })
    op.send(accepted({ id: 'op-1', status: 'completed', resultInfo: { code: 200 } }))
    expect(op.state()).toBe('completed')
    expect(op.context().operation).toMatchObject({ id: 'op-1', status: 'completed', action: 'unmute' })
    expect(op.context().error).toBeUndefined()
  })

  it('an HTTP answer with failed is final: failed with OperationFailed carrying the resultInfo', () => {
    const op = start()
    op.send(accepted(failed()))
    expect(op.state()).toBe('failed.operationFailed')
    expect(op.context().error).toMatchObject({ _tag: 'OperationFailed', resultInfo: { code: 500, subcode: 1 } })
  })

  it('an HTTP error ends it in failed.rejected with that error', () => {
    const op = start()
    op.send({ type: 'http.rejected', error: httpError(403) })
    expect(op.state()).toBe('failed.rejected')
    expect(op.context().error).toEqual(httpError(403))
    expect(op.context().operation.status).toBe('failed')
  })
})

describe('operation machine: completed is not always success', () => {
  it.each([
    ['a 4xx resultInfo', { status: 'completed', resultInfo: { code: 404, subcode: 7 } }],
    ['a 5xx resultInfo', { status: 'completed', resultInfo: { code: 500 } }],
    ['a cancelled completionReason', { status: 'completed', completionReason: 'mediaOperationCanceled' }],
  ] as const)('a completed HTTP answer with %s ends in failed', (_name, report) => {
    const op = start()
    op.send(accepted(report))
    expect(op.state()).toBe('failed.operationFailed')
    expect(op.context().error?._tag).toBe('OperationFailed')
  })

  it.each([
    ['a 4xx resultInfo', { status: 'completed', resultInfo: { code: 400, subcode: 8508 } }],
    ['a cancelled completionReason', { status: 'completed', resultInfo: { code: 200 }, completionReason: 'mediaOperationCanceled' }],
  ] as const)('a completed notification with %s ends in failed', (_name, report) => {
    const op = start()
    op.send(accepted(running), notified(report))
    expect(op.state()).toBe('failed.operationFailed')
    expect(op.context().error?._tag).toBe('OperationFailed')
  })

  it('completed with a 2xx resultInfo and completedSuccessfully is success', () => {
    const op = start({ action: 'sendDtmfTones' })
    op.send(accepted(running), notified({ status: 'completed', resultInfo: { code: 200 }, completionReason: 'completedSuccessfully' }))
    expect(op.state()).toBe('completed')
  })
})

describe('operation machine: notifications', () => {
  it('a completed notification ends a running operation in completed', () => {
    const op = start()
    op.send(accepted({ id: 'op-1', status: 'running' }), notified({ id: 'op-1', ...completed() }))
    expect(op.state()).toBe('completed')
    expect(op.context().operation).toMatchObject({ id: 'op-1', status: 'completed', resultInfo: { code: 200 } })
  })

  it('a failed notification ends a running operation in failed with the resultInfo', () => {
    const op = start()
    op.send(accepted(running), notified(failed()))
    expect(op.state()).toBe('failed.operationFailed')
    expect(op.context().error).toMatchObject({ _tag: 'OperationFailed', resultInfo: { code: 500 } })
  })

  it('a running notification is recorded and the operation keeps running', () => {
    const op = start()
    op.send(accepted(running), notified({ id: 'op-9', status: 'running' }))
    expect(op.state()).toBe('running')
    expect(op.context().operation.id).toBe('op-9')
  })

  it('a notification that beats the HTTP answer is kept, and the operation ends as it said when the answer arrives', () => {
    const op = start()
    op.send(notified({ id: 'op-1', ...completed('cc-1') }))
    expect(op.state()).toBe('requested')
    expect(op.context().operation.id).toBe('op-1')
    op.send(accepted({ id: 'op-1', status: 'running' }))
    expect(op.state()).toBe('completed')
    expect(op.context().operation.status).toBe('completed')
  })

  it('an early failed notification makes the operation fail once the running answer arrives', () => {
    const op = start()
    op.send(notified(failed()), accepted(running))
    expect(op.state()).toBe('failed.operationFailed')
    expect(op.context().error).toMatchObject({ _tag: 'OperationFailed', resultInfo: { code: 500 } })
  })

  it('an early notification decides the outcome even when the HTTP answer is an error (the request was carried out)', () => {
    const succeeded = start()
    succeeded.send(notified(completed()), { type: 'http.rejected', error: httpError() })
    expect(succeeded.state()).toBe('completed')
    const failedOp = start()
    failedOp.send(notified(failed()), { type: 'http.rejected', error: httpError(503) })
    expect(failedOp.state()).toBe('failed.operationFailed')
  })

  it('an early notification decides the outcome when the deadline passes with no HTTP answer', () => {
    const op = start()
    op.send(notified(completed()), deadline(1_000))
    expect(op.state()).toBe('completed')
    const failedOp = start()
    failedOp.send(notified(failed()), deadline(1_000))
    expect(failedOp.state()).toBe('failed.operationFailed')
  })

  it('a non-final notification before the answer changes nothing', () => {
    const op = start()
    op.send(notified({ status: 'running' }))
    expect(op.state()).toBe('requested')
    expect(op.context().early).toBeUndefined()
  })

  it('duplicate notifications after the end change nothing', () => {
    // completed ignores everything: a later cancel, call end, deadline or failure report.
    const op = start()
    op.send(accepted(running), notified(completed()))
    const done = op.context()
    op.send(notified(failed()), accepted(failed()), { type: 'cancel' }, { type: 'call.ended' }, deadline(10_000))
    expect(op.state()).toBe('completed')
    expect(op.context()).toEqual(done)

    const failedOp = start()
    failedOp.send(accepted(running), notified(failed()))
    const context = failedOp.context()
    failedOp.send(notified(completed()), notified(failed()))
    expect(failedOp.state()).toBe('failed.operationFailed')
    expect(failedOp.context()).toEqual(context)
  })
})

describe('operation machine: deadlines on a controlled clock', () => {
  it('before the deadline nothing happens; at the deadline the operation fails with Timeout', () => {
    const op = start()
    op.send(accepted(running), deadline(999))
    expect(op.state()).toBe('running')
    op.send(deadline(1_000))
    expect(op.state()).toBe('failed.timedOut')
    expect(op.context().error).toMatchObject({ _tag: 'Timeout', clientContext: 'cc-1', deadline: 1_000 })
  })

  it('an operation still waiting for its HTTP answer times out too', () => {
    const op = start()
    op.send(deadline(5_000))
    expect(op.state()).toBe('failed.timedOut')
  })

  it('a completion after the deadline is recorded in failed.lateOutcome and reported to the call as operation.late', () => {
    const parent = startWithParent()
    parent.send(accepted(running), deadline(1_000))
    expect(parent.reports()).toMatchObject([{ type: 'operation.ended', clientContext: 'cc-1', result: { ok: false, error: { _tag: 'Timeout' } } }])
    parent.send(notified({ id: 'op-1', ...completed() }))
    expect(parent.reports()).toHaveLength(2)
    expect(parent.reports()[1]).toMatchObject({ type: 'operation.late', clientContext: 'cc-1', succeeded: true, operation: { id: 'op-1', status: 'completed' } })
    parent.send(notified(completed()), notified(failed()))
    expect(parent.reports()).toHaveLength(2)
  })

  it('the late outcome is kept in context next to the Timeout error', () => {
    const op = start()
    op.send(accepted(running), deadline(1_000), notified(failed()))
    expect(op.state()).toBe('failed.lateOutcome')
    expect(op.context().error?._tag).toBe('Timeout')
    expect(op.context().late).toMatchObject({ status: 'failed', resultInfo: { code: 500 } })
  })

  it('a late failure is reported with succeeded false, and a final HTTP answer after the deadline is a late outcome too', () => {
    const parent = startWithParent()
    parent.send(deadline(2_000), accepted({ status: 'completed', resultInfo: { code: 409 } }))
    expect(parent.reports().map((r) => r.type)).toEqual(['operation.ended', 'operation.late'])
    expect(parent.reports()[1]).toMatchObject({ succeeded: false })
  })

  it('a non-final answer after the deadline is not an outcome', () => {
    const op = start()
    op.send(deadline(1_000), accepted(running), notified({ status: 'running' }))
    expect(op.state()).toBe('failed.timedOut')
  })
})

describe('operation machine: cancel and call end', () => {
  it('cancel ends it in failed.cancelled with Cancelled and the reason', () => {
    const op = start()
    op.send(accepted(running), { type: 'cancel', reason: 'bot gave up' })
    expect(op.state()).toBe('failed.cancelled')
    expect(op.context().error).toEqual({ _tag: 'Cancelled', message: 'bot gave up' })
  })

  it('call.ended ends it in failed.callEnded with CallEnded', () => {
    const op = start()
    op.send({ type: 'call.ended' })
    expect(op.state()).toBe('failed.callEnded')
    expect(op.context().error).toMatchObject({ _tag: 'CallEnded', callId: 'call-1' })
  })

  it('once failed, cancel, call.ended and a deadline change nothing', () => {
    const op = start()
    op.send({ type: 'http.rejected', error: httpError(404) })
    const context = op.context()
    op.send({ type: 'cancel' }, { type: 'call.ended' }, deadline(10_000))
    expect(op.state()).toBe('failed.rejected')
    expect(op.context()).toEqual(context)
  })

  it('the call hears operation.ended exactly once, whatever follows', () => {
    const parent = startWithParent()
    parent.send(accepted(running), notified(failed()), notified(failed()), notified(completed()), { type: 'cancel' }, { type: 'call.ended' }, deadline(9_999))
    expect(parent.reports()).toMatchObject([{ type: 'operation.ended', result: { ok: false, error: { _tag: 'OperationFailed' } } }])
  })
})
