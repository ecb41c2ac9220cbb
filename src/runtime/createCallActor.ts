import * as E from 'fp-ts/lib/Either.js'
import { createActor, type Actor } from 'xstate'
import type { CallMachine } from '../../machines/call.machine.js'
import type { CallEmitted, CallInput } from '../../machines/callTypes.js'
import type { DecodedCallSnapshot } from '../codecs/StoredCallSnapshot.js'

import { withOperationShadows, type InspectOption } from './createOperationShadows.js'

export type { InspectOption }

/** What a call actor starts from: a new call, or a stored snapshot that has been decoded. */
export interface CallActorStart {
  readonly input: CallInput
  readonly snapshot?: DecodedCallSnapshot
}

/**
 * The stored snapshot XState starts `start` from, if any. Neither machine has a final state, so a
 * stored call's status is always `active`, with no output.
 */
export const storedStart = (start: CallActorStart) =>
  start.snapshot === undefined ? undefined : { ...start.snapshot, output: undefined, error: undefined }

/**
 * Creates and starts one call's actor. What it emits goes to `outbox`; an exception in one of its
 * guards or actions stops this actor only and reaches `onError` (without an error observer XState
 * rethrows it asynchronously, which exits the process). A snapshot XState cannot start from is a
 * `Left` with the error.
 */
export const startCallActor = (
  machine: CallMachine,
  id: string,
  outbox: CallEmitted[],
  start: CallActorStart,
  inspect: InspectOption | undefined,
  onError: (err: unknown) => void,
): E.Either<unknown, Actor<CallMachine>> => {
  const stored = storedStart(start)
  const actor = createActor(machine, {
    id,
    input: start.input,
    ...(stored === undefined ? {} : { snapshot: stored }),
    // Each operation is shown as an actor of the call's system, from the call's marks (createOperationShadows.ts).
    ...(inspect === undefined ? {} : { inspect: withOperationShadows(inspect) }),
  })
  actor.on('*', (e) => {
    outbox.push(e)
  })
  let starting = true
  let startError: unknown
  actor.subscribe({
    error: (err) => {
      if (starting) startError = err
      else onError(err)
    },
  })
  actor.start()
  starting = false
  return actor.getSnapshot().status === 'error' ? E.left(startError) : E.right(actor)
}
