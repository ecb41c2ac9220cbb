import { randomUUID } from 'node:crypto'
import type { Logger } from '../logging/Logger.js'
import type { Clock } from '../domain/Clock.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import { errorText } from './errorText.js'

/**
 * Share of `ttlMs` by which this instance stops sending before its lease in the store can lapse.
 * The key expires `ttlMs` after the store received the renewal, which is after the renewal left
 * here; so an instance that stops at `sent + ttlMs × (1 − FENCE_SHARE)` by its own clock has
 * stopped at least `ttlMs × FENCE_SHARE` (2.5 s by default) before any other instance can see it
 * gone and resend its requests. That margin absorbs a request already on its way out (milliseconds)
 * and the drift between clocks (parts per million).
 */
const FENCE_SHARE = 0.25

/** A running heartbeat: this instance's lease on the store, and whether it may still act on it. */
export interface InstanceHeartbeat {
  /**
   * The id this instance records as the sender of its requests. A new one after each lapse: the
   * requests recorded under the old id are then taken over by recovery (here or elsewhere), never
   * sent by this instance under its new lease.
   */
  id(): string
  /** Whether this instance may send a request recorded as sent by `sender` now: its lease is held, under that id. */
  maySend(sender: string | undefined): boolean
  /** Whether its lease lapsed and was not renewed since: commands are refused `Fenced`. */
  fenced(): boolean
  /** Stops beating and marks the instance gone, so others may recover its requests at once. */
  close(): Promise<void>
}

/** What the heartbeat tells the orchestrator. */
export interface HeartbeatEvents {
  /** The lease may have lapsed: stop what is under way (HTTP retries). */
  readonly fenced: () => void
  /** A lease was taken again after a lapse, under a new id; `previous` is the id given up. */
  readonly renewed: (previous: string) => void
}

/**
 * Keeps one orchestrator instance marked alive in the store: a beat at once and every third of
 * `ttlMs`, so two beats may fail before others see it gone. It keeps, by a monotonic clock (the
 * controlled clock in tests), the moment the last successful renewal left, and so knows before any
 * other instance when its lease may lapse (issue 14, finding 7).
 */
export const createInstanceHeartbeat = (
  store: SnapshotStore,
  ttlMs: number,
  clock: Clock,
  logger: Logger,
  events: HeartbeatEvents,
): InstanceHeartbeat => {
  // Wall-clock steps must neither stretch nor cut a lease: it runs on the clock's monotonic time
  // (performance.now() for the real clock, also when wrapped by steadyClock).
  const monotonic = clock.monotonic === undefined ? () => clock.now() : () => clock.monotonic!()
  const validMs = ttlMs * (1 - FENCE_SHARE)
  let instanceId = randomUUID()
  // -Infinity: no lease under the current id yet.
  let leasedUntil = -Infinity
  let given: string | undefined
  let timer: unknown
  let fenceTimer: unknown
  let closed = false

  const held = (): boolean => monotonic() < leasedUntil
  // The id changes at once: a renewal still on its way for the old id must not make it sendable again.
  const lapse = (): void => {
    if (closed || leasedUntil === -Infinity) return
    given = instanceId
    instanceId = randomUUID()
    leasedUntil = -Infinity
    logger.warn({ instanceId: given, next: instanceId }, 'lease on the store may have lapsed (heartbeat not renewed in time): this instance sends nothing until it renews it')
    events.fenced()
  }
  const armFence = (): void => {
    if (fenceTimer !== undefined) clock.clearTimeout(fenceTimer)
    fenceTimer = clock.setTimeout(() => {
      fenceTimer = undefined
      if (held()) armFence()
      else lapse()
    }, Math.max(1, leasedUntil - monotonic()))
  }

  const beat = (): void => {
    if (closed) return
    if (!held()) lapse()
    const id = instanceId
    const sent = monotonic()
    store.heartbeat(id, ttlMs).then(
      () => {
        if (closed || id !== instanceId || sent + validMs <= monotonic()) return
        leasedUntil = Math.max(leasedUntil, sent + validMs)
        armFence()
        if (given !== undefined) {
          const previous = given
          given = undefined
          logger.info({ instanceId: id, previous }, 'lease on the store renewed under a new instance id')
          events.renewed(previous)
        }
      },
      (err: unknown) => {
        logger.warn({ instanceId: id, err: errorText(err) }, 'heartbeat failed')
        if (!held()) lapse()
      },
    )
    timer = clock.setTimeout(beat, Math.max(1, Math.floor(ttlMs / 3)))
  }
  beat()
  return {
    id: () => instanceId,
    maySend: (sender) => sender === instanceId && held(),
    fenced: () => given !== undefined,
    close: async () => {
      closed = true
      if (timer !== undefined) clock.clearTimeout(timer)
      if (fenceTimer !== undefined) clock.clearTimeout(fenceTimer)
      await store.forgetInstance(instanceId).catch(() => undefined)
    },
  }
}
