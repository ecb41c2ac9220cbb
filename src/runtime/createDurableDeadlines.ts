import * as E from 'fp-ts/lib/Either.js'
import { dueOperations } from '../../machines/callQueries.js'
import { nextDeadline } from '../../machines/call.machine.js'
import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { CallRegistry } from './createCallRegistry.js'
import { createDeadlineSweeper, type DeadlineSweeper } from './createDeadlineSweeper.js'
import type { DurableApplier } from './createDurableApplier.js'
import { hasEnded, type LiveCall } from './LiveCall.js'

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
  /**
   * This instance's id now, recorded as the owner of the operations its callers wait for (it
   * changes when the instance fenced itself and renewed its lease).
   */
  readonly instanceId: () => string
}

/** The shared deadlines, and the ones this instance times itself. */
export interface DurableDeadlines extends DeadlineSweeper {
  /**
   * This instance times the deadline of `clientContext` (its caller waits here) with its own
   * timer; the owner is recorded on the call's chain, before the request that carries the deadline.
   */
  own(call: LiveCall, clientContext: string, deadline: number): void
}

/**
 * The deadlines of a durable store. The instance whose caller waits for an operation times it out
 * with its own timer, on its own steady clock; the shared set, swept by every instance, times out
 * the operations whose owner died. A swept operation whose owner is alive is left to it, so an
 * instance whose clock is ahead (it sees every deadline as due) cannot cut other instances' timeouts
 * short: it times out only its own operations and those of instances whose heartbeat lapsed.
 */
export const createDurableDeadlines = (o: DurableDeadlinesOptions): DurableDeadlines => {
  const { store, registry, applier, clock } = o
  // Operations this instance times: call key → clientContext → deadline; one timer per call at the earliest.
  const mine = new Map<string, Map<string, number>>()
  const timers = new Map<string, { readonly handle: unknown; readonly at: number }>()
  let closed = false

  const liveCall = async (key: string): Promise<LiveCall | undefined> => {
    const call = registry.get(key)
    if (call !== undefined) return call
    const stored = await store.load(key)
    const cached = stored === undefined ? undefined : registry.cache(key, stored)
    return cached === undefined || E.isLeft(cached) ? undefined : cached.right
  }

  /** Of the operations due, those this instance may time out: its own, and those of owners that are not alive (or unknown). */
  const mayTimeOut = async (key: string, due: readonly string[]): Promise<readonly string[]> => {
    const own = mine.get(key)
    const owners = due.every((c) => own?.has(c) === true) ? {} : ((await store.operationOwners?.(key)) ?? {})
    const alive = new Map<string, Promise<boolean>>()
    const isAlive = (id: string): Promise<boolean> => alive.get(id) ?? alive.set(id, store.isAlive(id)).get(id)!
    const keep = await Promise.all(
      due.map(async (c) => {
        const owner = owners[c]
        return own?.has(c) === true || owner === undefined || owner === o.instanceId() || !(await isAlive(owner))
      }),
    )
    return due.filter((_, i) => keep[i])
  }

  /** On the call's chain, its cache in sync: times out what is due and this instance may time out. */
  const timeOutDue = async (live: LiveCall): Promise<void> => {
    if (hasEnded(live)) return
    const now = clock.now()
    const context = live.actor.getSnapshot().context
    const due = dueOperations(context, now)
    // The call's own deadlines (its answer deadline, call actions, the tone gap) are anybody's to reach.
    const callDue = (nextDeadline({ ...context, inFlight: {}, queue: [] }) ?? Infinity) <= now
    if (due.length === 0 && !callDue) return
    const only = due.length === 0 ? [] : await mayTimeOut(live.key, due)
    if (only.length > 0 || callDue) await applier.applyNow(live, { type: 'deadline.reached', now, only })
  }

  /** Processes a due deadline claimed from the shared set, then releases the claim. */
  const onDue = async (key: string, leaseUntil: number): Promise<void> => {
    const live = await liveCall(key)
    if (live === undefined) return store.releaseDeadline(key, leaseUntil, undefined)
    const next = await applier.onChain(live, 'could not process a due deadline', async () => {
      if (live.stored !== undefined) live.stored.stale = true
      if (!(await applier.sync(live))) return undefined
      await timeOutDue(live)
      return hasEnded(live) || live.failed ? undefined : nextDeadline(live.actor.getSnapshot().context)
    })
    await store.releaseDeadline(key, leaseUntil, next)
  }

  // --- the operations this instance times itself

  /** Forgets own operations the cached call no longer has pending (settled ones stay settled). */
  const prune = (call: LiveCall): void => {
    const own = mine.get(call.key)
    if (own === undefined) return
    const pending = new Set(hasEnded(call) ? [] : dueOperations(call.actor.getSnapshot().context, Infinity))
    for (const c of own.keys()) if (!pending.has(c)) own.delete(c)
  }

  const arm = (call: LiveCall): void => {
    const own = mine.get(call.key)
    const at = own === undefined || own.size === 0 ? undefined : Math.min(...own.values())
    const current = timers.get(call.key)
    if (current?.at === at) return
    if (current !== undefined) clock.clearTimeout(current.handle)
    timers.delete(call.key)
    if (at === undefined || closed) {
      mine.delete(call.key)
      return
    }
    const handle = clock.setTimeout(() => {
      timers.delete(call.key)
      void fire(call.key)
    }, Math.max(0, at - clock.now()))
    timers.set(call.key, { handle, at })
  }

  const fire = async (key: string): Promise<void> => {
    if (closed) return
    const live = await liveCall(key).catch(() => undefined)
    if (live === undefined) return void mine.delete(key)
    const now = clock.now()
    const due = (): boolean => [...(mine.get(key)?.values() ?? [])].some((at) => at <= now)
    prune(live)
    if (due()) {
      await applier.onChain(live, 'could not time out an operation', async () => {
        if (live.stored !== undefined) live.stored.stale = true
        if (await applier.sync(live)) await timeOutDue(live)
      })
      prune(live)
    }
    arm(live)
  }

  const sweeper = createDeadlineSweeper({ store, clock, logger: o.logger, intervalMs: o.sweepIntervalMs, leaseMs: DEADLINE_LEASE_MS, onDue })
  return {
    schedule: (at) => sweeper.schedule(at),
    own: (call, clientContext, deadline) => {
      const record = store.setOperationOwner
      if (record !== undefined) void applier.onChain(call, 'could not record the owner of an operation', () => record.call(store, call.key, clientContext, o.instanceId()))
      const own = mine.get(call.key) ?? new Map<string, number>()
      mine.set(call.key, own.set(clientContext, deadline))
      arm(call)
    },
    close: () => {
      closed = true
      sweeper.close()
      for (const t of timers.values()) clock.clearTimeout(t.handle)
      timers.clear()
      mine.clear()
    },
  }
}
