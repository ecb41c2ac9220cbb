import * as E from 'fp-ts/lib/Either.js'
import { invalidRequest } from '../domain/CallOpsError.js'
import type { CreateCallInput, ParticipantSeed } from './adminBodies.js'
import { createPrng, deriveSeed } from './createPrng.js'
import type { Prng } from './createPrng.js'
import { isLoopbackUrl } from './isLoopbackUrl.js'
import type { SimCall, SimCaller, SimCallState, SimParticipant } from './SimCall.js'
import { conflict } from './SimulatorError.js'
import type { SimulatorError } from './SimulatorError.js'

/** What making a call needs from the simulator. */
export interface NewCallContext {
  readonly seed: number
  readonly now: () => number
  /** The simulator-wide stream, for call ids. */
  readonly rand: Prng
  readonly exists: (callId: string) => boolean
}

/** How a call begins: established (admin-created), incoming (rung) or establishing (outgoing). */
export interface CallStart {
  readonly state: SimCallState
  readonly direction: 'incoming' | 'outgoing'
  readonly caller?: SimCaller
  /** Default group when the input does not say (admin-created calls: true). */
  readonly group: boolean
}

/** A participant of `call` from its seed; the `index` names it when the seed gives no name. */
export const newParticipant = (call: SimCall, seed: ParticipantSeed, index: number): SimParticipant => ({
  id: seed.id ?? call.rand.guid(),
  userId: call.rand.guid(),
  displayName: seed.displayName ?? `Participant ${index + 1}`,
  isMuted: false,
  holdIndex: -1,
})

/** Builds a call from checked input: refuses a callback off loopback, a taken id and duplicate participant ids. */
export const newSimCall = (input: CreateCallInput, start: CallStart, ctx: NewCallContext): E.Either<SimulatorError, SimCall> => {
  if (!isLoopbackUrl(input.callbackUrl)) {
    return E.left(
      invalidRequest(`callbackUrl must be an http(s) URL on loopback (127.0.0.0/8, localhost, [::1]); got ${JSON.stringify(input.callbackUrl.slice(0, 200))}`, 'callbackUrl'),
    )
  }
  const id = input.callId ?? ctx.rand.guid()
  if (ctx.exists(id)) return E.left(conflict(`call ${id} already exists`))
  const seeds = input.participants ?? []
  const ids = new Set(seeds.flatMap((s) => (s.id === undefined ? [] : [s.id])))
  if (ids.size !== seeds.filter((s) => s.id !== undefined).length) return E.left(conflict('participant ids must be unique'))
  const callRand = createPrng(deriveSeed(ctx.seed, id))
  const call: SimCall = {
    id,
    callbackUrl: input.callbackUrl,
    group: input.group ?? start.group,
    state: start.state,
    direction: start.direction,
    ...(start.caller === undefined ? {} : { caller: start.caller }),
    appHostedMedia: false,
    tonesSubscribed: false,
    toneSequence: 0,
    participants: new Map(),
    bot: { id: callRand.guid(), isMuted: input.botMuted ?? true },
    holds: [],
    pending: new Map(),
    ended: { completed: 0, failed: 0 },
    faults: input.faults,
    rand: callRand,
    notifyRand: createPrng(deriveSeed(ctx.seed ^ 0x5bd1e995, id)),
    createdAt: ctx.now(),
  }
  seeds.forEach((s, i) => {
    const p = newParticipant(call, s, i)
    call.participants.set(p.id, p)
  })
  return E.right(call)
}
