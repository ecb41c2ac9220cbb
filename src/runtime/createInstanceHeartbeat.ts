import type { Logger } from '../logging/Logger.js'
import type { Clock } from '../domain/Clock.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import { errorText } from './errorText.js'

/** A running heartbeat. */
export interface InstanceHeartbeat {
  /** Stops beating and marks the instance gone, so others may recover its requests at once. */
  close(): Promise<void>
}

/**
 * Keeps one orchestrator instance marked alive in the store: a beat at once and every third of
 * `ttlMs`, so two beats may fail before others see it gone.
 */
export const createInstanceHeartbeat = (store: SnapshotStore, instanceId: string, ttlMs: number, clock: Clock, logger: Logger): InstanceHeartbeat => {
  let timer: unknown
  let closed = false
  const beat = (): void => {
    if (closed) return
    store.heartbeat(instanceId, ttlMs).catch((err: unknown) => {
      logger.warn({ instanceId, err: errorText(err) }, 'heartbeat failed')
    })
    timer = clock.setTimeout(beat, Math.max(1, Math.floor(ttlMs / 3)))
  }
  beat()
  return {
    close: async () => {
      closed = true
      if (timer !== undefined) clock.clearTimeout(timer)
      await store.forgetInstance(instanceId).catch(() => undefined)
    },
  }
}
