import type * as t from 'io-ts'
import type { Cluster, Redis } from 'ioredis'
import { positiveInteger } from '../codecs/options/numberIn.js'
import { optionValue } from '../codecs/options/OptionType.js'
import { strictObject } from '../codecs/options/strictObject.js'
import { LoggerOption } from '../codecs/options/LoggerOption.js'
import type { Logger } from '../logging/Logger.js'
import { RedisKeyPrefix } from './redisKeys.js'

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /**
   * An ioredis client (`Redis` or `Cluster`), or a URL such as `redis://127.0.0.1:6379` to connect
   * to. A client you pass stays yours: `close()` does not quit it.
   */
  readonly redis: Redis | Cluster | string
  /**
   * Put before every key and the pub/sub channel, e.g. one per bot or environment: 1 to 64 of
   * `A-Z a-z 0-9 : . _ -`, starting with a letter or digit. Default `callops`.
   */
  readonly prefix?: string
  /**
   * How long ended calls and the outcomes of requests are kept, in whole milliseconds. Keep it above
   * the longest operation timeout: a caller whose settlement announcement was lost reads it back.
   * Default 10 minutes.
   */
  readonly retentionMs?: number
  /** pino-compatible; connection errors are logged at warn. Silent by default. */
  readonly logger?: Logger
}

// An ioredis client is recognised by the methods the store calls on it (Redis and Cluster have both).
const isRedisClient = (u: unknown): boolean =>
  typeof u === 'object' && u !== null && typeof (u as { duplicate?: unknown }).duplicate === 'function' && typeof (u as { evalsha?: unknown }).evalsha === 'function'

/** Checks {@link RedisStoreOptions}; unknown keys are refused. */
export const RedisStoreOptions: t.Type<RedisStoreOptions, RedisStoreOptions, unknown> = strictObject(
  'Redis store options (an object with redis)',
  {
    redis: optionValue<Redis | Cluster | string>(
      'an ioredis client (Redis or Cluster), or a URL such as redis://127.0.0.1:6379',
      (u): u is Redis | Cluster | string => (typeof u === 'string' && u.trim() !== '') || isRedisClient(u),
    ),
  },
  { prefix: RedisKeyPrefix, retentionMs: positiveInteger, logger: LoggerOption },
)
