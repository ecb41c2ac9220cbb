import * as E from 'fp-ts/lib/Either.js'
import type { CallEvent } from '../../machines/callTypes.js'
import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { RoutedEvent } from '../notifications/toCallEvents.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { CallRegistry } from './createCallRegistry.js'
import type { LiveCall } from './LiveCall.js'
import type { RuntimeCounters } from './RuntimeCounters.js'
import { errorText } from './errorText.js'

/** What routing notifications to calls needs. */
export interface NotificationDispatchOptions {
  readonly store: SnapshotStore
  readonly logger: Logger
  readonly registry: CallRegistry
  readonly counters: RuntimeCounters
  /** Dates tones, so one that beats its predecessor waits for it until a deadline (see machines/toneOrder.ts). */
  readonly clock: Clock
  readonly apply: (call: LiveCall, event: CallEvent) => void
}


/**
 * Routes each event of a notification batch to its call. Roster and call-state news of a call the
 * bot has not commanded yet starts tracking it (so `getCall` shows it); a call ringing the bot
 * (`call.incoming`) starts it `incoming`; anything else about an unknown call may belong to another
 * process (memory) or is looked up in the store (durable). Every event counts once: applied, or unmatched.
 */
export const createNotificationDispatch = (o: NotificationDispatchOptions): ((events: readonly RoutedEvent[]) => void) => {
  const { store, logger, registry, counters } = o
  const unmatched = (callId: string, event: CallEvent): void => {
    counters.unmatched++
    logger.debug({ callId, event: event.type }, 'notification for an unknown call')
  }
  return (events) => {
    for (const routed of events) {
      const { callId } = routed
      const event: CallEvent = routed.event.type === 'call.updated' && routed.event.tone !== undefined ? { ...routed.event, receivedAt: o.clock.now() } : routed.event
      let call = registry.get(callId)
      if (call === undefined) {
        if (registry.gone(callId) !== undefined) {
          counters.unmatched++
          continue
        }
        const news = event.type === 'roster.updated' || event.type === 'call.updated' || event.type === 'call.incoming'
        // With a durable store any instance may have started the call: look it up there.
        if (store.durable && !news) {
          void store.load(callId).then(
            (stored) => {
              if (stored === undefined) return unmatched(callId, event)
              const tracked = registry.get(callId)
              const live = tracked === undefined ? registry.cache(callId, stored) : E.right(tracked)
              if (E.isLeft(live)) return unmatched(callId, event)
              counters.applied++
              o.apply(live.right, event)
            },
            (err: unknown) => logger.error({ callId, event: event.type, err: errorText(err) }, 'could not load call'),
          )
          continue
        }
        if (!news) {
          unmatched(callId, event)
          continue
        }
        const created = registry.create(callId, callId, event.type === 'call.incoming' ? { incoming: event.incoming } : undefined)
        if (E.isLeft(created)) {
          logger.warn({ callId }, created.left.message)
          continue
        }
        call = created.right
      }
      counters.applied++
      o.apply(call, event)
    }
  }
}
