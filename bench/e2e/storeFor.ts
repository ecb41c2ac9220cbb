import { createRedisStore } from '../../src/stores/createRedisStore.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'

/**
 * Item 4: the Redis store of a bot process. Every process of one run shares `prefix`, so two
 * instances see the same calls; runs use fresh prefixes so they never meet.
 */
export const createStoreFor = (redisUrl: string | null, prefix: string | null): SnapshotStore => {
  if (redisUrl === null || prefix === null) throw new Error('item 4: a Redis URL and a key prefix are needed')
  return createRedisStore({ redis: redisUrl, prefix })
}
