import * as t from 'io-ts'
import { SimulatorFaults } from './SimulatorFaults.js'

const idPattern = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/

/**
 * A call or participant id the simulator accepts: URL-safe, 1 to 128 characters.
 *
 * @example
 * ```ts
 * // Ids you choose for simulated calls and participants: 1 to 128 of A-Z a-z 0-9 . _ ~ -
 * sim.createCall({ callbackUrl, callId: 'call-center-1', participants: [{ id: 'alice' }] })
 * ```
 */
export const SimId = new t.Type<string, string, unknown>(
  'SimId',
  (u): u is string => typeof u === 'string' && idPattern.test(u),
  (u, c) =>
    typeof u === 'string' && idPattern.test(u) ? t.success(u) : t.failure(u, c, 'expected 1 to 128 of A-Z a-z 0-9 . _ ~ -'),
  (s) => s,
)

/**
 * A participant to create: both fields optional (a GUID and a made-up name are used).
 *
 * @example
 * ```ts
 * const seeds: ParticipantSeed[] = [{ id: 'alice', displayName: 'Alice' }, {}] // the second gets a GUID and a made-up name
 * sim.createCall({ callbackUrl, participants: seeds })
 * ```
 */
export const ParticipantSeed = t.partial({ id: SimId, displayName: t.string }, 'ParticipantSeed')
/** A participant to create. */
export type ParticipantSeed = t.TypeOf<typeof ParticipantSeed>

/**
 * Body of `POST /_sim/calls`, and the input of `simulator.createCall`.
 *
 * @example
 * ```ts
 * const input: CreateCallInput = { callbackUrl, group: true, participants: [{ id: 'alice' }, { id: 'bob' }], botMuted: false }
 * const call = sim.createCall(input) // already established
 * ```
 */
export const CreateCallInput = t.intersection(
  [
    t.type({ callbackUrl: t.string }),
    t.partial({
      callId: SimId,
      /** Group call (default true); unmute is refused in one-to-one calls. */
      group: t.boolean,
      participants: t.array(ParticipantSeed),
      /** Whether the bot starts muted (default true). */
      botMuted: t.boolean,
      faults: SimulatorFaults,
    }),
  ],
  'CreateCallInput',
)
/** What a simulated call is created from. */
export type CreateCallInput = t.TypeOf<typeof CreateCallInput>

/**
 * Who calls in: a Teams user (default) or a phone number, with an id (made up when absent).
 *
 * @example
 * ```ts
 * const fromPhone: CallerInput = { kind: 'phone', id: '+15550123', displayName: 'Dana' }
 * sim.ring({ callbackUrl, caller: fromPhone })
 * ```
 */
export const CallerInput = t.partial(
  { kind: t.keyof({ user: null, phone: null }, 'a caller kind'), id: t.string, displayName: t.string },
  'CallerInput',
)
/** Who calls in. */
export type CallerInput = t.TypeOf<typeof CallerInput>

/**
 * Body of `POST /_sim/incoming`, and the input of `simulator.ring`: a call that rings the bot.
 * It waits in `incoming` until the bot answers, rejects or redirects it, or its answer deadline
 * (default 15,000 ms) passes. `group` defaults to false (a customer calling in).
 *
 * @example
 * ```ts
 * const ring: RingInput = { callbackUrl, caller: { displayName: 'Dana (customer)' }, answerDeadlineMs: 5_000 }
 * const rung = sim.ring(ring)
 * if (E.isRight(rung)) console.log(rung.right.callId, rung.right.state) // incoming: the bot gets its `incoming` event
 * ```
 */
export const RingInput = t.intersection(
  [CreateCallInput, t.partial({ caller: CallerInput, answerDeadlineMs: t.number })],
  'RingInput',
)
/** What a rung call is made from. */
export type RingInput = t.TypeOf<typeof RingInput>
