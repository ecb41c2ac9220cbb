import type { Clock } from '../domain/Clock.js'
import type { Logger } from '../logging/Logger.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import type { CallRegistry } from './createCallRegistry.js'
import { errorText } from './errorText.js'

// How often (and after how long idle) a durable store's cached calls are checked for eviction.
const EVICT_EVERY_MS = 60_000

/**
 * The calls a durable store's instance keeps in memory are a cache. A call that ended on another instance (or
 * expired) never tells this one, so idle calls that are no longer open in the store are dropped.
 * Resolves with a function that stops the checks.
 */
export const startCacheEviction = (store: SnapshotStore, registry: CallRegistry, clock: Clock, logger: Logger): (() => void) => {
  let timer: unknown
  let stopped = false
  const evictClosed = async (): Promise<void> => {
    const open = new Set(await store.listOpen())
    const idleSince = clock.now() - EVICT_EVERY_MS
    for (const call of [...registry.values()]) {
      if (open.has(call.key) || call.ended || (call.stored?.lastUsed ?? 0) > idleSince) continue
      registry.drop(call)
    }
  }
  const schedule = (): void => {
    if (stopped) return
    timer = clock.setTimeout(() => {
      evictClosed().then(schedule, (err: unknown) => {
        logger.warn({ err: errorText(err) }, 'could not check cached calls against the store')
        schedule()
      })
    }, EVICT_EVERY_MS)
  }
  schedule()
  return () => {
    stopped = true
    if (timer !== undefined) clock.clearTimeout(timer)
  }
}
