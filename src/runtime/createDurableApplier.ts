import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { isAwaitingAnswer } from '../../machines/callQueries.js'
import { nextDeadline } from '../../machines/call.machine.js'
import type { CallEmitted, CallEvent } from '../../machines/callTypes.js'
import type { StoredSettlement } from '../codecs/StoredSettlement.js'
import { versionedCallSnapshot } from '../codecs/StoredCallSnapshot.js'
import { cancelled } from '../domain/CallOpsError.js'
import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { CallRegistry } from './createCallRegistry.js'
import type { EffectRunner } from './createEffectRunner.js'
import type { EventPublisher } from './createEventPublisher.js'
import type { Waiters } from './createWaiters.js'
import { hasEnded, type LiveCall, type StoredState } from './LiveCall.js'
import { reportTransition } from './reportTransition.js'
import { retryStoreCall } from './retryStoreCall.js'
import { errorText } from './errorText.js'

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
  /** This instance's id, recorded as the sender of the requests it sends. */
  readonly instanceId: string
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
  for (const [key, by] of Object.entries(before)) if (key !== answered && isAwaitingAnswer(context, key)) after[key] = by
  for (const e of effects) if (e.type === 'effect.http') after[e.clientContext] = me
  return after
}

/** Creates the {@link DurableApplier}. */
export const createDurableApplier = (o: DurableApplierOptions): DurableApplier => {
  const { store, logger, registry, waiters } = o

  const sync = async (call: LiveCall): Promise<boolean> => {
    const s = storedOf(call)
    if (!s.stale) return !call.failed
    const stored = await retryStoreCall(() => store.load(call.key))
    s.stale = false
    if (stored !== undefined && stored.version !== s.version && !registry.adopt(call, stored)) return false
    return stored !== undefined && !call.failed
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
      const sending = sendingAfter(s.sending, event, effects, call, o.instanceId)
      const settled: StoredSettlement[] = []
      for (const e of effects) if (e.type === 'operation.settled' || e.type === 'callAction.settled') settled.push({ callId: call.callId, clientContext: e.clientContext, result: e.result })
      const snapshot = versionedCallSnapshot(call.actor.getPersistedSnapshot())
      const writeId = randomUUID()
      const saved = await retryStoreCall(() =>
        store.save(call.key, snapshot, s.version, {
          open: !ended,
          sending,
          settled,
          writeId,
          // The shared deadline is already at or before `before`; only an earlier one must be scheduled.
          ...(next !== undefined && (before === undefined || next < before) ? { deadline: next } : {}),
        }),
      )
      if (!('_tag' in saved)) {
        // A later version: this write was stored by an earlier try whose answer was lost, and others saved since.
        const superseded = saved.version !== s.version + 1
        s.version = saved.version
        s.sending = sending
        reportTransition(registry, o.events, call, event)
        o.effects.run(call, effects)
        if (superseded) registry.adopt(call, saved)
        if (next !== undefined) o.deadlineScheduled(next)
        return
      }
      // Another instance stored a newer version: start again from it.
      if (!registry.adopt(call, saved.current ?? (await retryStoreCall(() => store.load(call.key))))) return
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
