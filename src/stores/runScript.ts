import { createHash } from 'node:crypto'
import type { Cluster, Redis } from 'ioredis'

/** A Lua script with its SHA-1, to call with EVALSHA. */
export interface RedisScript {
  readonly source: string
  readonly sha: string
}

/** Makes a {@link RedisScript} of Lua source. */
export const redisScript = (source: string): RedisScript => ({ source, sha: createHash('sha1').update(source).digest('hex') })

/**
 * Runs a script by its SHA-1, loading it (EVAL) on a server that does not know it yet: after a
 * restart, or on each node of a Cluster the first time. The reply is raw: decode it.
 */
export const runScript = async (
  redis: Redis | Cluster,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> => {
  try {
    return await redis.evalsha(script.sha, keys.length, ...keys, ...args)
  } catch (e) {
    if (!(e instanceof Error) || !e.message.startsWith('NOSCRIPT')) throw e
    return await redis.eval(script.source, keys.length, ...keys, ...args)
  }
}
