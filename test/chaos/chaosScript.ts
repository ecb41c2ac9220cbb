import type { HoldPolicy } from '../../machines/callTypes.js'
import type { Prng } from '../../src/simulator/createPrng.js'

/** One operation a chaos script asks the orchestrator for; participants are indices into the call's roster. */
export type ChaosOp =
  | { readonly action: 'startHoldMusic'; readonly participant: number; readonly holdPolicy: HoldPolicy; readonly customPrompt: boolean }
  | { readonly action: 'stopHoldMusic'; readonly participant: number }
  | { readonly action: 'unmute' }
  | { readonly action: 'mute' }
  | { readonly action: 'playPrompt'; readonly prompts: number }
  | { readonly action: 'inviteParticipants' }
  /** Only in whole calls, before the menu's keys. */
  | { readonly action: 'subscribeToTone' }

/** One step of a call's script: operations started together, a participant leaving, or the call ending. */
export type ChaosStep =
  | {
      readonly kind: 'ops'
      /** Started one after another with these delays (ms) between them, then awaited together. */
      readonly ops: readonly { readonly op: ChaosOp; readonly delayMs: number; readonly abortAfterMs?: number }[]
      /** Hang up while these operations are in flight. */
      readonly hangUpDuring: boolean
      /** This participant leaves while these operations are in flight. */
      readonly leaveDuring?: number
    }
  | { readonly kind: 'leave'; readonly participant: number }
  | { readonly kind: 'pause'; readonly ms: number }

/** What one simulated call does, drawn from the run's seed. */
export interface ChaosScript {
  /** A GUID, so the id variants of the simulator (upper case without dashes) apply to it. */
  readonly callId: string
  /** Customer participants besides the bot (3 or 4). */
  readonly participants: number
  /** The call's own hold policy, given at `registerCall`; each hold request may carry another. */
  readonly holdPolicy: HoldPolicy
  /** The `Retry-After` the simulator gives this call's 429 and 503 answers: 0 or 1 s. */
  readonly retryAfterSeconds: 0 | 1
  readonly steps: readonly ChaosStep[]
  /** Whether the script ends with a hang-up after its last step (otherwise it hung up during one). */
  readonly hangUpAtEnd: boolean
  readonly operations: number
}

const policies: readonly HoldPolicy[] = ['reject', 'queue', 'swap']

const pick = <T>(rand: Prng, items: readonly T[]): T => items[Math.floor(rand.next() * items.length)] as T

/** Weighted choice of the next action: holds and stops dominate, since the hold rule is what can break. */
const drawOp = (rand: Prng, participants: number, lastHeld: number | undefined): ChaosOp => {
  const r = rand.next()
  const someone = Math.floor(rand.next() * participants)
  if (r < 0.36) return { action: 'startHoldMusic', participant: someone, holdPolicy: pick(rand, policies), customPrompt: rand.chance(0.5) }
  if (r < 0.62) return { action: 'stopHoldMusic', participant: lastHeld !== undefined && rand.chance(0.75) ? lastHeld : someone }
  if (r < 0.74) return { action: 'unmute' }
  if (r < 0.79) return { action: 'mute' }
  if (r < 0.94) return { action: 'playPrompt', prompts: 1 + Math.floor(rand.next() * 3) }
  return { action: 'inviteParticipants' }
}

/**
 * Draws one call's script: exactly `operations` operations in steps of one to three concurrent
 * requests, with pauses, at most one participant leaving (between steps or during one), and a
 * hang-up at the end or (about one call in seven) while a step is in flight, after which the
 * remaining steps meet an ended call.
 */
export const makeChaosScript = (rand: Prng, operations: number): ChaosScript => {
  const participants = rand.chance(0.5) ? 3 : 4
  const steps: ChaosStep[] = []
  let left = operations
  let lastHeld: number | undefined
  let leaves = 0
  let hungUp = false
  while (left > 0) {
    const leaving = leaves === 0 && rand.chance(0.06) ? Math.floor(rand.next() * participants) : undefined
    const leaveNow = leaving !== undefined && rand.chance(0.5)
    if (leaving !== undefined) leaves++
    if (leaveNow) steps.push({ kind: 'leave', participant: leaving })
    if (rand.chance(0.3)) steps.push({ kind: 'pause', ms: Math.floor(rand.next() * 40) })
    const r = rand.next()
    const size = Math.min(left, r < 0.08 ? 3 : r < 0.35 ? 2 : 1)
    const ops: { op: ChaosOp; delayMs: number; abortAfterMs?: number }[] = []
    for (let i = 0; i < size; i++) {
      const op = drawOp(rand, participants, lastHeld)
      if (op.action === 'startHoldMusic') lastHeld = op.participant
      const delayMs = i === 0 ? 0 : Math.floor(rand.next() * 15)
      // The bot gives up on a few operations (an AbortSignal): they must still settle, `Cancelled`.
      ops.push(rand.chance(0.03) ? { op, delayMs, abortAfterMs: Math.floor(rand.next() * 200) } : { op, delayMs })
    }
    left -= size
    const hangUpDuring = !hungUp && left < operations - 2 && rand.chance(1 / 40)
    if (hangUpDuring) hungUp = true
    steps.push({ kind: 'ops', ops, hangUpDuring, ...(leaving === undefined || leaveNow ? {} : { leaveDuring: leaving }) })
  }
  return {
    callId: rand.guid(),
    participants,
    holdPolicy: pick(rand, policies),
    retryAfterSeconds: rand.chance(0.5) ? 0 : 1,
    steps,
    hangUpAtEnd: !hungUp,
    operations,
  }
}
