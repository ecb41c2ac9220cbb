import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { deleteKeys, redisAvailable, redisUrl, testClient, testPrefix } from '../redis/redisTestEnv.js'

/** Makes one shared store for a test (`now`: the memory store's clock) and cleans it up after. */
export type MakeStore = (now: () => number) => Promise<{ store: SnapshotStore; cleanup: () => Promise<void> }>

const redisOk = await redisAvailable()

/** The stores several instances can share: the durable memory store, and Redis when it answers (keys under a prefix of `name`). */
export const sharedStores = (name: string): [string, MakeStore][] => [
  ['memory store (durable)', async (now) => ({ store: createMemoryStore({ durable: true, now }), cleanup: async () => {} })],
  ...(redisOk
    ? [
        [
          'redis store',
          async () => {
            const prefix = testPrefix(name)
            const store = createRedisStore({ redis: redisUrl, prefix })
            return {
              store,
              cleanup: async () => {
                await store.close()
                const admin = testClient('callops-test-admin')
                await deleteKeys(admin, prefix)
                await admin.quit()
              },
            }
          },
        ] as [string, MakeStore],
      ]
    : []),
]
