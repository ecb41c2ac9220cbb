import { callMachine } from '../../machines/call.machine.js'
import * as E from 'fp-ts/lib/Either.js'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { actionCatalog, actionNames } from '../../src/graph/actionCatalog.js'
import { createGraphClient } from '../../src/graph/createGraphClient.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { systemClock } from '../../src/domain/Clock.js'
import type { CallOrchestratorOptions } from '../../src/orchestrator/CallOrchestrator.js'
import { decodeOrchestratorOptions, orchestratorOptions } from '../../src/orchestrator/decodeOrchestratorOptions.js'
import { createMemoryStore } from '../../src/stores/createMemoryStore.js'
import { controlledClock } from '../../src/testing/controlledClock.js'

const graph = { getToken: async () => 'token' }
const minimal = { graph, notificationAuth: false } as const

const refusal = (input: unknown): string => {
  const r = decodeOrchestratorOptions(input)
  if (E.isRight(r)) throw new Error('expected the options to be refused')
  expect(r.left._tag).toBe('OptionsError')
  return r.left.message
}

describe('decodeOrchestratorOptions refuses each bad value with the option, the value and what is allowed', () => {
  it.each([
    ['a holdPolicy that is no policy', { ...minimal, holdPolicy: 'bogus' }, 'Invalid option `holdPolicy`: got "bogus"; expected one of "reject", "queue", "swap".'],
    ['a holdPolicy in the wrong case', { ...minimal, holdPolicy: 'Queue' }, 'Invalid option `holdPolicy`: got "Queue"; expected one of "reject", "queue", "swap" (names are case-sensitive: "queue").'],
    ['a misspelt timeouts key', { ...minimal, timeouts: { startHoldMusc: 5_000 } }, `Unknown option \`timeouts.startHoldMusc\`; known: ${actionNames.join(', ')}.`],
    ['a timeout of zero', { ...minimal, timeouts: { unmute: 0 } }, 'Invalid option `timeouts.unmute`: got 0; expected a positive number of milliseconds, at most 2147483647 (about 24.8 days).'],
    ['a timeout longer than a timer can wait', { ...minimal, timeouts: { playPrompt: 2 ** 31 } }, 'Invalid option `timeouts.playPrompt`: got 2147483648;'],
    ['maxCalls that is not an integer', { ...minimal, maxCalls: 1.5 }, 'Invalid option `maxCalls`: got 1.5; expected a positive integer.'],
    ['maxPendingOperations of NaN', { ...minimal, maxPendingOperations: Number.NaN }, 'Invalid option `maxPendingOperations`: got NaN; expected a positive integer.'],
    ['an unknown top-level key', { ...minimal, holdPolicyy: 'queue' }, 'Unknown option `holdPolicyy`; known: graph, notificationAuth, store, holdPolicy,'],
    ['no graph', { notificationAuth: false }, 'Invalid option `graph`: got undefined; expected Graph client options (an object with getToken or credential), or { client }.'],
    ['inspect given as a string', { ...minimal, inspect: 'yes' }, 'Invalid option `inspect`: got "yes"; expected an inspection function, or an observer with next, error or complete functions.'],
    ['an empty store', { ...minimal, store: {} }, 'Invalid option `store`: got {}; expected a SnapshotStore (as createMemoryStore and createRedisStore make): an object with durable, load, save,'],
    ['an empty tracer', { ...minimal, tracer: {} }, 'Invalid option `tracer`: got {}; expected an OpenTelemetry tracer: an object with startSpan.'],
    ['a logger without error', { ...minimal, logger: { debug() {}, info() {}, warn() {} } }, 'Invalid option `logger`: got { debug, info, warn }; expected a logger (pino-compatible): an object with debug, info, warn, error (error is missing).'],
    ['a clock whose now is a number', { ...minimal, clock: { now: 1, setTimeout() {}, clearTimeout() {} } }, '(now is not a function)'],
    ['a clock whose monotonic is a number', { ...minimal, clock: { now: () => 1, setTimeout() {}, clearTimeout() {}, monotonic: 1 } }, '(monotonic is not a function)'],
    ['no notificationAuth', { graph }, 'Invalid option `notificationAuth`: got undefined; expected notification authentication options (an object with appId), or false.'],
    ['notificationAuth: true', { graph, notificationAuth: true }, 'Invalid option `notificationAuth`: got true;'],
    ['a blank appId', { graph, notificationAuth: { appId: ' ' } }, 'Invalid option `notificationAuth.appId`: got " ". `appId` is required'],
    ['an unknown notificationAuth key', { graph, notificationAuth: { appId: 'a', tenantId: 't' } }, 'Unknown option `notificationAuth.tenantId`; known: appId, tenantIds,'],
    ['a graph without a token source', { graph: {}, notificationAuth: false }, 'Invalid option `graph`: got {}. Expected exactly one of `getToken` and `credential`.'],
    ['a getToken that is a string', { graph: { getToken: 'token' }, notificationAuth: false }, 'Invalid option `graph.getToken`: got "token"; expected a function'],
    ['a misspelt graph key', { graph: { ...graph, baseURL: 'https://x' }, notificationAuth: false }, 'Unknown option `graph.baseURL`; known: baseUrl, getToken,'],
    ['a negative retry count', { graph: { ...graph, retry: { retries: -1 } }, notificationAuth: false }, 'Invalid option `graph.retry.retries`: got -1. Expected `retries` to be a non-negative integer.'],
    ['a client that is not one', { graph: { client: {} }, notificationAuth: false }, 'Invalid option `graph.client`: got {}; expected a Graph client'],
    ['a keepAlive interval under 15 minutes', { ...minimal, keepAlive: { intervalMs: 60_000 } }, 'Invalid option `keepAlive.intervalMs`: got 60000; expected a number of milliseconds from 900000 to 2700000 (15 to 45 minutes).'],
    ['keepAlive: true', { ...minimal, keepAlive: true }, 'Invalid option `keepAlive`: got true; expected keepAlive options (an object), or false.'],
    ['a sweep interval of -1', { ...minimal, sweepIntervalMs: -1 }, 'Invalid option `sweepIntervalMs`: got -1;'],
    ['maxBodyBytes as a string', { ...minimal, maxBodyBytes: '1MB' }, 'Invalid option `maxBodyBytes`: got "1MB"; expected a positive integer.'],
  ])('%s', (_, input, message) => {
    expect(refusal(input)).toContain(message)
  })

  it('refuses no options at all, and options that are not an object', () => {
    for (const input of [undefined, null, 'graph', [minimal]]) {
      expect(refusal(input)).toMatch(/^Invalid options: got .+; expected orchestrator options \(an object with graph and notificationAuth\)\.$/)
    }
  })

  it('reports every refused option, one per line', () => {
    const lines = refusal({ graph, notificationAuth: false, holdPolicy: 'Queue', maxCalls: 0, extra: 1 }).split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[0]).toMatch(/^Unknown option `extra`/)
    expect(lines.some((l) => l.startsWith('Invalid option `holdPolicy`'))).toBe(true)
    expect(lines.some((l) => l.startsWith('Invalid option `maxCalls`'))).toBe(true)
  })

  it('orchestratorOptions throws a TypeError with the same message', () => {
    expect(() => orchestratorOptions({ ...minimal, holdPolicy: 'bogus' })).toThrow(
      new TypeError('Invalid option `holdPolicy`: got "bogus"; expected one of "reject", "queue", "swap".'),
    )
  })

  it('refuses any options object with a key it does not know, at the top and inside timeouts', () => {
    const known = new Set(['graph', 'notificationAuth', 'store', 'holdPolicy', 'timeouts', 'logger', 'inspect', 'maxCalls',
      'maxPendingOperations', 'endedCallRetentionMs', 'maxBodyBytes', 'maxNotificationsPerBatch', 'clock', 'keepAlive',
      'tracer', 'sweepIntervalMs', 'instanceTtlMs', 'machine', 'bodyTimeoutMs'])
    const extraKey = fc.string({ minLength: 1, maxLength: 20 }).filter((k) => !known.has(k) && !(actionNames as readonly string[]).includes(k))
    fc.assert(
      fc.property(extraKey, fc.anything(), fc.boolean(), (key, value, inTimeouts) => {
        const input = inTimeouts ? { ...minimal, timeouts: { [key]: value } } : { ...minimal, [key]: value }
        const r = decodeOrchestratorOptions(input)
        return E.isLeft(r) && r.left.issues.some((i) => i.path === (inTimeouts ? `timeouts.${key}` : key) && i.message.startsWith('Unknown option'))
      }),
      { numRuns: 500 },
    )
  })
})

