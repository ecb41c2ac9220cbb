import type { CallEmitted, CallInput } from '../../machines/callTypes.js'
import type { CallRunner } from './createCallRunner.js'

/** What a durable store adds to a tracked call: the version it was stored under and what the store records. */
export interface StoredState {
  version: number
  /** Requests recorded and not answered yet, as stored (see `StoredCall.sending`). */
  sending: Readonly<Record<string, string>>
  /** Write ids of versions this instance saw stored (newest last, bounded): see `storeRollback.ts`. */
  readonly seen: Map<number, string>
  /** The stored version may be newer than this cache: load before applying. */
  stale: boolean
  /** When this instance last applied an event to the call (for evicting it from the cache). */
  lastUsed: number
  /** The call's events are applied one at a time, in arrival order. */
  chain: Promise<void>
}

/** A call this instance tracks: its machine, what the machine emitted since it was last read, and its fate. */
export interface LiveCall {
  /** Canonical id: the key of the registry. */
  readonly key: string
  /** The id as the bot spelled it, used in request paths. */
  readonly callId: string
  /** What the call started from: a fresh start (nothing stored yet) starts from it again. */
  readonly input: CallInput
  /** Its machine: stepped snapshots, or its XState actor while an inspector is attached (see createCallRunner.ts). */
  actor: CallRunner
  /** Emitted events the apply step has not taken yet. */
  readonly outbox: CallEmitted[]
  ended: boolean
  /** The call failed alone (its machine threw, or its stored snapshot could not be read): nothing more is applied. */
  failed: boolean
  /** Durable stores only; `undefined` with the memory store. */
  readonly stored: StoredState | undefined
}

/**
 * Whether the call machine has reached `terminated` (a top-level atomic state, so its value is the
 * string). Read off the value: `matches` parses its argument into a path on every call, and this
 * runs for every event a call takes.
 */
export const hasEnded = (call: LiveCall): boolean => call.actor.getSnapshot().value === 'terminated'
