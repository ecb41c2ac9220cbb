import fc from 'fast-check'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { NotificationResponse } from '../../src/notifications/createNotificationHandler.js'
import { fuzzCase, type FuzzCase } from './notificationArbitraries.js'
import { LIVE_CALL_IDS, observe, serveWebhook, startGraphSide, startLiveWorld, type GraphSide, type LiveWorld } from './liveCalls.js'
import { appliesSomething, expectedStatus, type WireLimits } from './wireOracle.js'

/**
 * Fuzzes the notification pipeline through `orchestrator.handleNotification` and the webhook, with
 * live calls whose operations are running against a loopback Graph stand-in. Every answer must be
 * the one the wire oracle expects; a refused batch must leave every live call and every counter as
 * it was; nothing may throw, reject unhandled, or touch Object.prototype.
 *
 * `npm test` runs a seeded few thousand cases; `npm run test:fuzz` runs 100,000
 * (FUZZ_RUNS and FUZZ_SEED override both).
 */

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2_000)
const SEED = Number(process.env['FUZZ_SEED'] ?? 20_250_601)
const LIMITS: WireLimits = { maxBodyBytes: 256 * 1024, maxNotificationsPerBatch: 50 }

interface Figures {
  cases: number
  byStatus: Record<string, number>
  byTransport: Record<string, number>
  /** Answers other than the oracle's. */
  mismatches: number
  /** Thrown or rejected handleNotification calls, internal-error answers, unhandled rejections, uncaught exceptions. */
  crashes: number
  /** Refused batches after which a live call or a counter had changed. */
  stateChanges: number
  /** Accepted batches that changed a live call's state, hold or operations (the world is then rebuilt). */
  rebuilds: number
  ms: number
}

const figures: Figures = { cases: 0, byStatus: {}, byTransport: {}, mismatches: 0, crashes: 0, stateChanges: 0, rebuilds: 0, ms: 0 }
const bump = (record: Record<string, number>, key: string): void => {
  record[key] = (record[key] ?? 0) + 1
}

let graph: GraphSide
let world: LiveWorld
let webhook: { url: string; close(): Promise<void> }
let pristine: string
const escaped: unknown[] = []
const onEscape = (e: unknown): void => {
  escaped.push(e)
}

/**
 * What makes the live calls worth fuzzing against: their state, hold and running operations. An
 * accepted batch that changes these (or grows a roster past a few entries) is followed by a fresh
 * world; roster news alone is kept, as rebuilding costs a few HTTP round trips.
 */
const liveCore = (): string =>
  JSON.stringify(
    LIVE_CALL_IDS.map((id) => {
      const v = world.orchestrator.getCall(id)
      return v === undefined ? null : { state: v.state, hold: v.hold, queue: v.holdQueue, operations: v.operations, roster: v.roster.length > 16 }
    }),
  )

const buildWorld = async (): Promise<void> => {
  world = await startLiveWorld(graph, { ...LIMITS, maxCalls: 64 })
}

beforeAll(async () => {
  graph = await startGraphSide()
  await buildWorld()
  pristine = liveCore()
  // The webhook always serves the current world.
  webhook = await serveWebhook({ webhook: (req, res) => world.orchestrator.webhook(req, res) })
  process.on('unhandledRejection', onEscape)
  process.on('uncaughtException', onEscape)
})
afterAll(async () => {
  process.off('unhandledRejection', onEscape)
  process.off('uncaughtException', onEscape)
  await webhook.close()
  await world.close()
  await graph.close()
})

const send = async (c: FuzzCase): Promise<NotificationResponse> => {
  const headers = c.contentType === undefined ? {} : { 'content-type': c.contentType }
  if (c.transport === 'object') return world.orchestrator.handleNotification(c.payload, {})
  if (c.transport !== 'http') return world.orchestrator.handleNotification(c.payload, headers)
  const res = await fetch(webhook.url, { method: 'POST', headers, body: c.payload as Buffer })
  return { status: res.status as NotificationResponse['status'], body: await res.text() }
}

/** The batch a case posts, as a value (`undefined` when it is no JSON). */
const valueOf = (c: FuzzCase): unknown => {
  if (typeof c.payload !== 'string' && !(c.payload instanceof Uint8Array)) return c.payload
  try {
    return JSON.parse(typeof c.payload === 'string' ? c.payload : Buffer.from(c.payload).toString('utf8'))
  } catch {
    return undefined
  }
}

const prototypes = [Object.prototype, Array.prototype, Function.prototype, String.prototype]
const shapeOfPrototypes = (): string => JSON.stringify(prototypes.map((p) => Object.getOwnPropertyNames(p).sort()))

it(`answers ${RUNS} fuzzed notification POSTs as the wire oracle says, changing nothing it refuses (seed ${SEED})`, async () => {
  const protoShape = shapeOfPrototypes()
  const started = performance.now()
  await fc.assert(
    fc.asyncProperty(fuzzCase(LIMITS), async (c) => {
      figures.cases++
      bump(figures.byTransport, c.transport)
      // A parsed body is handed over without headers, as a framework's body parser would.
      const expected = expectedStatus(c.payload, c.transport === 'object' ? undefined : c.contentType, LIMITS)
      const before = observe(world.orchestrator)
      let r: NotificationResponse
      try {
        r = await send(c)
      } catch (err) {
        figures.crashes++
        throw err
      }
      bump(figures.byStatus, String(r.status))
      if (r.body.includes('could not be handled')) figures.crashes++
      if (r.status !== expected) figures.mismatches++
      // A refused POST, or an accepted one whose every notification was refused alone, changes nothing.
      const applies = r.status === 202 && appliesSomething(valueOf(c), LIMITS)
      const changed = !applies && observe(world.orchestrator) !== before
      if (changed) figures.stateChanges++

      expect(r.status, c.label).toBe(expected)
      expect(changed, `${c.label}: answered ${r.status}, nothing in it to apply, but the live calls changed`).toBe(false)
      if (r.status !== 202 && r.status !== 204) expect(JSON.parse(r.body), c.label).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } })
      expect(r.body, c.label).not.toContain('could not be handled')
      expect(({} as Record<string, unknown>)['polluted'], c.label).toBeUndefined()
      expect(escaped, c.label).toEqual([])

      if (r.status === 202 && liveCore() !== pristine) {
        // The batch ended or changed an operation: start again from live calls with running operations.
        figures.rebuilds++
        await world.close()
        await buildWorld()
      }
    }),
    { numRuns: RUNS, seed: SEED, endOnFailure: true },
  )
  figures.ms = Math.round(performance.now() - started)
  // Answers to the batches above may still be on their way (HTTP effects): let them land.
  await new Promise((r) => setTimeout(r, 50))
  expect(escaped).toEqual([])
  expect(shapeOfPrototypes()).toBe(protoShape)
  expect(Object.getPrototypeOf({})).toBe(Object.prototype)
  expect(figures.crashes + figures.stateChanges + figures.mismatches).toBe(0)
  // The run must have exercised every answer, or it proves little.
  for (const status of ['202', '400', '413', '415']) expect(figures.byStatus[status] ?? 0, `answers ${status}`).toBeGreaterThan(0)
  console.log(`notification fuzz: seed ${SEED} ${JSON.stringify(figures)}`)
}, Math.max(60_000, RUNS * 10))
