import * as E from 'fp-ts/lib/Either.js'
import type { StoredSettlement } from '../codecs/StoredSettlement.js'
import { timeout } from '../domain/CallOpsError.js'
import { canonicalId } from '../domain/canonicalId.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import { toActionResult } from './createEffectRunner.js'
import type { Waiters } from './createWaiters.js'
import type { CallActionWaiters } from './createCallActionWaiters.js'
import type { LiveCall } from './LiveCall.js'
import { errorText } from './errorText.js'

/** Outcomes decided on any instance, for the callers waiting on this one (durable stores). */
export interface SettlementRelay {
  /**
   * The caller's own deadline passed with no outcome here: normally the sweeper has timed the
   * operation out and its outcome arrived. Look for a stored outcome (an announcement may have been
   * lost), else answer Timeout, so a caller never waits past its deadline even when the store is down.
   */
  readonly answerLate: (call: LiveCall, clientContext: string, deadline: number) => Promise<void>
  /** Stops listening. */
  readonly close: () => Promise<void>
}


/** Subscribes to the store's outcomes and answers the callers waiting here. */
export const createSettlementRelay = (store: SnapshotStore, waiters: Waiters, logger: Logger, callActions?: CallActionWaiters): SettlementRelay => {
  const onSettled = (s: StoredSettlement): void => {
    // A call action's outcome (answer, transfer, hang-up): its caller waits in the other map.
    if (callActions?.has(s.clientContext) === true) {
      if (!('operation' in s.result)) callActions.settle(s.clientContext, s.result)
      return
    }
    if ('outcome' in s.result) return
    const w = waiters.get(s.clientContext)
    if (w !== undefined && w.call.key === canonicalId(s.callId)) waiters.settle(w.call, s.clientContext, toActionResult(s.result))
  }
  // Announcements may have been missed: look up the stored outcome of every request waited for here.
  const resync = (): void => {
    const waiting = [...[...waiters.entries()].map(([clientContext, w]) => ({ clientContext, call: w.call })), ...(callActions?.keys() ?? [])]
    for (const { clientContext, call } of waiting) {
      void store.settlement(call.key, clientContext).then(
        (s) => {
          if (s !== undefined) onSettled(s)
        },
        () => undefined,
      )
    }
  }
  const unsubscribe = store.subscribe({ settled: onSettled, resync }).then(
    (u) => {
      // Outcomes saved before the subscription was in place are read back.
      resync()
      return u
    },
    (err: unknown) => {
      logger.error({ err: errorText(err) }, 'could not subscribe to outcomes: callers wait until their deadline for outcomes decided elsewhere')
      return undefined
    },
  )
  return {
    answerLate: async (call, clientContext, deadline) => {
      if (!waiters.has(clientContext)) return
      const stored = await Promise.race([
        store.settlement(call.key, clientContext).catch(() => undefined),
        new Promise<undefined>((r) => setTimeout(() => r(undefined), 1_000).unref()),
      ])
      waiters.settle(call, clientContext, stored === undefined || 'outcome' in stored.result ? E.left(timeout(clientContext, deadline)) : toActionResult(stored.result))
    },
    close: async () => {
      await (await unsubscribe)?.()
    },
  }
}
