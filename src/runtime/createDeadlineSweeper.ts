import type { Logger } from '../logging/Logger.js'
import type { Clock } from '../domain/Clock.js'
import type { SnapshotStore } from '../stores/SnapshotStore.js'
import { errorText } from './errorText.js'

/** What {@link createDeadlineSweeper} needs. */
export interface DeadlineSweeperOptions {
  readonly store: SnapshotStore
  readonly clock: Clock
  readonly logger: Logger
  /** How often the shared deadlines are swept when nothing nearer is known. */
  readonly intervalMs: number
  /** How long a claim holds before the call is due again (a sweeper that died mid-way). */
  readonly leaseMs: number
  /** Handles one claimed call; must end the claim with `store.releaseDeadline(callId, leaseUntil, next)`. */
  readonly onDue: (callId: string, leaseUntil: number) => Promise<void>
}

/** A running sweeper. */
export interface DeadlineSweeper {
  /** Sweeps at `at` too (a deadline this instance knows of), besides the regular interval. */
  schedule(at: number): void
  close(): void
}

const BATCH = 100

/**
 * Sweeps the store's shared deadlines: every instance runs one, each due call is claimed by exactly
 * one of them (`claimDeadlines`), and a claim whose sweeper died is due again after its lease. It
 * wakes at the regular interval and at the deadlines this instance scheduled, whichever is first.
 */
export const createDeadlineSweeper = (o: DeadlineSweeperOptions): DeadlineSweeper => {
  let timer: unknown
  let timerAt = Infinity
  let running = false
  let again = false
  let closed = false

  const arm = (at: number): void => {
    if (closed || at >= timerAt) return
    if (timer !== undefined) o.clock.clearTimeout(timer)
    timerAt = at
    timer = o.clock.setTimeout(() => {
      timer = undefined
      timerAt = Infinity
      void sweep()
    }, Math.max(0, at - o.clock.now()))
  }

  const sweep = async (): Promise<void> => {
    if (closed) return
    if (running) {
      again = true
      return
    }
    running = true
    try {
      for (;;) {
        again = false
        const now = o.clock.now()
        const claimed = await o.store.claimDeadlines(now, now + o.leaseMs, BATCH)
        await Promise.all(
          claimed.map((callId) =>
            o.onDue(callId, now + o.leaseMs).catch((err: unknown) => {
              // The claim stays until its lease ends; then any instance retries.
              o.logger.error({ callId, err: errorText(err) }, 'could not process a due deadline')
            }),
          ),
        )
        if (closed || (claimed.length < BATCH && !again)) break
      }
    } catch (err) {
      o.logger.warn({ err: errorText(err) }, 'could not sweep deadlines')
    } finally {
      running = false
      arm(o.clock.now() + o.intervalMs)
    }
  }

  arm(o.clock.now() + o.intervalMs)
  return {
    schedule: (at) => arm(at),
    close: () => {
      closed = true
      if (timer !== undefined) o.clock.clearTimeout(timer)
      timer = undefined
    },
  }
}
