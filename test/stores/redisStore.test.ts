import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Redis } from 'ioredis'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import { redisKeys } from '../../src/stores/redisKeys.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { deleteKeys, redisAvailable, redisUrl, testClient, testPrefix } from '../redis/redisTestEnv.js'
import { describeStoreContract } from './storeContract.js'

const available = await redisAvailable()

/** The hash tag Redis Cluster hashes: the text between the first `{` and the next `}`, when not empty. */
const hashTag = (key: string): string => {
  const open = key.indexOf('{')
  const close = open < 0 ? -1 : key.indexOf('}', open + 1)
  return open >= 0 && close > open + 1 ? key.slice(open + 1, close) : key
}

describe.runIf(available)('redis store', () => {
  let admin: Redis
  const prefixes: string[] = []
  beforeAll(() => {
    admin = testClient('callops-test-admin')
  })
  afterAll(async () => {
    for (const p of prefixes) await deleteKeys(admin, p)
    await admin.quit()
  })

  describeStoreContract('redis store', async ({ retentionMs }) => {
    const prefix = testPrefix('contract')
    prefixes.push(prefix)
    // Each store connects by URL, so closing it quits its own connections.
    return createRedisStore({ redis: redisUrl, prefix, ...(retentionMs === undefined ? {} : { retentionMs }) })
  })

  describe('redis store: its own behaviour', () => {
    it('puts every key one save of a call touches under that call\'s hash tag (Cluster-safe)', () => {
      const keys = redisKeys('callops')
      for (const callId of ['e141b67c-90fd-455d-858b-b48a40b9cc8d', 'a}b', '}x', 'x{y}', '100%']) {
        const tags = new Set([keys.snapshot(callId), keys.settled(callId, 'k1'), keys.settled(callId, '{other}')].map(hashTag))
        expect(tags.size).toBe(1)
        expect([...tags][0]).not.toBe('')
      }
      expect(keys.snapshot('e141b67c-90fd-455d-858b-b48a40b9cc8d')).toBe('callops:{e141b67c-90fd-455d-858b-b48a40b9cc8d}:snapshot')
      expect(hashTag(keys.snapshot('a}b'))).not.toBe(hashTag(keys.snapshot('a')))
    })

    it('refuses a prefix with braces or spaces, and a bad retention', () => {
      expect(() => createRedisStore({ redis: redisUrl, prefix: 'a{b}' })).toThrow(/prefix/)
      expect(() => createRedisStore({ redis: redisUrl, prefix: 'a b' })).toThrow(/prefix/)
      expect(() => createRedisStore({ redis: redisUrl, retentionMs: 1.5 })).toThrow(/retentionMs/)
    })

    it('uses a client it is given and leaves it open on close', async () => {
      const prefix = testPrefix('given')
      prefixes.push(prefix)
      const client = testClient('callops-test-given')
      const store: SnapshotStore = createRedisStore({ redis: client, prefix })
      await store.save('c1', { n: 1 }, 0, { open: true, deadline: 123 })
      await store.subscribe({ settled: () => {}, resync: () => {} })
      await store.close()
      expect(client.status).toBe('ready')
      expect(await client.hget(`${prefix}:{c1}:snapshot`, 'v')).toBe('1')
      expect(await client.sismember(`${prefix}:open`, 'c1')).toBe(1)
      expect(await client.zscore(`${prefix}:deadlines`, 'c1')).toBe('123')
      await client.quit()
    })

    it('expires an ended call and its outcomes after the retention, leaving no key behind', async () => {
      const prefix = testPrefix('expiry')
      prefixes.push(prefix)
      const store = createRedisStore({ redis: redisUrl, prefix, retentionMs: 200 })
      await store.save('c1', { n: 1 }, 0, { open: true, deadline: 5 })
      await store.save('c1', { n: 2 }, 1, {
        open: false,
        settled: [{ callId: 'c1', clientContext: 'k', result: { ok: false, error: { _tag: 'Cancelled', message: 'x' } } }],
      })
      expect((await admin.pttl(`${prefix}:{c1}:snapshot`)) > 0).toBe(true)
      await new Promise((r) => setTimeout(r, 350))
      const left = await admin.keys(`${prefix}:*`)
      expect(left).toEqual([])
      await store.close()
    })

    it('reads back as an error, not a cast, a snapshot hash someone else corrupted', async () => {
      const prefix = testPrefix('corrupt')
      prefixes.push(prefix)
      const store = createRedisStore({ redis: redisUrl, prefix })
      await admin.hset(`${prefix}:{c1}:snapshot`, 'v', '3', 's', '{not json', 'r', '{}')
      await expect(store.load('c1')).rejects.toThrow(/not JSON/)
      await admin.set(`${prefix}:{c1}:settled:k`, JSON.stringify({ callId: 'c1', clientContext: 'k', result: { ok: 'maybe' } }))
      await expect(store.settlement('c1', 'k')).rejects.toThrow(/stored settlement/)
      await store.close()
    })
  })
})
