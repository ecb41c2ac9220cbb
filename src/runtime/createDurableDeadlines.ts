import * as E from 'fp-ts/lib/Either.js'
import { nextDeadline } from '../../machines/call.machine.js'
import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { CallRegistry } from './createCallRegistry.js'
import { createDeadlineSweeper, type DeadlineSweeper } from './createDeadlineSweeper.js'
import type { DurableApplier } from './createDurableApplier.js'
import { hasEnded } from './LiveCall.js'

// A claimed deadline is due again after this long if its sweeper died before releasing it (or the
// claim's answer was lost with a dropped connection): processing one takes milliseconds.
const DEADLINE_LEASE_MS = 5_000

/** What the shared deadlines need. */
export interface DurableDeadlinesOptions {
  readonly store: SnapshotStore
  readonly clock: Clock
  readonly logger: Logger
  readonly registry: CallRegistry
  readonly applier: DurableApplier
  readonly sweepIntervalMs: number
}

/**
 * The deadlines of a durable store: shared by every instance and swept by each, so an operation
 * times out exactly once whichever instance is alive.
 */
export const createDurableDeadlines = (o: DurableDeadlinesOptions): DeadlineSweeper => {
  const { store, registry } = o
  /** Processes a due deadline claimed from the shared set, then releases the claim. */
  const onDue = async (key: string, leaseUntil: number): Promise<void> => {
    let call = registry.get(key)
    if (call === undefined) {
      const stored = await store.load(key)
      const cached = stored === undefined ? undefined : registry.cache(key, stored)
      if (cached === undefined || E.isLeft(cached)) return store.releaseDeadline(key, leaseUntil, undefined)
      call = cached.right
    }
    const live = call
    const { applier } = o
    const next = await applier.onChain(live, 'could not process a due deadline', async () => {
      if (live.stored !== undefined) live.stored.stale = true
      if (!(await applier.sync(live))) return undefined
      const now = o.clock.now()
      const due = nextDeadline(live.actor.getSnapshot().context)
      if (!hasEnded(live) && due !== undefined && due <= now) await applier.applyNow(live, { type: 'deadline.reached', now })
      return hasEnded(live) || live.failed ? undefined : nextDeadline(live.actor.getSnapshot().context)
    })
    await store.releaseDeadline(key, leaseUntil, next)
  }
  return createDeadlineSweeper({ store, clock: o.clock, logger: o.logger, intervalMs: o.sweepIntervalMs, leaseMs: DEADLINE_LEASE_MS, onDue })
}
