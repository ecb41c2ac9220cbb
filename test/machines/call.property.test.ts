import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { createActor, type AnyMachineSnapshot } from 'xstate'
import type { OperationReport } from '../../src/domain/Operation.js'
import type { ActionName } from '../../src/graph/actionCatalog.js'
import { callMachine } from '../../machines/call.machine.js'
import type { CallContext, CallEmitted, CallEvent, HoldPolicy } from '../../machines/callTypes.js'
import { httpError } from './callHarness.js'
import { checkCallStep, type OpenRequests } from './callInvariants.js'
import { compileMachineStep } from '../../machines/machineStep.js'
import { inspectorMarks } from '../../machines/callSetup.js'
import { pureScope } from './stepAgreement.js'

const stepCall = compileMachineStep<AnyMachineSnapshot, CallEvent, unknown>(callMachine, inspectorMarks)

// --- the simulated service
//
// Graph carries out the hold and stop requests of one participant in the order they were sent
// (the hold rule relies on it: a stopHoldMusic that succeeded was carried out after every earlier
// startHoldMusic), and tells the outcome late, twice, out of order, before its HTTP answer, or
// never. The "service truth" follows execution: a participant is on hold when their last
// successful hold/stop was a startHoldMusic. An HTTP 4xx means the request was not carried out;
// a 5xx or a network error says nothing (it may still be carried out).

interface SentOp {
  readonly key: string
  readonly action: ActionName
  readonly participantId: string | undefined
  state: 'pending' | 'refused' | 'executed'
  ok?: boolean
  answered: boolean
  /** Sent in this order (a participant's holds and stops are carried out in it). */
  readonly seq: number
  /** The call can never learn this one's outcome: its answer was a 5xx or a network error, or it was cancelled. */
  blind?: true
}

const PARTICIPANTS = ['p1', 'p2', 'p3'] as const

type Command =
  | { readonly t: 'hold'; readonly p: number; readonly within: number }
  | { readonly t: 'stop'; readonly p: number; readonly within: number }
  | { readonly t: 'unmute'; readonly within: number }
  | { readonly t: 'execute'; readonly i: number; readonly ok: boolean }
  | { readonly t: 'http'; readonly i: number; readonly kind: 'running' | 'final' | '4xx' | '5xx' | 'network' }
  | { readonly t: 'notify'; readonly i: number; readonly variant: number; readonly idOnly: boolean }
  | { readonly t: 'progress'; readonly i: number; readonly ok: boolean; readonly final: boolean; readonly notify: boolean }
  | { readonly t: 'repeat'; readonly i: number }
  | { readonly t: 'remove'; readonly p: number }
  | { readonly t: 'tick'; readonly dt: number }
  | { readonly t: 'cancel'; readonly i: number }
  | { readonly t: 'terminate' }

const participant = fc.integer({ min: 0, max: PARTICIPANTS.length - 1 })
const index = fc.nat({ max: 50 })
const within = fc.integer({ min: 1_000, max: 30_000 })

const command: fc.Arbitrary<Command> = fc.oneof(
  { weight: 10, arbitrary: fc.record({ t: fc.constant('hold' as const), p: participant, within }) },
  { weight: 7, arbitrary: fc.record({ t: fc.constant('stop' as const), p: participant, within }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('unmute' as const), within }) },
  // The usual course: carried out, answered, notified; the separate steps below reorder it.
  { weight: 14, arbitrary: fc.record({ t: fc.constant('progress' as const), i: index, ok: fc.boolean(), final: fc.boolean(), notify: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('execute' as const), i: index, ok: fc.boolean() }) },
  { weight: 6, arbitrary: fc.record({ t: fc.constant('http' as const), i: index, kind: fc.constantFrom('running', 'final', '4xx', '5xx', 'network') }) },
  { weight: 10, arbitrary: fc.record({ t: fc.constant('notify' as const), i: index, variant: fc.nat({ max: 4 }), idOnly: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('remove' as const), p: participant }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('tick' as const), dt: fc.integer({ min: 1, max: 20_000 }) }) },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('cancel' as const), i: index }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('repeat' as const), i: index }) },
  { weight: 1, arbitrary: fc.constant({ t: 'terminate' as const }) },
)

