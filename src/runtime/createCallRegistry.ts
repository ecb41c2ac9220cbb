import * as E from 'fp-ts/lib/Either.js'
import type { CallMachine } from '../../machines/call.machine.js'
import type { CallInput } from '../../machines/callTypes.js'
import { decodeCallSnapshot } from '../codecs/StoredCallSnapshot.js'
import { callEnded, callFailed, capacityExceeded, type CallFailed, type CallOpsError, type StoreRolledBack } from '../domain/CallOpsError.js'
import type { Clock } from '../domain/Clock.js'
import type { HoldPolicy } from '../domain/HoldPolicy.js'
import type { Logger } from '../logging/Logger.js'
import type { StoredCall } from '../stores/SnapshotStore.js'
import { startCallActor, type CallActorStart, type InspectOption } from './createCallActor.js'
import { createCallRunners, type CallRunner } from './createCallRunner.js'
import type { KeepAliveScheduler } from './keepAliveScheduler.js'
import { knownStates } from './knownStates.js'
import type { LiveCall } from './LiveCall.js'
import { errorText } from './errorText.js'
import { noteSeen, rollbackOf } from './storeRollback.js'

/** Ended call ids remembered after their state left memory (about 50 bytes each). */
const MAX_FORGOTTEN_CALLS = 10_000

/** What the registry needs. */
export interface CallRegistryOptions {
  readonly clock: Clock
  readonly logger: Logger
  /** `true` with a store shared by several instances: calls carry their stored state. */
  readonly durable: boolean
  readonly maxCalls: number
  /** How long an ended call stays in memory (late notifications and HTTP answers still find it). */
  readonly retentionMs: number
  readonly inspect: InspectOption | undefined
  /** The call machine (`callMachine`, or it provided with other implementations). */
  readonly machine: CallMachine
  /** The hold policy of a call nobody registered with one. */
  readonly holdPolicy: HoldPolicy
  readonly keepAlive: Pick<KeepAliveScheduler, 'track' | 'untrack'>
  /** The call left memory after its retention (memory store: forget it in the store too). */
  readonly onForgotten: (call: LiveCall) => void
  /** The call failed alone (or was refused after a store rollback): its waiters are answered and its timers stopped by the caller. */
  readonly onFailed: (call: LiveCall, error: CallFailed | StoreRolledBack) => void
}

/** The calls this instance tracks, and the ids of those it no longer tracks because they ended or failed. */
export interface CallRegistry {
  readonly get: (key: string) => LiveCall | undefined
  readonly values: () => IterableIterator<LiveCall>
  readonly size: () => number
  /** Why a call is no longer tracked: `CallEnded`, or the `CallFailed` that ended it here. */
  readonly gone: (key: string) => CallOpsError | undefined
  /** Tracks a new call (bounded by `maxCalls`). */
  readonly create: (key: string, callId: string, input?: Omit<CallInput, 'callId'>) => E.Either<CallOpsError, LiveCall>
  /**
   * Tracks a call loaded from the store (bypassing `maxCalls`: it is already someone's work). A
   * snapshot that does not decode fails that call alone.
   */
  readonly cache: (key: string, stored: StoredCall) => E.Either<CallFailed, LiveCall>
  /**
   * Replaces a tracked call's machine state with the stored call (a fresh one when nothing is stored);
   * `false` when the call failed, or when the stored call is older than the cached one (a store
   * rollback, which the durable applier handles): then the cache is left as it is.
   */
  readonly adopt: (call: LiveCall, stored: StoredCall | undefined) => boolean
  /** The call reached `terminated`: it stays for the retention, then is forgotten. */
  readonly ended: (call: LiveCall) => void
  /** Ends the call here with `error` for its waiters; later commands for it get that error. */
  readonly fail: (call: LiveCall, cause: CallFailed['cause'], err: unknown) => void
  /** Stops working on the call here because the store went back to an older version of it; later commands get `error`. */
  readonly refuse: (call: LiveCall, error: StoreRolledBack) => void
  /** Drops a call from memory without forgetting it (a cache eviction). */
  readonly drop: (call: LiveCall) => void
  /** Stops every call. */
  readonly clear: () => void
}


