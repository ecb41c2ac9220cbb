import { afterEach, describe, expect, it } from 'vitest'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import type { StoredSettlement } from '../../src/codecs/StoredSettlement.js'
import { capturingLogger } from '../security/capturingLogger.js'
import { privateRedisServer, type PrivateRedisServer } from './privateRedisServer.js'
import { redisAvailable, redisUrl, testPrefix } from './redisTestEnv.js'
import { startSilentProxy, type SilentProxy } from './silentProxy.js'

// Issue 14, findings 5 and 7 (the client bounds): Redis away at start, Redis restarting, and a
// silent partition. Each test runs its own redis-server (or proxy), never the shared one's data.

const available = await redisAvailable()

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

const until = async (what: string, check: () => boolean, ms = 8_000): Promise<void> => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`)
    await sleep(25)
  }
}

const settlement = (clientContext: string): StoredSettlement => ({
  callId: 'c1',
  clientContext,
  result: { ok: false, error: { _tag: 'Cancelled', message: 'test' } },
})

/** Saves an outcome through another store (another instance), which publishes it. */
const publishFrom = async (url: string, prefix: string, clientContext: string): Promise<void> => {
  const other = createRedisStore({ redis: url, prefix })
  try {
    const first = await other.load('c1')
    await other.save('c1', { n: clientContext }, first?.version ?? 0, { open: true, settled: [settlement(clientContext)] })
  } finally {
    await other.close()
  }
}

const cleanup: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const c of cleanup.splice(0).reverse()) await c()
})

describe.runIf(available)('the outcome subscription survives Redis being away (issue 14, finding 5)', () => {
  const listenerOf = (heard: string[]) => ({
    settled: (s: StoredSettlement) => heard.push(s.clientContext),
    resync: () => heard.push('resync'),
  })

  it('a store made while Redis is down subscribes once Redis comes, and says so in its health figure', async () => {
    const server: PrivateRedisServer = await privateRedisServer()
    cleanup.push(() => server.stop())
    const log = capturingLogger()
    const prefix = testPrefix('outage-start')
    const store: SnapshotStore = createRedisStore({ redis: server.url, prefix, logger: log.logger })
    cleanup.push(() => store.close())
    const heard: string[] = []
    // Resolves although Redis is away: the listener is kept and the store keeps trying.
    await store.subscribe(listenerOf(heard))
    expect(store.subscriptionHealth()).toEqual({ subscribed: false, lost: 0 })
    // Long enough for every queued command (the first subscribe included) to have been given up.
    await sleep(4_000)
    expect(log.entries.filter((e) => e.level === 'warn' && /subscription lost/.test(e.msg ?? ''))).toHaveLength(1)
    await server.start()
    await until('subscribed', () => store.subscriptionHealth().subscribed)
    expect(heard).toContain('resync')
    await publishFrom(server.url, prefix, 'k-after-start')
    await until('the outcome heard', () => heard.includes('k-after-start'))
  }, 30_000)

  it('a subscription lost to a Redis restart is restored, counted, and warned about once', async () => {
    const server = await privateRedisServer()
    cleanup.push(() => server.stop())
    await server.start()
    const log = capturingLogger()
    const prefix = testPrefix('outage-restart')
    const store = createRedisStore({ redis: server.url, prefix, logger: log.logger })
    cleanup.push(() => store.close())
    const heard: string[] = []
    await store.subscribe(listenerOf(heard))
    expect(store.subscriptionHealth()).toEqual({ subscribed: true, lost: 0 })
    await server.stop()
    await until('the loss seen', () => !store.subscriptionHealth().subscribed)
    await sleep(4_000)
    await server.start()
    await until('subscribed again', () => store.subscriptionHealth().subscribed)
    expect(store.subscriptionHealth()).toEqual({ subscribed: true, lost: 1 })
    expect(log.entries.filter((e) => e.level === 'warn' && /subscription lost/.test(e.msg ?? ''))).toHaveLength(1)
    await publishFrom(server.url, prefix, 'k-after-restart')
    await until('the outcome heard', () => heard.includes('k-after-restart'))
  }, 30_000)
})

describe.runIf(available)('store calls are bounded in a silent partition (issue 14, finding 7)', () => {
  /** A store on Redis through a proxy that has just gone silent, after one load went through. */
  const storeInPartition = async (prefix: string): Promise<SnapshotStore> => {
    const port = Number(new URL(redisUrl).port || '6379')
    const proxy: SilentProxy = await startSilentProxy(port)
    cleanup.push(() => proxy.close())
    const store = createRedisStore({ redis: `redis://127.0.0.1:${proxy.port}`, prefix: testPrefix(prefix) })
    cleanup.push(() => store.close())
    expect(await store.load('c1')).toBeUndefined()
    proxy.silence()
    return store
  }
  const outcomeOf = (p: Promise<unknown>): Promise<string> =>
    p.then(
      () => 'answered',
      (e: unknown) => (e instanceof Error ? e.message : String(e)),
    )

  it('a store call through a proxy that stops forwarding fails within the command timeout, not when TCP gives up', async () => {
    const store = await storeInPartition('partition')
    const started = Date.now()
    const outcome = await Promise.race([outcomeOf(store.load('c1')), sleep(6_000).then(() => 'still waiting after 6 s')])
    const took = Date.now() - started
    expect(outcome).toMatch(/timed out/i)
    expect(took).toBeGreaterThanOrEqual(1_900)
    expect(took).toBeLessThan(3_000)
  }, 20_000)

  it('a store call issued while another waits in the partition fails within the command timeout of its own issue', async () => {
    // The store's client batches the commands of one tick into one write and sends the next batch
    // only once the previous one is answered: a command queued behind a batch lost in the partition
    // must not wait for that batch's timeout before its own begins.
    const store = await storeInPartition('partition-queued')
    const first = outcomeOf(store.load('c1'))
    await sleep(1_000)
    const started = Date.now()
    const second = await Promise.race([outcomeOf(store.save('c2', { n: 1 }, 0, { open: true, deadline: 5 })), sleep(6_000).then(() => 'still waiting after 6 s')])
    const took = Date.now() - started
    expect(await first).toMatch(/timed out/i)
    expect(second).toMatch(/timed out/i)
    expect(took).toBeGreaterThanOrEqual(1_900)
    expect(took).toBeLessThan(2_800)
  }, 20_000)
})