// Long-lived timelines of one participant (and a rival): timeouts are frequent and answers sparse,
// so late outcomes of holds and releases (late refusals too) arrive after later requests and
// repeated attempts, which random mixes rarely reach.
const lateCommand: fc.Arbitrary<Command> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ t: fc.constant('http' as const), i: index, kind: fc.constantFrom('4xx', '4xx', 'final', '5xx', 'network') }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('hold' as const), p: fc.constantFrom(0, 0, 0, 1), within: fc.integer({ min: 1_000, max: 4_000 }) }) },
  { weight: 5, arbitrary: fc.record({ t: fc.constant('stop' as const), p: fc.constant(0), within: fc.integer({ min: 1_000, max: 4_000 }) }) },
  { weight: 10, arbitrary: fc.record({ t: fc.constant('progress' as const), i: index, ok: fc.constantFrom(true, true, true, false), final: fc.boolean(), notify: fc.constantFrom(true, false, false) }) },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('notify' as const), i: index, variant: fc.nat({ max: 3 }), idOnly: fc.constant(false) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('tick' as const), dt: fc.integer({ min: 500, max: 3_000 }) }) },
)

const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length === 0 ? undefined : items[i % items.length])

const failureReports: readonly OperationReport[] = [
  { status: 'failed', resultInfo: { code: 500, subcode: 1 } },
  { status: 'completed', resultInfo: { code: 404, subcode: 2 } },
  { status: 'completed', completionReason: 'mediaOperationCanceled' },
]