/** Creates the {@link CallRegistry}. */
export const createCallRegistry = (o: CallRegistryOptions): CallRegistry => {
  const calls = new Map<string, LiveCall>()
  const runners = createCallRunners(o.machine)
  // An XState actor per call only while an inspector is attached: it is what the inspector sees.
  const begin = (key: string, outbox: LiveCall['outbox'], start: CallActorStart, onError: (err: unknown) => void): E.Either<unknown, CallRunner> =>
    o.inspect === undefined ? runners(outbox, start, onError) : startCallActor(o.machine, key, outbox, start, o.inspect, onError)
  // Ids of calls dropped from `calls` because they ended or failed (newest last, bounded): Graph never
  // reuses a call id, so a later command or roster notification for one must not track the call again.
  const forgotten = new Map<string, CallOpsError>()

  const remember = (key: string, why: CallOpsError): void => {
    forgotten.delete(key)
    forgotten.set(key, why)
    if (forgotten.size > MAX_FORGOTTEN_CALLS) forgotten.delete(forgotten.keys().next().value ?? '')
  }

  const stopWith = (call: LiveCall, error: CallFailed | StoreRolledBack): void => {
    if (call.failed) return
    call.failed = true
    if (calls.get(call.key) === call) calls.delete(call.key)
    remember(call.key, error)
    o.keepAlive.untrack(call.key)
    call.actor.stop()
    o.onFailed(call, error)
  }
  const fail = (call: LiveCall, cause: CallFailed['cause'], err: unknown): void => stopWith(call, callFailed(call.callId, cause, errorText(err)))

  const track = (call: LiveCall): LiveCall => {
    calls.set(call.key, call)
    o.keepAlive.track(call.key, call.callId)
    return call
  }

  const cache = (key: string, stored: StoredCall): E.Either<CallFailed, LiveCall> => {
    const decoded = decodeCallSnapshot(stored.snapshot, knownStates)
    const outbox: LiveCall['outbox'] = []
    let call: LiveCall | undefined
    const actor = E.isLeft(decoded)
      ? decoded
      : begin(key, outbox, { input: { callId: decoded.right.context.callId }, snapshot: decoded.right }, (err) => {
          if (call !== undefined) fail(call, 'machine', err)
        })
    if (E.isLeft(actor)) {
      const error = callFailed(key, 'snapshot', E.isLeft(decoded) ? decoded.left.message : errorText(actor.left))
      o.logger.error({ callId: key, err: error.message }, 'stored call refused: commands for it are answered CallFailed')
      remember(key, error)
      return E.left(error)
    }
    const callId = actor.right.getSnapshot().context.callId
    const state = { version: stored.version, sending: stored.sending, seen: new Map<number, string>(), stale: false, lastUsed: 0, chain: Promise.resolve() }
    noteSeen(state, stored.version, stored.writeId)
    call = { key, callId, input: { callId }, actor: actor.right, outbox, ended: false, failed: false, stored: state }
    return E.right(track(call))
  }

  return {
    get: (key) => calls.get(key),
    values: () => calls.values(),
    size: () => calls.size,
    gone: (key) => forgotten.get(key),
    create: (key, callId, input) => {
      if (calls.size >= o.maxCalls) return E.left(capacityExceeded(`already tracking ${o.maxCalls} calls (maxCalls)`))
      const outbox: LiveCall['outbox'] = []
      let call: LiveCall | undefined
      const start = { holdPolicy: o.holdPolicy, ...input, callId }
      const actor = begin(key, outbox, { input: start }, (err) => {
        if (call !== undefined) fail(call, 'machine', err)
      })
      if (E.isLeft(actor)) return E.left(callFailed(callId, 'machine', errorText(actor.left)))
      // Another instance may have stored this call already: load it before the first event.
      const stored = o.durable ? { version: 0, sending: {}, seen: new Map<number, string>(), stale: true, lastUsed: 0, chain: Promise.resolve() } : undefined
      call = { key, callId, input: start, actor: actor.right, outbox, ended: false, failed: false, stored }
      return E.right(track(call))
    },
    cache,
    adopt: (call, stored) => {
      if (call.failed || (call.stored !== undefined && rollbackOf(call.stored, stored) !== undefined)) return false
      call.actor.stop()
      const decoded = stored === undefined ? undefined : decodeCallSnapshot(stored.snapshot, knownStates)
      if (decoded !== undefined && E.isLeft(decoded)) {
        fail(call, 'snapshot', decoded.left.message)
        return false
      }
      // Nothing stored yet: the call starts as it was created (an incoming call stays incoming).
      const start = decoded === undefined ? { input: call.input } : { input: call.input, snapshot: decoded.right }
      const actor = begin(call.key, call.outbox, start, (err) => fail(call, 'machine', err))
      if (E.isLeft(actor)) {
        fail(call, 'snapshot', actor.left)
        return false
      }
      call.actor = actor.right
      if (call.stored !== undefined) {
        call.stored.version = stored?.version ?? 0
        call.stored.sending = stored?.sending ?? {}
        if (stored !== undefined) noteSeen(call.stored, stored.version, stored.writeId)
      }
      return true
    },
    ended: (call) => {
      call.ended = true
      o.keepAlive.untrack(call.key)
      o.clock.setTimeout(() => {
        if (calls.get(call.key) !== call) return
        calls.delete(call.key)
        remember(call.key, callEnded(call.callId))
        call.actor.stop()
        o.onForgotten(call)
      }, o.retentionMs)
    },
    fail,
    refuse: stopWith,
    drop: (call) => {
      if (calls.get(call.key) === call) calls.delete(call.key)
      o.keepAlive.untrack(call.key)
      call.actor.stop()
    },
    clear: () => {
      for (const call of calls.values()) call.actor.stop()
      calls.clear()
    },
  }
}
