import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { callActionAwaitingAnswer, deadlineOf, isAwaitingAnswer } from '../../machines/callQueries.js'
import { nextDeadline } from '../../machines/call.machine.js'
import type { CallNews } from '../domain/CallNews.js'
import type { CallEmitted, CallEvent, HttpEffect } from '../../machines/callTypes.js'
import type { StoredSettlement } from '../codecs/StoredSettlement.js'
import { versionedCallSnapshot } from '../codecs/StoredCallSnapshot.js'
import { cancelled, notSent, storeRolledBack } from '../domain/CallOpsError.js'
import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore, StoredCall } from '../stores/SnapshotStore.js'
import type { CallRegistry } from './createCallRegistry.js'
import type { EffectRunner } from './createEffectRunner.js'
import type { EventPublisher } from './createEventPublisher.js'
import type { Waiters } from './createWaiters.js'
import { hasEnded, type LiveCall, type StoredState } from './LiveCall.js'
import { reportTransition } from './reportTransition.js'
import { retryStoreCall } from './retryStoreCall.js'
import { errorText } from './errorText.js'
import type { RuntimeCounters } from './RuntimeCounters.js'
import { expectedWrite, noteSeen, replacingOptions, rollbackOf, type Rollback } from './storeRollback.js'

const MAX_CONFLICTS = 10

/** What the durable path needs. */
export interface DurableApplierOptions {
  readonly store: SnapshotStore
  readonly clock: Clock
  readonly logger: Logger
  readonly registry: CallRegistry
  readonly events: EventPublisher
  readonly waiters: Waiters
  readonly effects: EffectRunner
  readonly counters: RuntimeCounters
  /** This instance's id now, recorded as the sender of the requests it sends. */
  readonly instanceId: () => string
  /** Whether the orchestrator is still running. */
  readonly open: () => boolean
  /** A deadline this instance now knows of (the sweeper wakes for it). */
  readonly deadlineScheduled: (at: number) => void
}

/**
 * Applies events against the stored call with compare-and-set: the transition, the requests it
 * records and the outcomes it decides are saved in one step, and only then are its effects run.
 * On a conflict the stored call (newer, from another instance) is adopted and the event applied again.
 */
export interface DurableApplier {
  /** Queues `event` on the call's chain (events of one call are applied one at a time, in order). */
  readonly apply: (call: LiveCall, event: CallEvent) => void
  /** Applies `event` now: only from a task already running on the call's chain. */
  readonly applyNow: (call: LiveCall, event: CallEvent) => Promise<void>
  /** Loads the stored call if the cache may be behind it; `false` when the store has no such call (or it failed). */
  readonly sync: (call: LiveCall) => Promise<boolean>
  /** Runs `task` on the call's chain; a failure is logged with `what`. */
  readonly onChain: <A>(call: LiveCall, what: string, task: () => Promise<A>) => Promise<A | undefined>
}


const storedOf = (call: LiveCall): StoredState => {
  if (call.stored === undefined) throw new Error(`call ${call.callId} has no stored state: it was created for the memory store`)
  return call.stored
}

/** Requests still to be answered after a transition: answered or ended ones leave, new ones are sent by `me`. */
const sendingAfter = (before: Readonly<Record<string, string>>, event: CallEvent, effects: readonly CallEmitted[], call: LiveCall, me: string): Record<string, string> => {
  const answered = event.type === 'http.accepted' || event.type === 'http.rejected' ? event.clientContext : undefined
  const context = call.actor.getSnapshot().context
  const after: Record<string, string> = {}
  for (const [key, by] of Object.entries(before)) if (key !== answered && (isAwaitingAnswer(context, key) || callActionAwaitingAnswer(context, key) !== undefined)) after[key] = by
  // Call actions too: restore() decides what to do with one whose sender died before Graph's answer.
  for (const e of effects) if (e.type === 'effect.http' || e.type === 'effect.callAction') after[e.clientContext] = me
  return after
}