/** Runs one random sequence against a live call actor and the simulated service, checking after every step. */
const runScenario = (policy: HoldPolicy, commands: readonly Command[]): void => {
  const input = { callId: 'call-1', holdPolicy: policy, kind: 'group' } as const
  const actor = createActor(callMachine, { input })
  let step: CallEmitted[] = []
  actor.on('*', (e) => {
    step.push(e)
  })
  actor.start()
  // The compiled step the runtime uses walks the same events beside the actor and must agree with it.
  let compiled = callMachine.getInitialSnapshot(pureScope(callMachine).scope, input) as AnyMachineSnapshot

  let now = 0
  let keys = 0
  let terminated = false
  const gone = new Set<string>()
  const onHold = new Set<string>()
  const sent = new Map<string, SentOp>()
  const requested = new Map<string, number>()
  const requests = new Map<string, CallEvent>()
  const settledCount = new Map<string, number>()
  const open: OpenRequests = new Set()
  const trace: string[] = []
  let seq = 0
  // Who held the slot after the last step, and the first op sent since it last changed hands.
  let holder: string | undefined
  let holderSince = 0

  const fifoHead = (op: SentOp): boolean => {
    // Hold and stop requests of one participant are carried out in the order they were sent.
    if (op.action !== 'startHoldMusic' && op.action !== 'stopHoldMusic') return true
    const first = [...sent.values()].find((o) => o.state === 'pending' && o.participantId === op.participantId && (o.action === 'startHoldMusic' || o.action === 'stopHoldMusic'))
    return first === op
  }

  const execute = (op: SentOp, ok: boolean): void => {
    const carriedOut = ok && !terminated && (op.participantId === undefined || !gone.has(op.participantId))
    op.state = 'executed'
    op.ok = carriedOut
    if (carriedOut && op.participantId !== undefined) {
      if (op.action === 'startHoldMusic') onHold.add(op.participantId)
      if (op.action === 'stopHoldMusic') onHold.delete(op.participantId)
    }
  }

  const report = (op: SentOp, variant: number): OperationReport =>
    op.ok === true ? { status: 'completed', resultInfo: { code: 200 } } : (failureReports[variant % failureReports.length] ?? { status: 'failed' })

  const send = (event: CallEvent): void => {
    trace.push(JSON.stringify(event))
    const before = actor.getSnapshot() as AnyMachineSnapshot
    const seqBefore = seq
    step = []
    if (event.type === 'operation.requested') {
      requested.set(event.clientContext, (requested.get(event.clientContext) ?? 0) + 1)
      requests.set(event.clientContext, event)
    }
    actor.send(event)
    const after = actor.getSnapshot() as AnyMachineSnapshot
    const emitted = step
    const compiledEmitted: unknown[] = []
    const next = stepCall(compiled, event, compiledEmitted)
    expect(next, `the compiled step declined ${event.type}`).toBeDefined()
    compiled = next ?? compiled
    expect(compiled.value).toEqual(after.value)
    expect(compiled.context).toEqual(after.context)
    expect(compiledEmitted).toEqual(emitted)
    for (const e of emitted) {
      if (e.type === 'effect.http') {
        expect(sent.has(e.clientContext), `effect.http twice for ${e.clientContext}`).toBe(false)
        sent.set(e.clientContext, { key: e.clientContext, action: e.action, participantId: e.participantId, state: 'pending', answered: false, seq: seq++ })
      }
      if (e.type === 'operation.settled') {
        settledCount.set(e.clientContext, (settledCount.get(e.clientContext) ?? 0) + 1)
        // The machine never reports an outcome the service did not give.
        const r = e.result
        if (r.ok) expect(sent.get(r.operation.clientContext)?.ok, `success reported for ${r.operation.clientContext}`).toBe(true)
        if (!r.ok && r.error._tag === 'OperationFailed') expect(sent.get(r.error.operation.clientContext)?.ok).toBe(false)
      }
    }
    checkCallStep(event, before, after, emitted, open)
    checkServiceTruth(after.context as CallContext)
    const now = (after.context as CallContext).hold?.participantId
    if (now !== holder) {
      holder = now
      holderSince = seqBefore
    }
  }

  /** Graph carries out everything still pending and tells every outcome, answers and notifications both. */
  const drain = (): void => {
    for (let round = 0; round < 20; round++) {
      const known = sent.size
      // Graph carries out a participant's requests in order: each round executes each one's next.
      for (const op of [...sent.values()].filter((o) => o.state === 'pending')) if (fifoHead(op)) execute(op, op.seq % 3 !== 0)
      const unanswered = waiting()
      for (const op of unanswered) {
        if (op.state === 'pending') continue
        op.answered = true
        send({ type: 'http.accepted', clientContext: op.key, report: { id: `op-${op.key}`, ...report(op, op.seq) } })
      }
      for (const op of [...sent.values()]) {
        if (op.state === 'executed') send({ type: 'notification.operation', report: { id: `op-${op.key}`, clientContext: op.key, ...report(op, op.seq) } })
      }
      // Done when nothing is left to carry out and no queued hold was started by the outcomes.
      if (sent.size === known && ![...sent.values()].some((o) => o.state === 'pending' || !o.answered)) return
    }
    throw new Error('the drain did not end')
  }

  // Once every outcome was told, a slot that covers someone the service does not hold must be
  // one the call could not know about: a hold or release of theirs whose outcome it never heard.
  const checkNotStuck = (): void => {
    const c = actor.getSnapshot().context as CallContext
    const p = c.hold?.participantId
    if (p === undefined || onHold.has(p) || gone.has(p) || terminated) return
    const blind = [...sent.values()].some(
      (o) => o.participantId === p && o.blind === true && o.seq >= holderSince && (o.action === 'startHoldMusic' || o.action === 'stopHoldMusic'),
    )
    expect(blind, `the slot is stuck on ${p}, whom the service does not hold, though every outcome was told\n${trace.join('\n')}`).toBe(true)
  }

  const checkServiceTruth = (c: CallContext): void => {
    // Never two participants on hold at the service.
    expect(onHold.size, `on hold at the service: ${[...onHold].join(', ')}`).toBeLessThanOrEqual(1)
    // Everyone the service has on hold, or may still put on hold, is covered by the slot.
    for (const p of PARTICIPANTS) {
      if (gone.has(p) || terminated) continue
      const mayHold = onHold.has(p) || [...sent.values()].some((o) => o.action === 'startHoldMusic' && o.participantId === p && o.state === 'pending')
      if (mayHold) expect(c.hold?.participantId, `${p} is or may be on hold at the service but the slot says ${c.hold?.participantId ?? 'free'}`).toBe(p)
    }
  }

  const waiting = (): SentOp[] => [...sent.values()].filter((o) => !o.answered)

  for (const cmd of commands) {
    switch (cmd.t) {
      case 'hold':
      case 'stop': {
        const key = `k${++keys}`
        const p = PARTICIPANTS[cmd.p] ?? 'p1'
        send({
          type: 'operation.requested',
          clientContext: key,
          action: cmd.t === 'hold' ? 'startHoldMusic' : 'stopHoldMusic',
          participantId: p,
          deadline: now + cmd.within,
          ...(cmd.t === 'hold' ? { swapClientContext: `swap-${key}` } : {}),
        })
        break
      }
      case 'unmute':
        send({ type: 'operation.requested', clientContext: `k${++keys}`, action: 'unmute', deadline: now + cmd.within })
        break
      case 'execute': {
        const op = pick([...sent.values()].filter((o) => o.state === 'pending' && fifoHead(o)), cmd.i)
        if (op !== undefined) execute(op, cmd.ok)
        break
      }
      case 'http': {
        const op = pick(waiting(), cmd.i)
        if (op === undefined) break
        op.answered = true
        const id = `op-${op.key}`
        let kind = cmd.kind
        if (kind === 'final' && op.state === 'pending' && !fifoHead(op)) kind = 'running'
        if (kind === '4xx' && op.state === 'executed') kind = 'running'
        if (kind === 'final') {
          if (op.state === 'pending') execute(op, cmd.i % 2 === 0)
          send({ type: 'http.accepted', clientContext: op.key, report: { id, ...report(op, cmd.i) } })
        } else if (kind === '4xx') {
          op.state = 'refused'
          send({ type: 'http.rejected', clientContext: op.key, error: httpError(cmd.i % 2 === 0 ? 404 : 409) })
        } else if (kind === 'running') {
          send({ type: 'http.accepted', clientContext: op.key, report: { id, status: 'running' } })
        } else {
          op.blind = true
          send({ type: 'http.rejected', clientContext: op.key, error: httpError(kind === '5xx' ? 503 : undefined) })
        }
        break
      }
      case 'notify': {
        const op = pick([...sent.values()].filter((o) => o.state === 'executed'), cmd.i)
        if (op === undefined) break
        const who = cmd.idOnly ? { id: `op-${op.key}` } : { id: `op-${op.key}`, clientContext: op.key }
        send({ type: 'notification.operation', report: cmd.variant === 4 ? { ...who, status: 'running' } : { ...who, ...report(op, cmd.variant) } })
        break
      }
      case 'progress': {
        const op = pick([...sent.values()].filter((o) => (o.state === 'pending' && fifoHead(o)) || (o.state === 'executed' && !o.answered)), cmd.i)
        if (op === undefined) break
        if (op.state === 'pending') execute(op, cmd.ok)
        if (!op.answered) {
          op.answered = true
          send({ type: 'http.accepted', clientContext: op.key, report: cmd.final ? { id: `op-${op.key}`, ...report(op, cmd.i) } : { id: `op-${op.key}`, status: 'running' } })
        }
        if (cmd.notify) send({ type: 'notification.operation', report: { id: `op-${op.key}`, clientContext: op.key, ...report(op, cmd.i) } })
        break
      }
      case 'repeat': {
        // A clientContext still in use, sent again: refused, the first request untouched.
        const again = requests.get(pick([...open].filter((k) => requests.has(k)), cmd.i) ?? '')
        if (again !== undefined) send(again)
        break
      }
      case 'remove': {
        const p = PARTICIPANTS[cmd.p] ?? 'p1'
        gone.add(p)
        onHold.delete(p)
        send({ type: 'roster.removed', participantIds: [p] })
        break
      }
      case 'tick':
        now += cmd.dt
        send({ type: 'deadline.reached', now })
        break
      case 'cancel': {
        const key = pick([...open], cmd.i)
        if (key === undefined) break
        const op = sent.get(key)
        if (op !== undefined) op.blind = true
        send({ type: 'operation.cancel', clientContext: key, reason: 'bot' })
        break
      }
      case 'terminate':
        terminated = true
        onHold.clear()
        send({ type: 'call.terminated' })
        break
    }
  }

  if (!terminated) {
    drain()
    checkNotStuck()
  }

  // The call ends: every request is answered, exactly once.
  terminated = true
  onHold.clear()
  send({ type: 'call.terminated' })
  expect([...open], 'requests still waiting after the call ended').toEqual([])
  for (const [key, times] of requested) expect(settledCount.get(key), `answers to ${key}`).toBe(times)
  expect((actor.getSnapshot().context as CallContext).inFlight).toEqual({})
  actor.stop()
}

describe('call machine, property-based', () => {
  it.each(['reject', 'queue', 'swap'] as const)(
    'under the %s policy, random holds, releases, answers, notifications, deadlines, cancels and departures never put two participants on hold, never leave the slot stuck, and every request is answered once',
    (policy) => {
      fc.assert(
        fc.property(fc.array(command, { minLength: 10, maxLength: 80, size: 'max' }), (commands) => {
          runScenario(policy, commands)
        }),
        { numRuns: 250 },
      )
    },
  )

  it('late outcomes (and late refusals) of timed-out holds and releases, arriving after later and repeated requests, never leave the service holding someone the slot does not cover, nor the slot stuck on someone it does not hold', () => {
    fc.assert(
      fc.property(fc.constantFrom<HoldPolicy>('reject', 'queue', 'swap'), fc.array(lateCommand, { minLength: 10, maxLength: 60, size: 'max' }), (policy, commands) => {
        runScenario(policy, commands)
      }),
      { numRuns: 400 },
    )
  })
})
