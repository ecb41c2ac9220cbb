import * as E from 'fp-ts/lib/Either.js'
import { callEnded, cancelled, type CallEnded, type Cancelled } from '../domain/CallOpsError.js'
import { canonicalId } from '../domain/canonicalId.js'
import { systemClock, type Clock } from '../domain/Clock.js'
import type { CallNewsEvent, OrchestratorEvent, OrchestratorListener } from '../runtime/OrchestratorEvent.js'

/**
 * What {@link collectDigits} waits for. It stops at the first of `count`, `terminator`, the timeout, the signal, the call's end.
 *
 * @example
 * ```ts
 * const options: CollectDigitsOptions = { callId, count: 4, terminator: 'pound', timeoutMs: 10_000, signal: AbortSignal.timeout(15_000) }
 * const pin = await collectDigits(orchestrator, options)
 * ```
 */
export interface CollectDigitsOptions {
  readonly callId: string
  /** Stop once this many tones were pressed (the terminator not counted). Default: no limit. */
  readonly count?: number
  /** A tone that ends the input, such as `pound`; it is not part of the result. */
  readonly terminator?: string
  /** How long to wait for the whole input, from the call of `collectDigits`. */
  readonly timeoutMs: number
  /** Aborting it ends the wait with `Cancelled`. */
  readonly signal?: AbortSignal
  /** The clock the timeout runs on (tests pass a controlled one); the system clock by default. */
  readonly clock?: Clock
}

/**
 * The input, and what ended it.
 *
 * @example
 * ```ts
 * const menu = await collectDigits(orchestrator, { callId, count: 1, timeoutMs: 8_000 })
 * if (E.isRight(menu) && menu.right.tones[0] === 'tone1') await orchestrator.inviteParticipants({ callId, participants: [agent] })
 * ```
 */
export interface DigitsCollected {
  /** The tones in the order pressed (`tone1`, `star`, ...). */
  readonly tones: readonly string[]
  readonly endedBy: 'count' | 'terminator'
}

/**
 * The wait ran out; `tones` holds what was pressed by then.
 *
 * @example
 * ```ts
 * const r = await collectDigits(orchestrator, { callId, terminator: 'pound', timeoutMs: 10_000 })
 * if (E.isLeft(r) && r.left._tag === 'Timeout' && r.left.tones.length > 0) console.log('incomplete:', r.left.tones.join(' '))
 * ```
 */
export interface DigitsTimeout {
  readonly _tag: 'Timeout'
  readonly tones: readonly string[]
  readonly message: string
}

/**
 * Why no complete input came: the timeout, the caller's abort, or the call's end.
 *
 * @example
 * ```ts
 * const onFailure = (f: CollectDigitsFailure): string =>
 *   f._tag === 'Timeout' ? `timed out after ${f.tones.length} keys` : f._tag === 'Cancelled' ? 'cancelled' : 'the caller hung up'
 * ```
 */
export type CollectDigitsFailure = DigitsTimeout | Cancelled | CallEnded

/**
 * Where tones come from: the orchestrator's `watchCall` (the call's news from every instance), else its `subscribe`.
 *
 * @example
 * ```ts
 * // Anything with `subscribe` will do, e.g. a fake in a unit test:
 * const listeners: OrchestratorListener[] = []
 * const source: ToneSource = { subscribe: (l) => (listeners.push(l), () => void listeners.splice(listeners.indexOf(l), 1)) }
 * const digits = collectDigits(source, { callId: 'call-1', count: 1, timeoutMs: 1_000 })
 * for (const l of listeners) l({ type: 'tone', callId: 'call-1', tone: 'tone7', sequenceId: 1 })
 * ```
 */
export interface ToneSource {
  subscribe(listener: OrchestratorListener): () => void
  /** One call's news from every instance (`orchestrator.watchCall`): preferred when present. */
  watchCall?(callId: string, listener: (news: CallNewsEvent) => void): () => void
}

/**
 * Collects the DTMF tones a caller presses, for IVR menus. Subscribe the call to tones first
 * (`orchestrator.subscribeToTone`); each tone counts once and in order, as the orchestrator's `tone`
 * events deliver them. Resolves with an `Either`; it never rejects for an outcome.
 *
 * @param source - The orchestrator (anything with its `subscribe`).
 * @example
 * ```ts
 * await orchestrator.subscribeToTone({ callId })
 * const pin = await collectDigits(orchestrator, { callId, count: 4, terminator: 'pound', timeoutMs: 10_000 })
 * if (E.isRight(pin)) console.log(pin.right.tones) // ['tone1', 'tone2', 'tone3', 'tone4']
 * else if (pin.left._tag === 'Timeout') console.log('partial input', pin.left.tones)
 * ```
 */
export const collectDigits = (source: ToneSource, options: CollectDigitsOptions): Promise<E.Either<CollectDigitsFailure, DigitsCollected>> => {
  const clock = options.clock ?? systemClock
  const key = canonicalId(options.callId)
  return new Promise((resolve) => {
    const tones: string[] = []
    let done = false
    const finish = (result: E.Either<CollectDigitsFailure, DigitsCollected>): void => {
      if (done) return
      done = true
      unsubscribe()
      clock.clearTimeout(timer)
      options.signal?.removeEventListener('abort', onAbort)
      resolve(result)
    }
    const onAbort = (): void => finish(E.left(cancelled('digit collection was cancelled')))
    const listener = (event: OrchestratorEvent): void => {
      if (event.type !== 'tone' && event.type !== 'terminated') return
      if (canonicalId(event.callId) !== key) return
      if (event.type === 'terminated') return finish(E.left(callEnded(options.callId)))
      if (options.terminator !== undefined && event.tone === options.terminator) return finish(E.right({ tones, endedBy: 'terminator' }))
      tones.push(event.tone)
      if (options.count !== undefined && tones.length >= options.count) finish(E.right({ tones, endedBy: 'count' }))
    }
    // The call's own news, from whichever instance Graph posted the tones to, when the source has them.
    const unsubscribe = source.watchCall === undefined ? source.subscribe(listener) : source.watchCall(options.callId, listener)
    const timer = clock.setTimeout(
      () => finish(E.left({ _tag: 'Timeout', tones, message: `no complete input within ${options.timeoutMs} ms (${tones.length} tones)` })),
      options.timeoutMs,
    )
    if (options.signal?.aborted === true) onAbort()
    else options.signal?.addEventListener('abort', onAbort, { once: true })
  })
}
