import { Pool } from 'undici'
import type { NotificationSigner } from './createNotificationSigner.js'
import type { StatsCounters } from './createSimulatorStats.js'
import type { SimCall } from './SimCall.js'
import type { ResolvedFaults } from './SimulatorFaults.js'
import { idVariants, spellNotification } from './spellNotification.js'
import type { NotificationSpec } from './spellNotification.js'

/** Posts `commsNotifications` to calls' callback URLs, with the notification faults applied. */
export interface Notifier {
  /**
   * Posts `specs` as one `commsNotifications` after `delayMs`. Resolves once the POST was answered,
   * failed or was dropped; never rejects. Spelling, drop and duplicate are drawn at once, in call
   * order, from the call's notification stream.
   */
  readonly send: (call: SimCall, specs: readonly NotificationSpec[], faults: ResolvedFaults, delayMs: number) => Promise<void>
  /** Resolves when no notification is waiting or in flight. */
  readonly idle: () => Promise<void>
  /** Stops sending: waiting notifications are discarded, connections closed. */
  readonly close: () => Promise<void>
}

interface Post {
  readonly call: SimCall
  readonly body: string
  readonly count: number
  readonly duplicate: boolean
  readonly done: () => void
}

/** Creates a notifier that signs each POST with `signer` and counts into `stats`. */
export const createNotifier = (signer: NotificationSigner, stats: StatsCounters): Notifier => {
  const pools = new Map<string, Pool>()
  const chains = new Map<string, Promise<void>>()
  const buffers = new Map<string, Post[]>()
  const timers = new Set<NodeJS.Timeout>()
  const idleWaiters: (() => void)[] = []
  const live = new Set<Post>()
  let closed = false

  const poolFor = (origin: string): Pool => {
    let pool = pools.get(origin)
    if (pool === undefined) {
      // Keep-alive connections to the callback: a fresh TCP connection per notification would cap
      // the simulator far below the thousands of operations a second benchmarks need.
      pool = new Pool(origin, { connections: 64, keepAliveTimeout: 10_000, headersTimeout: 30_000, bodyTimeout: 30_000 })
      pools.set(origin, pool)
    }
    return pool
  }

  const postOnce = async (post: Post): Promise<void> => {
    if (closed) return
    try {
      const url = new URL(post.call.callbackUrl)
      const token = await signer.sign()
      const res = await poolFor(url.origin).request({
        method: 'POST',
        path: `${url.pathname}${url.search}`,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: post.body,
      })
      await res.body.dump()
      if (res.statusCode >= 200 && res.statusCode < 300) stats.notifications.sent += post.count
      else stats.notifications.failed += post.count
    } catch {
      stats.notifications.failed += post.count
    }
  }

  const deliver = async (post: Post): Promise<void> => {
    await postOnce(post)
    if (post.duplicate) await postOnce(post)
    post.done()
  }

  // Notifications of one call leave one after another, so with no fault they arrive in the order
  // they were made; latency and the reorder window are what let them overtake each other.
  const enqueue = (post: Post): void => {
    const previous = chains.get(post.call.id) ?? Promise.resolve()
    const next = previous.then(() => deliver(post))
    chains.set(post.call.id, next)
    void next.then(() => {
      if (chains.get(post.call.id) === next) chains.delete(post.call.id)
    })
  }

  const later = (ms: number, fn: () => void): void => {
    const timer = setTimeout(() => {
      timers.delete(timer)
      fn()
    }, ms)
    timers.add(timer)
  }

  const holdBack = (post: Post, windowMs: number): void => {
    const buffer = buffers.get(post.call.id)
    if (buffer !== undefined) {
      buffer.push(post)
      return
    }
    buffers.set(post.call.id, [post])
    later(windowMs, () => {
      const held = buffers.get(post.call.id) ?? []
      buffers.delete(post.call.id)
      for (const p of post.call.notifyRand.shuffle(held)) enqueue(p)
    })
  }

  const settle = (post: Post): boolean => {
    if (!live.delete(post)) return false
    if (live.size === 0) for (const wake of idleWaiters.splice(0)) wake()
    return true
  }

  const send: Notifier['send'] = (call, specs, faults, delayMs) => {
    if (closed) return Promise.resolve()
    const rand = call.notifyRand
    const value = specs.map((spec) => {
      if (!rand.chance(faults.idVariants)) return spellNotification(spec)
      stats.notifications.variants += 1
      return spellNotification(spec, idVariants[Math.floor(rand.next() * idVariants.length)])
    })
    if (rand.chance(faults.dropRate)) {
      stats.notifications.dropped += specs.length
      return Promise.resolve()
    }
    const duplicate = rand.chance(faults.duplicateRate)
    if (duplicate) stats.notifications.duplicated += specs.length
    return new Promise<void>((resolve) => {
      const post: Post = {
        call,
        body: JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value }),
        count: specs.length,
        duplicate,
        done: () => {
          if (settle(post)) resolve()
        },
      }
      live.add(post)
      const go = (): void => (faults.reorderWindowMs > 0 ? holdBack(post, faults.reorderWindowMs) : enqueue(post))
      if (delayMs > 0) later(delayMs, go)
      else go()
    })
  }

  return {
    send,
    idle: () => (live.size === 0 ? Promise.resolve() : new Promise((resolve) => idleWaiters.push(resolve))),
    close: async () => {
      closed = true
      for (const timer of timers) clearTimeout(timer)
      timers.clear()
      buffers.clear()
      // Settle every waiting or in-flight post, so no caller awaits a notification that never leaves.
      for (const post of [...live]) post.done()
      await Promise.all([...pools.values()].map((p) => p.destroy()))
      pools.clear()
    },
  }
}
