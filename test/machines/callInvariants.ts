import type { AnyMachineSnapshot, EventObject } from 'xstate'
import type { CallContext, CallEmitted, CallEvent } from '../../machines/callTypes.js'
import { operationRecordState } from '../../machines/operationStep.js'
import { knownStates } from '../../src/runtime/knownStates.js'
import { stateOf } from './callHarness.js'

const operationStates = knownStates.operation

/** Requests (and a swap's own stopHoldMusic) that have not been answered yet, by clientContext. */
export type OpenRequests = Set<string>

const pendingKeys = (c: CallContext): string[] => Object.keys(c.inFlight).filter((k) => c.inFlight[k]?.timedOut === undefined)

/**
 * Checks one step of a call machine against the contract of issue 3 and throws on the first
 * breach. `open` is updated: a request opens when the call accepts it (sent, joined or queued)
 * and closes with its one `operation.settled`.
 *
 * - every `operation.requested` gets exactly one `operation.settled` (at once, or later);
 * - until then it is tracked: sent and pending, joined to a pending request, or queued;
 * - `effect.http` is emitted exactly for the operations that start in this step;
 * - the hold slot matches the state: free/ended hold nothing, holding is unconfirmed, held is
 *   confirmed, releasing has its stopHoldMusic pending.
 */
export const checkCallStep = (
  event: CallEvent,
  before: AnyMachineSnapshot,
  after: AnyMachineSnapshot,
  emitted: readonly EventObject[],
  open: OpenRequests,
): void => {
  const b = before.context as CallContext
  const a = after.context as CallContext
  const fail = (why: string): never => {
    throw new Error(`${why}\n  event: ${JSON.stringify(event)}\n  state: ${stateOf(before.value)} → ${stateOf(after.value)}\n  emitted: ${JSON.stringify(emitted)}\n  context: ${JSON.stringify(a)}`)
  }
  const out = emitted as readonly CallEmitted[]
  const settled = out.flatMap((e) => (e.type === 'operation.settled' ? [e.clientContext] : []))
  const sent = out.flatMap((e) => (e.type === 'effect.http' ? [e.clientContext] : []))

  // effect.http exactly for the operations that started now.
  const started = Object.keys(a.inFlight).filter((k) => b.inFlight[k] === undefined)
  if (JSON.stringify([...sent].sort()) !== JSON.stringify([...started].sort())) fail(`effect.http for [${sent.join(', ')}] but operations started: [${started.join(', ')}]`)

  // A request opens when accepted; a duplicate clientContext is refused without touching the first.
  if (event.type === 'operation.requested') {
    if (open.has(event.clientContext)) {
      if (settled.filter((k) => k === event.clientContext).length !== 1) fail('a duplicate clientContext must be refused exactly once')
      const dup = out.find((e) => e.type === 'operation.settled' && e.clientContext === event.clientContext)
      if (dup?.type !== 'operation.settled' || dup.result.ok || dup.result.error._tag !== 'InvalidRequest') fail('a duplicate clientContext is refused with InvalidRequest')
      settled.splice(settled.indexOf(event.clientContext), 1)
    } else {
      open.add(event.clientContext)
    }
  }
  for (const k of sent) open.add(k)
  for (const k of settled) {
    if (!open.delete(k)) fail(`operation.settled for ${k}, which was not waiting for an answer`)
  }

  // Every open request is tracked, and everything tracked is open.
  const tracked = [...pendingKeys(a), ...Object.values(a.joiners).flat(), ...a.queue.map((q) => q.clientContext)]
  if (new Set(tracked).size !== tracked.length) fail(`a clientContext is tracked twice: ${tracked.join(', ')}`)
  if (JSON.stringify([...tracked].sort()) !== JSON.stringify([...open].sort())) fail(`open requests [${[...open].join(', ')}] but tracked [${tracked.join(', ')}]`)

  // Joiners wait on a pending request; every operation in flight has its lifecycle, and no child actor runs.
  for (const target of Object.keys(a.joiners)) if (!pendingKeys(a).includes(target)) fail(`joiners wait on ${target}, which is not pending`)
  for (const [k, f] of Object.entries(a.inFlight)) if (!operationStates.has(operationRecordState(f.op))) fail(`operation ${k} in flight has no lifecycle`)
  if (Object.keys(after.children).length > 0) fail('the call runs child actors')

  // The slot matches the state (the hold region's, while a transfer runs beside it).
  const state = stateOf(after.value).split(' + ')[0] ?? ''
  const hold = a.hold
  switch (state) {
    case 'terminated':
      if (hold !== undefined || a.queue.length > 0) fail('a terminated call holds no slot and no queue')
      break
    case 'incoming.awaitingAnswer':
    case 'incoming.deadlineMissed':
    case 'establishing':
    case 'redirecting':
      if (hold !== undefined || a.queue.length > 0 || Object.keys(a.inFlight).length > 0) fail('a call not yet established runs no operation')
      break
    // Operations started while established go on to their end.
    case 'transferAccepted':
    case 'terminating':
      break
    case 'established.hold.free':
      if (hold !== undefined || a.queue.length > 0) fail('a free slot holds nobody and nothing waits for it')
      break
    case 'established.hold.holding':
      if (hold === undefined || hold.operation !== undefined || hold.stopKey !== undefined) fail('holding: the slot is taken, unconfirmed, not being released')
      break
    case 'established.hold.held':
      if (hold?.operation === undefined || hold.stopKey !== undefined) fail('held: the slot holds a confirmed startHoldMusic')
      break
    case 'established.hold.releasing':
      if (hold?.stopKey === undefined || !pendingKeys(a).includes(hold.stopKey)) fail('releasing: the stopHoldMusic is pending')
      break
    default:
      fail(`unknown state ${state}`)
  }
}