describe('decodeOrchestratorOptions accepts good options', () => {
  it('applies every default to the least options', () => {
    const r = orchestratorOptions(minimal)
    expect(r).toMatchObject({
      graph,
      notificationAuth: false,
      holdPolicy: 'reject',
      logger: silentLogger,
      clock: systemClock,
      maxCalls: 100_000,
      maxPendingOperations: 100_000,
      endedCallRetentionMs: 60_000,
      maxBodyBytes: 1024 * 1024,
      maxNotificationsPerBatch: 1_000,
      keepAlive: { intervalMs: 15 * 60_000 },
      sweepIntervalMs: 1_000,
      instanceTtlMs: 10_000,
    })
    expect(r.timeouts).toEqual(Object.fromEntries(actionNames.map((a) => [a, actionCatalog[a].defaultTimeoutMs])))
    expect(r.store.durable).toBe(false)
    expect('inspect' in r || 'tracer' in r).toBe(false)
  })

  it('accepts every documented option and keeps what was given', async () => {
    const store = createMemoryStore()
    const clock = controlledClock()
    const client = createGraphClient({ getToken: async () => 't' })
    const inspect = (): void => {}
    const tracer = { startSpan: () => ({ setAttribute() {}, addEvent() {}, setStatus() {}, end() {} }) }
    const logger = { debug() {}, info() {}, warn() {}, error() {}, isLevelEnabled: () => true }
    const options: Required<CallOrchestratorOptions> = {
      graph: { client },
      machine: callMachine.provide({}),
      bodyTimeoutMs: 5_000,
      store,
      holdPolicy: 'swap',
      timeouts: { startHoldMusic: 5_000, playPrompt: 2_147_483_647 },
      callActionTimeouts: { answer: 9_000 },
      notificationAuth: { appId: 'app', tenantIds: ['t1'], openIdConfigUrl: 'http://127.0.0.1:9/openid', issuers: ['https://i'], clockToleranceSec: 0, fetchTimeoutMs: 100, fetch },
      logger,
      inspect,
      maxCalls: 1,
      maxPendingOperations: 2,
      endedCallRetentionMs: 3,
      maxBodyBytes: 4,
      maxNotificationsPerBatch: 5,
      clock,
      keepAlive: { intervalMs: 45 * 60_000 },
      tracer,
      sweepIntervalMs: 6,
      instanceTtlMs: 7,
    }
    const r = orchestratorOptions(options)
    await client.close()
    expect(r).toMatchObject({ ...options, timeouts: { ...r.timeouts, startHoldMusic: 5_000, playPrompt: 2_147_483_647 }, callActionTimeouts: { ...r.callActionTimeouts, answer: 9_000 } })
    expect(r.callActionTimeouts.hangUp).toBe(30_000)
    expect(r.timeouts.stopHoldMusic).toBe(actionCatalog.stopHoldMusic.defaultTimeoutMs)
    expect(r.store).toBe(store)
    expect(r.clock).toBe(clock)
  })

  it('accepts the other forms: a credential, keepAlive off, an observer to inspect, undefined for an absent option', () => {
    const r = orchestratorOptions({
      graph: { credential: { getToken: async () => ({ token: 't' }) }, baseUrl: 'http://127.0.0.1:1/v1.0', userAgent: 'bot/1', retry: { retries: 0 } },
      notificationAuth: { appId: 'app' },
      keepAlive: false,
      inspect: { next: () => {} },
      holdPolicy: undefined,
      maxCalls: undefined,
    })
    expect(r.keepAlive).toBe(false)
    expect(r.holdPolicy).toBe('reject')
    expect(r.maxCalls).toBe(100_000)
    expect(r.notificationAuth).toEqual({ appId: 'app' })
  })

  it('accepts a class instance as a service: members are looked up through the prototype', () => {
    class Tracer {
      startSpan() {
        return { setAttribute() {}, addEvent() {}, setStatus() {}, end() {} }
      }
    }
    const tracer = new Tracer()
    expect(orchestratorOptions({ ...minimal, tracer }).tracer).toBe(tracer)
  })
})
