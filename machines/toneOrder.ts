import type { ToneReceived } from '../src/domain/CallNotice.js'

/**
 * How long a tone that arrived before its predecessor waits for it. Graph posts each key as its own
 * notification, so a reorder is a matter of milliseconds; a key that never comes must not hold the
 * ones after it for long (an IVR menu is waiting).
 *
 * @example
 * ```ts
 * // A model-based test waits out a gap: tone 2 came, tone 1 never does.
 * clock.advance(TONE_GAP_MS) // tone 2 is delivered now
 * ```
 */
export const TONE_GAP_MS = 1_000

/** Tones most kept waiting behind a gap: beyond it the wait ends at once. */
const MAX_PENDING = 32

/**
 * What the call keeps of its tones: the last `sequenceId` delivered and those waiting for a gap.
 *
 * @example
 * ```ts
 * const log: ToneLog = { last: 1, pending: [{ tone: 'tone3', sequenceId: 3 }], gapUntil: Date.now() + TONE_GAP_MS } // tone 2 is missing
 * ```
 */
export interface ToneLog {
  readonly last?: number
  /** Ordered by sequenceId. */
  readonly pending: readonly ToneReceived[]
  /** Epoch ms when the wait for the missing tone ends. */
  readonly gapUntil?: number
}

/**
 * A tone log after a step, and the tones to deliver now, in order.
 *
 * @example
 * ```ts
 * const step: ToneStep = receiveTone(undefined, { tone: 'tone1', sequenceId: 1 }, Date.now())
 * console.log(step.deliver.map((t) => t.tone)) // ['tone1']; keep step.log for the next tone
 * ```
 */
export interface ToneStep {
  readonly log: ToneLog
  readonly deliver: readonly ToneReceived[]
}

const seq = (t: ToneReceived): number => t.sequenceId ?? 0

/**
 * Ends the wait: every waiting tone is delivered, in order, and the sequence moves on past them.
 *
 * @example
 * ```ts
 * const waiting = receiveTone(undefined, { tone: 'tone2', sequenceId: 2 }, 0) // waits for tone 1
 * flushTones(waiting.log).deliver // [{ tone: 'tone2', sequenceId: 2 }]: the gap's deadline passed
 * ```
 */
export const flushTones = (log: ToneLog): ToneStep => {
  const deliver = log.pending
  const top = deliver.at(-1)
  const last = top === undefined ? log.last : Math.max(log.last ?? 0, seq(top))
  return { log: { ...(last === undefined ? {} : { last }), pending: [] }, deliver }
}

/** Delivers the waiting tones that now follow without a gap. */
const drain = (last: number | undefined, pending: readonly ToneReceived[], gapUntil: number | undefined, deliver: ToneReceived[]): ToneStep => {
  let next = last
  let rest = pending
  while (rest[0] !== undefined && seq(rest[0]) === (next ?? 0) + 1) {
    deliver.push(rest[0])
    next = seq(rest[0])
    rest = rest.slice(1)
  }
  const log: ToneLog = { ...(next === undefined ? {} : { last: next }), pending: rest, ...(rest.length === 0 || gapUntil === undefined ? {} : { gapUntil }) }
  return { log, deliver }
}

/**
 * One tone Graph sent, against what was delivered: each `sequenceId` is delivered once, in order
 * (the first expected is 1). A tone past a gap waits until `at + TONE_GAP_MS` for the missing one;
 * after that (see {@link flushTones}) the sequence moves on. Without `at` nothing waits. A tone
 * without a sequenceId cannot be ordered and is delivered at once.
 *
 * @example
 * ```ts
 * const a = receiveTone(undefined, { tone: 'tone2', sequenceId: 2 }, 0) // a.deliver: [] (tone 1 is missing)
 * const b = receiveTone(a.log, { tone: 'tone1', sequenceId: 1 }, 10) // b.deliver: tone1, tone2
 * const c = receiveTone(b.log, { tone: 'tone1', sequenceId: 1 }, 20) // c.deliver: [] (a repeat)
 * ```
 */
export const receiveTone = (log: ToneLog | undefined, tone: ToneReceived, at: number | undefined): ToneStep => {
  let current: ToneLog = log ?? { pending: [] }
  const deliver: ToneReceived[] = []
  if (tone.sequenceId === undefined) return { log: current, deliver: [tone] }
  // A wait that is over (its deadline has not been processed yet) ends before this tone counts.
  if (current.gapUntil !== undefined && at !== undefined && at >= current.gapUntil) {
    const flushed = flushTones(current)
    deliver.push(...flushed.deliver)
    current = flushed.log
  }
  const s = tone.sequenceId
  if ((current.last !== undefined && s <= current.last) || current.pending.some((p) => p.sequenceId === s)) return { log: current, deliver }
  const pending = [...current.pending, tone].sort((a, b) => seq(a) - seq(b))
  const step = drain(current.last, pending, current.gapUntil, deliver)
  if (step.log.pending.length === 0) return step
  if (at === undefined || step.log.pending.length > MAX_PENDING) {
    const flushed = flushTones(step.log)
    return { log: flushed.log, deliver: [...step.deliver, ...flushed.deliver] }
  }
  return { log: { ...step.log, gapUntil: step.log.gapUntil ?? at + TONE_GAP_MS }, deliver: step.deliver }
}
