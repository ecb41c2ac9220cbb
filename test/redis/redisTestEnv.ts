import { randomUUID } from 'node:crypto'
import { Redis, type RedisOptions } from 'ioredis'

/** Where the Redis tests connect: `REDIS_URL`, default the local server. */
export const redisUrl = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379'

/** A key prefix of this test run: tests never touch keys they did not make. */
export const testPrefix = (what: string): string => `callops-test:${what}:${randomUUID().slice(0, 8)}`

/** A client of the test Redis, named so a test can find (and kill) its connections. */
export const testClient = (connectionName: string, options: RedisOptions = {}): Redis =>
  new Redis(redisUrl, { connectionName, ...options })

/** Why Redis cannot be used, or `undefined` when it answers PING. */
const probe = async (): Promise<string | undefined> => {
  const r = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0, connectTimeout: 1_000, retryStrategy: () => null })
  r.on('error', () => {})
  try {
    await r.connect()
    const pong = await r.ping()
    return pong === 'PONG' ? undefined : `PING answered ${pong}`
  } catch (e) {
    return e instanceof Error ? e.message : String(e)
  } finally {
    r.disconnect()
  }
}

/**
 * Whether the Redis tests run. Unreachable Redis skips them with a line saying why, except under
 * CI, where it fails the run (CI starts a server, so its absence is a fault).
 */
export const redisAvailable = async (): Promise<boolean> => {
  const why = await probe()
  if (why === undefined) return true
  if (process.env['CI'] !== undefined && process.env['CI'] !== '') {
    throw new Error(`Redis at ${redisUrl} is unreachable (${why}) and CI is set: the Redis tests must run in CI.`)
  }
  console.warn(`Skipping the Redis tests: Redis at ${redisUrl} is unreachable (${why}). Set REDIS_URL or start redis-server.`)
  return false
}

/** Deletes every key under `prefix` (SCAN, never KEYS). */
export const deleteKeys = async (redis: Redis, prefix: string): Promise<number> => {
  let cursor = '0'
  let n = 0
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500)
    cursor = next
    if (keys.length > 0) n += await redis.del(...keys)
  } while (cursor !== '0')
  return n
}
