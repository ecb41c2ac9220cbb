import { optionsOrThrow } from '../codecs/options/decodeOptions.js'
import { stringMatching } from '../codecs/options/scalars.js'

/** The Redis keys and channel of one store prefix. */
export interface RedisKeys {
  /** Hash of one call: `v` version, `s` snapshot JSON, `r` requests being sent, `w` last write id, `o` open flag. */
  snapshot(callId: string): string
  /** The stored outcome of one request (JSON), expiring after the retention. */
  settled(callId: string, clientContext: string): string
  /** Hash of one call: clientContext → id of the instance timing that operation's deadline. */
  owners(callId: string): string
  /** Set of open call ids. */
  readonly open: string
  /** Sorted set: call id → its earliest pending deadline (or the lease of the sweeper that claimed it). */
  readonly deadlines: string
  /** Present while the orchestrator instance is alive (expires unless its heartbeat renews it). */
  instance(instanceId: string): string
  /** Pub/sub channel of settlements. */
  readonly channel: string
}

/** A key prefix: 1 to 64 of `A-Z a-z 0-9 : . _ -`, starting with a letter or digit (braces would change the hash tag). */
export const RedisKeyPrefix = stringMatching(
  /^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/,
  '1 to 64 of A-Z a-z 0-9 : . _ - starting with a letter or digit',
)

// Braces inside an id would move the hash tag; escaping them (and `%`, to stay one-to-one) keeps
// every key of a call in one slot. Graph's ids are GUIDs, which pass unchanged.
const tagOf = (callId: string): string =>
  /[{}%]/.test(callId) ? callId.replace(/[{}%]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`) : callId

/**
 * Names every key of a store. All keys of one call share the hash tag `{<callId>}`, so the call's
 * save script touches one slot and works on Redis Cluster; the indexes (open calls, deadlines,
 * instances) are keys of their own, updated with single-key commands.
 *
 * @throws TypeError when `prefix` is not 1 to 64 of `A-Z a-z 0-9 : . _ -` (braces would change the hash tag).
 * @example
 * ```ts
 * redisKeys('callops').snapshot('e141b67c-…') // 'callops:{e141b67c-…}:snapshot'
 * ```
 */
export const redisKeys = (prefix: string): RedisKeys => {
  optionsOrThrow(RedisKeyPrefix, prefix, 'prefix')
  return {
    snapshot: (callId) => `${prefix}:{${tagOf(callId)}}:snapshot`,
    settled: (callId, clientContext) => `${prefix}:{${tagOf(callId)}}:settled:${clientContext}`,
    owners: (callId) => `${prefix}:{${tagOf(callId)}}:owners`,
    open: `${prefix}:open`,
    deadlines: `${prefix}:deadlines`,
    instance: (instanceId) => `${prefix}:instance:${instanceId}`,
    channel: `${prefix}:settled`,
  }
}
