import type { Tone } from '../../src/codecs/requestBodies.js'
import type { Prng } from '../../src/simulator/createPrng.js'

/** How a whole call starts: the simulator rings the bot (and the bot answers, late, rejects or redirects), or the bot calls out. */
export type WholeCallStart = 'answer' | 'answerLate' | 'reject' | 'redirect' | 'outgoing'

/** What one whole call does, drawn from the call's own stream of the run's seed. */
export interface WholeCallScript {
  /** Set by the simulator (rung calls) or Graph's 201 (outgoing calls); the script only names the call. */
  readonly name: string
  readonly start: WholeCallStart
  /** The keys the caller presses after the bot subscribed to tones (1 to 3). */
  readonly keys: Tone[]
  /** Whether the bot holds the caller with music, and while held invites an agent (then maybe removes it). */
  readonly hold: boolean
  readonly invite: boolean
  readonly removeAgent: boolean
  /** How the bot ends the call once the caller is released. */
  readonly end: 'transfer' | 'hangUp'
  /** The `Retry-After` of this call's 429 and 503 answers: 0 or 1 s. */
  readonly retryAfterSeconds: 0 | 1
}

const keypad: readonly Tone[] = ['tone0', 'tone1', 'tone2', 'tone3', 'tone4', 'tone5', 'tone6', 'tone7', 'tone8', 'tone9', 'star', 'pound']

const startOf = (r: number): WholeCallStart => (r < 0.55 ? 'answer' : r < 0.6 ? 'answerLate' : r < 0.7 ? 'reject' : r < 0.8 ? 'redirect' : 'outgoing')

/**
 * Draws a whole call's script: most calls are rung and answered, some answered after the answer
 * deadline, rejected or redirected, a fifth are outgoing; answered calls collect 1 to 3 keys, hold the
 * caller with music (inviting an agent in half of them), release, and transfer or hang up.
 */
export const makeWholeCallScript = (rand: Prng, index: number): WholeCallScript => {
  const start = startOf(rand.next())
  const keys = Array.from({ length: 1 + Math.floor(rand.next() * 3) }, () => keypad[Math.floor(rand.next() * keypad.length)] ?? 'tone1')
  const hold = rand.chance(0.7)
  const invite = hold && rand.chance(0.5)
  return {
    name: `whole-${index}`,
    start,
    keys,
    hold,
    invite,
    removeAgent: invite && rand.chance(0.3),
    end: rand.chance(0.5) ? 'transfer' : 'hangUp',
    retryAfterSeconds: rand.chance(0.5) ? 0 : 1,
  }
}
