import type { CallNews } from '../domain/CallNews.js'
import { canonicalId } from '../domain/canonicalId.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { EventPublisher } from './createEventPublisher.js'
import { errorText } from './errorText.js'
import type { CallNewsEvent, OrchestratorEvent } from './OrchestratorEvent.js'

/**
 * Receives one call's news, wherever it was processed.
 *
 * @example
 * ```ts
 * const onNews: CallNewsListener = (news) => (news.type === 'terminated' ? console.log(news.callId, 'ended') : undefined)
 * const stop = orchestrator.watchCall(callId, onNews)
 * ```
 */
export type CallNewsListener = (news: CallNewsEvent) => void

/** Who waits on which call's news (`orchestrator.watchCall`). */
export interface CallWatchers {
  /** Adds a listener of one call's news; the result removes it. */
  readonly watch: (callId: string, listener: CallNewsListener) => () => void
  /** Stops listening to the store. */
  readonly close: () => Promise<void>
}

const newsTypes: ReadonlySet<string> = new Set<CallNews['type']>(['incoming', 'callState', 'mediaState', 'tone', 'participantJoined', 'participantLeft', 'terminated'])
const isNews = (e: OrchestratorEvent): e is CallNewsEvent => newsTypes.has(e.type)

/**
 * One call's news for bot code that drives the call, whichever instance Graph posted to. With a
 * durable store every instance announces the news it stored (`SaveOptions.news`) and each watcher
 * hears them from the store's channel, the instance's own included: one stream, in the order of
 * the call's versions, so tones processed alternately here and elsewhere still arrive in order.
 * With a store in one process the orchestrator's own events are that stream.
 */
export const createCallWatchers = (store: SnapshotStore, events: EventPublisher, logger: Logger): CallWatchers => {
  const byCall = new Map<string, Set<CallNewsListener>>()
  const deliver = (event: CallNewsEvent): void => {
    for (const l of byCall.get(canonicalId(event.callId)) ?? []) {
      try {
        l(event)
      } catch (err) {
        logger.error({ err: errorText(err), callId: event.callId }, 'call watcher threw')
      }
    }
  }
  const unsubscribe = store.durable
    ? store
        .subscribe({
          settled: () => undefined,
          resync: () => {
            if (byCall.size > 0) logger.warn({ watched: byCall.size }, 'the store subscription was lost for a while: news of watched calls told meanwhile were missed')
          },
          news: (r) => deliver({ ...r.news, callId: r.callId }),
        })
        .catch((err: unknown) => {
          logger.error({ err: errorText(err) }, 'could not subscribe to news: watchers hear no news of their calls')
          return undefined
        })
    : undefined
  // In one process the orchestrator's own events are listened to only while someone watches, so an
  // orchestrator nobody subscribes to builds no events.
  let local: (() => void) | undefined
  const listenLocally = (): void => {
    if (store.durable || local !== undefined) return
    local = events.subscribe((e) => (isNews(e) ? deliver(e) : undefined))
  }
  const stopLocally = (): void => {
    if (byCall.size > 0 || local === undefined) return
    local()
    local = undefined
  }
  return {
    watch: (callId, listener) => {
      const key = canonicalId(callId)
      const set = byCall.get(key) ?? new Set()
      byCall.set(key, set.add(listener))
      listenLocally()
      return () => {
        set.delete(listener)
        if (set.size === 0 && byCall.get(key) === set) byCall.delete(key)
        stopLocally()
      }
    },
    close: async () => {
      byCall.clear()
      stopLocally()
      await (await unsubscribe)?.()
    },
  }
}