/** Creates the {@link DurableApplier}. */
export const createDurableApplier = (o: DurableApplierOptions): DurableApplier => {
  const { store, logger, registry, waiters, counters } = o

  // --- store rollbacks (issue 14, finding 6)
  //
  // Versions only grow, so a stored version below the one this cache holds (or the call gone while
  // it was open here) means the store lost writes: Redis restarted without persistence, or failed
  // over to a replica that was behind. Acting on the older state could send a second hold. When
  // the older state is exactly one this instance saw stored (same write id), or nothing, nobody has
  // saved since the loss and so nobody has sent anything on the older state: this instance's newer
  // version is then the truth as far as any instance can know, and is put back with
  // compare-and-set (on the version and its write id). Otherwise an instance has already acted on
  // the older state; overwriting it could forget a request that left, so the call is refused here
  // (StoreRolledBack) instead. Graph is not asked: it cannot say whether a participant is on hold
  // (v1.0 participants have no isOnHold, operations have no GET). See docs/scaling.md.
  const noticeRollback = (call: LiveCall, r: Rollback): void => {
    counters.rollbacksDetected++
    logger.error(
      { callId: call.callId, cachedVersion: storedOf(call).version, storedVersion: r.storedVersion, repairable: r.repairable },
      r.repairable
        ? 'the store holds an older version of this call than this instance had seen (Redis lost writes): putting the newer version back'
        : 'the store holds an older version of this call than this instance had seen (Redis lost writes), already written on by another instance: callops stops working on this call here (StoreRolledBack)',
    )
  }
  const refuseCall = (call: LiveCall, r: Rollback): void => {
    registry.refuse(call, storeRolledBack(call.callId, storedOf(call).version, r.storedVersion))
  }
  const repaired = (call: LiveCall, r: Rollback): void => {
    counters.rollbacksRepaired++
    logger.warn({ callId: call.callId, version: storedOf(call).version, storedVersion: r.storedVersion }, 'put this instance\'s newer version of the call back in the store')
  }

  /** The load found an older version: put the cached one back, or refuse the call; `true` when it may go on. */
  const putBack = async (call: LiveCall, r: Rollback): Promise<boolean> => {
    const s = storedOf(call)
    noticeRollback(call, r)
    if (r.repairable) {
      const ended = hasEnded(call)
      const next = ended ? undefined : nextDeadline(call.actor.getSnapshot().context)
      const saved = await retryStoreCall(() =>
        store.save(call.key, versionedCallSnapshot(call.actor.getPersistedSnapshot()), r.storedVersion, {
          open: !ended,
          sending: s.sending,
          ...replacingOptions(s, r),
          ...(next === undefined ? {} : { deadline: next }),
        }),
      )
      if (!('_tag' in saved)) {
        s.version = saved.version
        noteSeen(s, saved.version, saved.writeId)
        repaired(call, r)
        return !call.failed
      }
    }
    refuseCall(call, r)
    return false
  }

  const sync = async (call: LiveCall): Promise<boolean> => {
    const s = storedOf(call)
    if (!s.stale) return !call.failed
    const stored = await retryStoreCall(() => store.load(call.key))
    s.stale = false
    const rollback = rollbackOf(s, stored)
    if (rollback !== undefined) return putBack(call, rollback)
    if (stored !== undefined && stored.version !== s.version && !registry.adopt(call, stored)) return false
    return stored !== undefined && !call.failed
  }

  // --- requests whose deadline passed while they were being recorded (issue 14, finding 9)
  //
  // Their caller has been, or is about to be, told Timeout. Nothing needs them sent: not sent, the
  // operation times out and then fails for certain (NotSent), which frees a hold slot it took.
  const withoutLate = (call: LiveCall, effects: readonly CallEmitted[]): readonly CallEmitted[] => {
    const now = o.clock.now()
    const context = call.actor.getSnapshot().context
    const late = effects.filter((e): e is HttpEffect => e.type === 'effect.http' && (deadlineOf(context, e.clientContext) ?? Infinity) <= now)
    if (late.length === 0) return effects
    for (const e of late) {
      counters.notSentAfterTimeout++
      logger.warn({ callId: call.callId, clientContext: e.clientContext, action: e.action }, 'not sending a request whose deadline passed while it was being recorded')
    }
    apply(call, { type: 'deadline.reached', now })
    for (const e of late) {
      apply(call, { type: 'http.rejected', clientContext: e.clientContext, error: notSent('its deadline passed while the store was recording it') })
    }
    return effects.filter((e) => !late.includes(e as HttpEffect))
  }

  const applyNow = async (call: LiveCall, event: CallEvent): Promise<void> => {
    const s = storedOf(call)
    s.lastUsed = o.clock.now()
    if (!(await sync(call)) && call.failed) return
    // The store was slow enough that the caller has already been answered (Timeout): do not record
    // (and so never send) a request nobody waits for.
    if (event.type === 'operation.requested' && !waiters.has(event.clientContext)) return
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const before = nextDeadline(call.actor.getSnapshot().context)
      call.outbox.length = 0
      call.actor.send(event)
      if (call.failed) return
      const effects = call.outbox.splice(0)
      const ended = hasEnded(call)
      const next = ended ? undefined : nextDeadline(call.actor.getSnapshot().context)
      const sending = sendingAfter(s.sending, event, effects, call, o.instanceId())
      const settled: StoredSettlement[] = []
      const news: CallNews[] = []
      for (const e of effects) {
        if (e.type === 'operation.settled' || e.type === 'callAction.settled') settled.push({ callId: call.callId, clientContext: e.clientContext, result: e.result })
        else if (e.type === 'call.news') news.push(e.news)
      }
      const snapshot = versionedCallSnapshot(call.actor.getPersistedSnapshot())
      const writeId = randomUUID()
      // Set when the store turns out to hold an older version: this transition is then saved over it.
      let rollback: Rollback | undefined
      for (;;) {
        const r = rollback
        const saved = await retryStoreCall(() =>
          store.save(call.key, snapshot, r?.storedVersion ?? s.version, {
            open: !ended,
            sending,
            settled,
            ...(news.length === 0 ? {} : { news }),
            writeId,
            ...(r === undefined ? expectedWrite(s) : replacingOptions(s, r)),
            // The shared deadline is already at or before `before`; only an earlier one must be scheduled
            // (all of them after a rollback: the store may have lost its deadlines too).
            // A call never stored before has no shared deadline yet, though its first state has one (a ringing call's answer deadline).
            ...(next !== undefined && (r !== undefined || before === undefined || next < before || s.version === 0) ? { deadline: next } : {}),
          }),
        )
        if (!('_tag' in saved)) {
          // A later version: this write was stored by an earlier try whose answer was lost, and others saved since.
          const superseded = saved.version !== s.version + 1
          s.version = saved.version
          s.sending = sending
          noteSeen(s, saved.version, saved.writeId)
          if (r !== undefined) repaired(call, r)
          reportTransition(registry, o.events, call, event)
          o.effects.run(call, withoutLate(call, effects))
          if (superseded) registry.adopt(call, saved)
          if (next !== undefined) o.deadlineScheduled(next)
          return
        }
        const current: StoredCall | undefined = saved.actual === 0 ? undefined : (saved.current ?? (await retryStoreCall(() => store.load(call.key))))
        const found = rollbackOf(s, current)
        if (found === undefined) {
          // Another instance stored a newer version: start again from it.
          if (!registry.adopt(call, current)) return
          break
        }
        if (r === undefined) noticeRollback(call, found)
        // One try at putting it back: a second conflict means someone writes on the older state.
        if (r !== undefined || !found.repairable) {
          refuseCall(call, found)
          return
        }
        rollback = found
      }
    }
    s.stale = true
    logger.error({ callId: call.callId, event: event.type }, 'gave up applying an event after repeated version conflicts')
    if (event.type === 'operation.requested') {
      waiters.settle(call, event.clientContext, E.left(cancelled('gave up recording the request after repeated version conflicts')))
    }
  }

  const apply = (call: LiveCall, event: CallEvent): void => {
    if (!o.open() || call.failed || registry.get(call.key) !== call) return
    const s = storedOf(call)
    s.chain = s.chain
      .then(() => applyNow(call, event))
      .catch((err: unknown) => {
        // The actor may hold a transition the store never got: reload before the next event.
        s.stale = true
        logger.error({ callId: call.callId, event: event.type, err: errorText(err) }, 'could not store call')
        // The request was not recorded, so it was not sent: say so now rather than at its deadline.
        if (event.type === 'operation.requested') {
          waiters.settle(call, event.clientContext, E.left(cancelled(`could not record the request in the store: ${errorText(err)}`)))
        }
      })
  }

  const onChain = <A>(call: LiveCall, what: string, task: () => Promise<A>): Promise<A | undefined> => {
    const s = storedOf(call)
    const done = s.chain.then(task)
    s.chain = done.then(
      () => undefined,
      (err: unknown) => logger.error({ callId: call.callId, err: errorText(err) }, what),
    )
    return done.catch(() => undefined)
  }

  return { apply, applyNow, sync, onChain }
}
