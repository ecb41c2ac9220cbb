import fc from 'fast-check'
import * as E from 'fp-ts/lib/Either.js'
import type * as t from 'io-ts'
import { describe, expect, it } from 'vitest'
import { decodeOptions } from '../../src/codecs/options/decodeOptions.js'
import { describeValue } from '../../src/codecs/options/describeValue.js'
import { createGraphClient } from '../../src/graph/createGraphClient.js'
import { GraphClientOptions } from '../../src/graph/GraphClientOptions.js'
import { RetryOptions } from '../../src/graph/RetryOptions.js'
import { createNotificationAuthenticator } from '../../src/notifications/auth/createNotificationAuthenticator.js'
import { NotificationAuthOptions } from '../../src/notifications/auth/NotificationAuthOptions.js'
import { KeepAliveSchedule } from '../../src/runtime/keepAliveScheduler.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { createRedisStore } from '../../src/stores/createRedisStore.js'
import { MemoryStoreOptions } from '../../src/stores/MemoryStoreOptions.js'
import { redisKeys } from '../../src/stores/redisKeys.js'
import { RedisStoreOptions } from '../../src/stores/RedisStoreOptions.js'

const getToken = async () => 't'

describe('the components refuse bad options at construction, naming the option', () => {
  it.each([
    ['createGraphClient', () => createGraphClient({ getToken, timeoutMs: 5 } as never), 'Unknown option `timeoutMs`; known: baseUrl, getToken, credential, fetch, retry, userAgent.'],
    ['createGraphClient', () => createGraphClient({ getToken, retry: { retry: 2 } } as never), 'Unknown option `retry.retry`; known: retries, minDelayMs, maxDelayMs, maxTotalMs.'],
    ['createGraphClient', () => createGraphClient({ getToken, baseUrl: 'https://graph.example/v1.0?x=1' }), 'Invalid option `baseUrl`: got "https://graph.example/v1.0?x=1"; expected an absolute http or https URL without query or fragment.'],
    ['createGraphClient', () => createGraphClient({ getToken, credential: { getToken: async () => null } }), 'Invalid options: got { getToken, credential }. Expected exactly one of `getToken` and `credential`.'],
    ['createGraphClient', () => createGraphClient({ credential: {} as never }), 'Invalid option `credential`: got {}; expected a TokenCredential: an object with getToken.'],
    ['createGraphClient', () => createGraphClient({ getToken, retry: { minDelayMs: 500, maxDelayMs: 100 } }), 'Invalid option `retry.maxDelayMs`: got 100. Expected `maxDelayMs` to be at least `minDelayMs`.'],
    ['createMemoryStore', () => createMemoryStore({ retentionMs: 0 }), 'Invalid option `retentionMs`: got 0; expected a positive number.'],
    ['createMemoryStore', () => createMemoryStore({ durable: 'yes' } as never), 'Invalid option `durable`: got "yes"; expected true or false.'],
    ['createMemoryStore', () => createMemoryStore({ retention: 5 } as never), 'Unknown option `retention`; known: durable, retentionMs, now.'],
    ['createRedisStore', () => createRedisStore({} as never), 'Invalid option `redis`: got undefined; expected an ioredis client (Redis or Cluster), or a URL such as redis://127.0.0.1:6379.'],
    ['createRedisStore', () => createRedisStore({ redis: {} as never }), 'Invalid option `redis`: got {};'],
    ['createRedisStore', () => createRedisStore({ redis: 'redis://127.0.0.1:1', prefix: 'a{b}' }), 'Invalid option `prefix`: got "a{b}"; expected 1 to 64 of A-Z a-z 0-9 : . _ - starting with a letter or digit.'],
    ['createRedisStore', () => createRedisStore({ redis: 'redis://127.0.0.1:1', retentionMs: 1.5 }), 'Invalid option `retentionMs`: got 1.5; expected a positive integer.'],
    ['createRedisStore', () => createRedisStore({ redis: 'redis://127.0.0.1:1', logger: {} as never }), 'Invalid option `logger`: got {}; expected a logger (pino-compatible): an object with debug, info, warn, error.'],
    ['redisKeys', () => redisKeys(''), 'Invalid option `prefix`: got ""; expected 1 to 64 of'],
    ['createNotificationAuthenticator', () => createNotificationAuthenticator({ appId: 'a', tenantIds: [] }), 'Invalid option `tenantIds`: got []. `tenantIds` is empty, which would refuse every notification: omit it to accept every tenant.'],
    ['createNotificationAuthenticator', () => createNotificationAuthenticator({ appId: 'a', openIdConfigUrl: 'http://login.example/x' }), 'Invalid option `openIdConfigUrl`: got "http://login.example/x"; expected an https URL (plain http is allowed on loopback only).'],
    ['createNotificationAuthenticator', () => createNotificationAuthenticator({ appId: 'a', audience: 'b' } as never), 'Unknown option `audience`; known: appId, tenantIds, openIdConfigUrl, issuers, clockToleranceSec, fetchTimeoutMs, fetch.'],
    ['createNotificationAuthenticator', () => createNotificationAuthenticator(undefined as never), 'Invalid options: got undefined; expected notification authentication options (an object with appId).'],
  ])('%s: %s', (_, make, message) => {
    expect(make).toThrow(TypeError)
    expect(make).toThrow(message)
  })
})

describe('each component codec refuses any key it does not know', () => {
  const codecs: readonly [string, t.Decoder<unknown, unknown>, Record<string, unknown>][] = [
    ['GraphClientOptions', GraphClientOptions, { getToken }],
    ['RetryOptions', RetryOptions, {}],
    ['MemoryStoreOptions', MemoryStoreOptions, {}],
    ['RedisStoreOptions', RedisStoreOptions, { redis: 'redis://127.0.0.1:6379' }],
    ['NotificationAuthOptions', NotificationAuthOptions, { appId: 'app' }],
    ['KeepAliveSchedule', KeepAliveSchedule, {}],
  ]
  it.each(codecs)('%s', (_, codec, valid) => {
    expect(E.isRight(decodeOptions(codec, valid))).toBe(true)
    const known = new Set(['baseUrl', 'getToken', 'credential', 'fetch', 'retry', 'userAgent', 'retries', 'minDelayMs', 'maxDelayMs', 'maxTotalMs',
      'durable', 'retentionMs', 'now', 'redis', 'prefix', 'logger', 'appId', 'tenantIds', 'openIdConfigUrl', 'issuers', 'clockToleranceSec',
      'fetchTimeoutMs', 'intervalMs'])
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !known.has(k)), fc.anything(), (key, value) => {
        const r = decodeOptions(codec, { ...valid, [key]: value }, 'root')
        return E.isLeft(r) && r.left.issues.length === 1 && r.left.issues[0].path === `root.${key}` && r.left.message.startsWith(`Unknown option \`root.${key}\`; known: `)
      }),
      { numRuns: 200 },
    )
  })
})

describe('describeValue', () => {
  it('shows a refused value briefly, never an object\'s contents', () => {
    expect(describeValue('x'.repeat(50))).toBe(`"${'x'.repeat(40)}…"`)
    expect(describeValue(Number.NaN)).toBe('NaN')
    expect(describeValue(() => 1)).toBe('a function')
    expect(describeValue({ token: 'secret', b: 1 })).toBe('{ token, b }')
    expect(describeValue(new Map())).toBe('a Map')
    expect(describeValue(['a', 1, null, {}, 5])).toBe('["a", 1, null, {}, …]')
    expect(describeValue(10n)).toBe('10n')
  })
})
