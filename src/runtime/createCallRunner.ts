import * as E from 'fp-ts/lib/Either.js'
import type { Snapshot, SnapshotFrom } from 'xstate'
import type { CallMachine } from '../../machines/call.machine.js'
import type { CallEmitted, CallEvent } from '../../machines/callTypes.js'
import { inspectorMarks } from '../../machines/callSetup.js'
import { compileMachineStep, type MachineStep } from '../../machines/machineStep.js'
import { storedStart, type CallActorStart } from './createCallActor.js'
import { createPureActorScope } from './createPureActorScope.js'

/** A call machine's snapshot, as the runtime reads it. */
export type CallSnapshot = SnapshotFrom<CallMachine>

/**
 * What the runtime does with one call's machine: the part of XState's `Actor` it uses. Without an
 * inspector {@link createCallRunners} makes it (no actor per call); with one, it is the call's real
 * actor, so the inspector sees the call.
 */
export interface CallRunner {
  readonly send: (event: CallEvent) => void
  readonly getSnapshot: () => CallSnapshot
  /** What the store keeps: XState's persisted snapshot. */
  readonly getPersistedSnapshot: () => Snapshot<unknown>
  /** It takes no more events. */
  readonly stop: () => void
}

/** Starts one call's {@link CallRunner}: what it emits goes to `outbox`, an exception in its machine to `onError`. */
export type StartCallRunner = (outbox: CallEmitted[], start: CallActorStart, onError: (err: unknown) => void) => E.Either<unknown, CallRunner>

const compiledStep = (machine: CallMachine): MachineStep<CallSnapshot, CallEvent, CallEmitted> => {
  try {
    return compileMachineStep(machine, inspectorMarks)
  } catch {
    return () => undefined
  }
}

/**
 * Runs calls as snapshots, instead of one XState actor per call: each event is a step of the machine
 * compiled by `compileMachineStep` (machines/machineStep.ts: XState's algorithm without its
 * interpreter's copies, proved equal on the model's paths), or of `machine.transition` through one
 * shared actor scope where that step declines. An actor (with its own actor system, mailbox, observers and listener
 * maps) is about 3.6 KiB of heap per call and a tenth of each event's CPU; the call machine needs
 * none of it: it spawns nothing, schedules nothing, and what it emits is the runtime's input. What
 * an actor does is kept: emitted events are delivered after the transition (XState defers them), an
 * exception leaves the call in status `error`, reaches `onError` at once and stops it, a stopped call
 * takes no more events, and a stored snapshot is restored with `machine.restoreSnapshot`.
 */
export const createCallRunners = (machine: CallMachine): StartCallRunner => {
  // XState's own interpreter only where the compiled step declines (it declines none of the call
  // machine's events: test/machines/call.model.test.ts), or for a machine it cannot compile (one
  // given a custom action with effects, say); start and restore stay XState's.
  const step = compiledStep(machine)
  let outbox: CallEmitted[] = []
  let deferred: Array<() => void> = []
  const scope = createPureActorScope(
    machine,
    (e) => void outbox.push(e as CallEmitted),
    (fn) => void deferred.push(fn),
  )

  // Runs `step` with this call's outbox, then what it deferred; nothing of it if `step` throws.
  const within = <T>(box: CallEmitted[], step: () => T): T => {
    const saved = outbox
    const savedDeferred = deferred
    outbox = box
    deferred = []
    try {
      const result = step()
      for (const fn of deferred) fn()
      return result
    } finally {
      outbox = saved
      deferred = savedDeferred
    }
  }

  return (box, start, onError) => {
    let snapshot: CallSnapshot
    try {
      const stored = storedStart(start)
      snapshot = within(box, () => (stored === undefined ? machine.getInitialSnapshot(scope, start.input) : machine.restoreSnapshot(stored as never, scope)))
    } catch (err) {
      return E.left(err)
    }
    if (snapshot.status === 'error') return E.left(snapshot.error)
    let stopped = false
    const runner: CallRunner = {
      send: (event: CallEvent) => {
        if (stopped) return
        try {
          // The step pushes onto the outbox only once it has succeeded, as `within` delivers.
          const next = step(snapshot, event, box)
          snapshot = next ?? within(box, () => machine.transition(snapshot, event, scope))
        } catch (err) {
          snapshot = { ...snapshot, status: 'error', error: err } as CallSnapshot
          stopped = true
          onError(err)
        }
      },
      getSnapshot: () => snapshot,
      getPersistedSnapshot: () => machine.getPersistedSnapshot(snapshot),
      stop: () => {
        stopped = true
      },
    }
    return E.right(runner)
  }
}
