import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import * as t from 'io-ts'
import { Redis, type Cluster } from 'ioredis'
import { decode } from '../codecs/decode.js'
import { silentLogger } from '../logging/Logger.js'
import { optionsOrThrow } from '../codecs/options/decodeOptions.js'
import { RedisStoreOptions } from './RedisStoreOptions.js'
import { claimScript, releaseScript, saveScript } from './redisScripts.js'
import { redisKeys } from './redisKeys.js'
import { runScript } from './runScript.js'
import { withinTimeout } from './withinTimeout.js'
import type { SettlementListener, SnapshotStore, StoredCall, VersionConflict } from './SnapshotStore.js'
import { RelayedNews } from '../codecs/RelayedNews.js'
import { StoredSettlement } from '../codecs/StoredSettlement.js'

export type { RedisStoreOptions } from './RedisStoreOptions.js'

/** How long a store command may take, from the moment it is issued. */
const COMMAND_TIMEOUT_MS = 2_000

/**
 * Bounds of the client made from a URL (a client you pass keeps its own). ioredis's defaults let a
 * command wait as long as TCP does in a silent partition (minutes), and keep queued commands for
 * 20 reconnection attempts (~10 s). With these (and withinTimeout, which counts from the moment a
 * command is issued, not written), every store command answers or fails within 2 s;
 * the orchestrator tries a failed call three more times (after 0.1, 0.3 and 1 s), about 10 s in
 * all, well inside the shortest default operation timeout (30 s). See docs/scaling.md.
 */
const CLIENT_BOUNDS = {
  // Counted from the moment the command is written, queued while disconnected or sent; withinTimeout
  // below counts it from the moment it is issued.
  commandTimeout: COMMAND_TIMEOUT_MS,
  connectTimeout: 2_000,
  // Queued commands fail after the first reconnection that does not succeed, not the 20th.
  maxRetriesPerRequest: 1,
  // The commands of one tick (a batch of notifications touches many calls) leave in one write:
  // half the system CPU of a save per operation (docs/performance.md).
  enableAutoPipelining: true,
} as const

// --- replies, decoded like any outside data

const Version = t.number
const Field = t.union([t.string, t.null])
const Loaded = t.tuple([Field, Field, Field, Field])
// The longer form first: io-ts tuples drop extra elements, so `[1, v]` would match a 5-element reply.
const Saved = t.union([t.tuple([t.union([t.literal(0), t.literal(1)]), Version, Field, Field, Field]), t.tuple([t.literal(1), Version])])
const Sending = t.record(t.string, t.string)
const Ids = t.array(t.string)
const Owners = t.record(t.string, t.string)
// Who times each operation of a call: kept a day after the last one was recorded, then it expires by itself.
const OWNERS_TTL_MS = 86_400_000

const parse = (json: string, what: string): unknown => {
  try {
    return JSON.parse(json)
  } catch (e) {
    throw new Error(`callops redis store: ${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`)
  }
}

const decoded = <A>(codec: t.Decoder<unknown, A>, value: unknown, what: string): A => {
  const r = decode(codec, value)
  if (E.isLeft(r)) throw new Error(`callops redis store: unexpected ${what}: ${r.left.message}`)
  return r.right
}

// `writeIds`: field `w`, the most recent write ids, newest first.
const storedCall = (version: number, snapshot: string | null, sending: string | null, writeIds: string | null, callId: string): StoredCall => {
  if (snapshot === null) throw new Error(`callops redis store: call ${callId} has a version but no snapshot`)
  const writeId = writeIds?.split(',')[0]
  return {
    snapshot: parse(snapshot, `the snapshot of call ${callId}`),
    version,
    sending: sending === null ? {} : decoded(Sending, parse(sending, `the requests of call ${callId}`), 'requests being sent'),
    ...(writeId === undefined || writeId === '' ? {} : { writeId }),
  }
}

/**
 * A durable {@link SnapshotStore} on Redis (ioredis 5; Redis 6.2 or later), for several
 * orchestrator instances behind a load balancer and for restarts.
 *
 * Each call is a hash under its own hash tag (`<prefix>:{<callId>}:snapshot`), saved by one Lua
 * script that checks the version, writes the snapshot, stores and publishes the outcomes the
 * transition decided, and sets the expiry of an ended call. Open calls and deadlines are indexes
 * of their own; see docs/scaling.md for every key and the guarantees.
 *
 * @throws TypeError when an option is invalid (the message names it) or unknown.
 * @example
 * ```ts
 * const store = createRedisStore({ redis: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' })
 * const orchestrator = createCallOrchestrator({ graph, store, notificationAuth: { appId } })
 * await orchestrator.restore() // pick up the open calls, finish what a dead instance left
 * ```
 */
export const createRedisStore = (options: RedisStoreOptions): SnapshotStore => {
  const o = optionsOrThrow(RedisStoreOptions, options)
  const keys = redisKeys(o.prefix ?? 'callops')
  const retentionMs = o.retentionMs ?? 600_000
  const logger = o.logger ?? silentLogger
  const owned = typeof o.redis === 'string'
  const redis: Redis | Cluster = typeof o.redis === 'string' ? new Redis(o.redis, CLIENT_BOUNDS) : o.redis
  const warn = (what: string) => (err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, what)
  if (owned) redis.on('error', warn('redis connection error'))
  // A client you pass keeps its own bounds.
  const bounded: <A>(command: Promise<A>) => Promise<A> = owned ? withinTimeout(COMMAND_TIMEOUT_MS) : (command) => command

  // --- settlements: one subscriber connection, shared by every listener of this store
  const listeners = new Set<SettlementListener>()
  let subscriber: Redis | Cluster | undefined
  let subscribed: Promise<void> | undefined

  const onMessage = (channel: string, message: string): void => {
    if (channel !== keys.channel) return
    let json: unknown
    try {
      json = JSON.parse(message)
    } catch {
      logger.warn({ channel }, 'ignored a settlement message that is not JSON')
      return
    }
    // One channel carries both, in the order they were stored: a call's news has `news`, an outcome `result`.
    if (typeof json === 'object' && json !== null && 'news' in json) {
      const n = decode(RelayedNews, json)
      if (E.isLeft(n)) return logger.warn({ channel, path: n.left.path }, 'ignored a news message that does not decode')
      for (const l of listeners) l.news?.(n.right)
      return
    }
    const s = decode(StoredSettlement, json)
    if (E.isLeft(s)) {
      logger.warn({ channel, path: s.left.path }, 'ignored a settlement message that does not decode')
      return
    }
    for (const l of listeners) l.settled(s.right)
  }

  // Health of the subscription; a loss is logged once, until it is restored.
  let subscribedNow = false
  let lostCount = 0
  let lossLogged = false
  const markLost = (why: string, err?: unknown): void => {
    if (subscribedNow) lostCount++
    subscribedNow = false
    if (lossLogged || subscriber === undefined) return
    lossLogged = true
    logger.warn(
      { ...(err === undefined ? {} : { err: err instanceof Error ? err.message : String(err) }) },
      `redis outcome subscription lost (${why}): outcomes decided on other instances reach this one's callers only at their deadline until it is restored`,
    )
  }

  // Subscribes now. Messages published while the connection was down are lost: once subscribed,
  // listeners look up what they wait for.
  const attempt = (sub: Redis | Cluster): Promise<void> =>
    sub.subscribe(keys.channel).then(
      () => {
        if (subscriber !== sub) return
        const wasLost = lossLogged
        subscribedNow = true
        lossLogged = false
        if (wasLost) logger.info({}, 'redis outcome subscription restored')
        for (const l of listeners) l.resync()
      },
      (err: unknown) => {
        if (subscriber === sub) markLost('subscribe refused', err)
      },
    )

  const ensureSubscribed = (): Promise<void> => {
    if (subscribed !== undefined) return subscribed
    const sub = redis.duplicate()
    subscriber = sub
    sub.on('error', warn('redis subscriber connection error'))
    sub.on('message', onMessage)
    sub.on('close', () => {
      if (subscriber === sub) markLost('connection closed')
    })
    // Every time the connection is (re)established, the first included: a subscribe that failed
    // while Redis was away (ioredis gives up on queued commands) is tried again here, however long
    // Redis was away. ioredis resubscribes known channels itself; subscribing twice is harmless.
    sub.on('ready', () => {
      void attempt(sub)
    })
    subscribed = attempt(sub)
    return subscribed
  }

  return {
    durable: true,

    load: async (callId) => {
      const [v, s, r, w] = decoded(Loaded, await bounded(redis.hmget(keys.snapshot(callId), 'v', 's', 'r', 'w')), 'reply to HMGET')
      if (v === null) return undefined
      return storedCall(Number(v), s, r, w, callId)
    },

    save: async (callId, snapshot, expectedVersion, o): Promise<VersionConflict | StoredCall> => {
      const settled = o.settled ?? []
      const sending = o.sending ?? {}
      const writeId = o.writeId ?? randomUUID()
      // The indexes live in other slots than the call: written (and answered) before the snapshot, so a
      // failure or crash in between leaves an extra entry that is cleaned later, never a missing one.
      const indexes: Promise<unknown>[] = []
      if (o.open && expectedVersion === 0) indexes.push(bounded(redis.sadd(keys.open, callId)))
      if (o.open && o.deadline !== undefined) indexes.push(bounded(redis.zadd(keys.deadlines, 'LT', o.deadline, callId)))
      if (indexes.length > 0) await Promise.all(indexes)
      const saved = await bounded(
        runScript(
          redis,
          saveScript,
          [keys.snapshot(callId), ...settled.map((s) => keys.settled(callId, s.clientContext))],
          [
            expectedVersion,
            JSON.stringify(snapshot),
            writeId,
            o.open ? '1' : '0',
            retentionMs,
            JSON.stringify(sending),
            keys.channel,
            o.expectedWriteId ?? '',
            o.replacing?.version ?? '',
            ...settled.map((s) => JSON.stringify(s)),
            ...(o.news ?? []).map((news) => JSON.stringify({ callId, news })),
          ],
        ),
      )
      const r = decoded(Saved, saved, 'reply to the save script')
      // This very write was stored by an earlier run of the command; others have saved since.
      if (r.length === 5 && r[0] === 1) return storedCall(r[1], r[2], r[3], r[4], callId)
      if (r.length === 5) {
        const [, actual, s, rs, w] = r
        return {
          _tag: 'VersionConflict',
          callId,
          expected: expectedVersion,
          actual,
          ...(actual === 0 ? {} : { current: storedCall(actual, s, rs, w, callId) }),
        }
      }
      if (!o.open) await Promise.all([bounded(redis.srem(keys.open, callId)), bounded(redis.zrem(keys.deadlines, callId)), bounded(redis.del(keys.owners(callId)))])
      return { snapshot, version: r[1], sending, writeId }
    },

    listOpen: async () => decoded(Ids, await bounded(redis.smembers(keys.open)), 'reply to SMEMBERS'),

    delete: async (callId) => {
      await Promise.all([bounded(redis.del(keys.snapshot(callId), keys.owners(callId))), bounded(redis.srem(keys.open, callId)), bounded(redis.zrem(keys.deadlines, callId))])
    },

    settlement: async (callId, clientContext) => {
      const json = await bounded(redis.get(keys.settled(callId, clientContext)))
      if (json === null) return undefined
      return decoded(StoredSettlement, parse(json, 'a stored settlement'), 'stored settlement')
    },

    // Resolves once the first attempt is over, subscribed or not: the listener stays either way.
    subscribe: async (listener) => {
      listeners.add(listener)
      await ensureSubscribed()
      return async () => {
        listeners.delete(listener)
      }
    },

    subscriptionHealth: () => ({ subscribed: subscribedNow, lost: lostCount }),

    scheduleDeadline: async (callId, at) => {
      await bounded(redis.zadd(keys.deadlines, 'LT', at, callId))
    },
    claimDeadlines: async (now, leaseUntil, limit) =>
      decoded(Ids, await bounded(runScript(redis, claimScript, [keys.deadlines], [now, leaseUntil, limit])), 'reply to the claim script'),
    releaseDeadline: async (callId, leaseUntil, next) => {
      await bounded(runScript(redis, releaseScript, [keys.deadlines], [callId, leaseUntil, next ?? '']))
    },

    setOperationOwner: async (callId, clientContext, instanceId) => {
      await bounded(redis.multi().hset(keys.owners(callId), clientContext, instanceId).pexpire(keys.owners(callId), OWNERS_TTL_MS).exec())
    },
    operationOwners: async (callId) => decoded(Owners, await bounded(redis.hgetall(keys.owners(callId))), 'reply to HGETALL'),

    heartbeat: async (instanceId, ttlMs) => {
      await bounded(redis.set(keys.instance(instanceId), '1', 'PX', Math.max(1, Math.round(ttlMs))))
    },
    isAlive: async (instanceId) => (await bounded(redis.exists(keys.instance(instanceId)))) === 1,
    forgetInstance: async (instanceId) => {
      await bounded(redis.del(keys.instance(instanceId)))
    },

    close: async () => {
      listeners.clear()
      const sub = subscriber
      subscriber = undefined
      subscribed = undefined
      subscribedNow = false
      // quit waits for the server; disconnect when it is not reachable.
      await Promise.all([
        sub === undefined ? undefined : sub.quit().catch(() => sub.disconnect()),
        owned ? redis.quit().catch(() => redis.disconnect()) : undefined,
      ])
    },
  }
}
