import { spawnSync } from 'node:child_process'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/index.js'
import { keepAliveScheduler } from '../../src/runtime/keepAliveScheduler.js'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'
import { controlledClock } from '../support/controlledClock.js'
import { documentedAnswer, type SeenRequest, type StandInAnswer } from '../support/graphStandIn.js'
import { batch, post, terminated } from '../support/notifications.js'
import { startHarness, until, type Harness } from '../orchestrator/harness.js'

const CALL = 'e141b67c-90fd-455d-858b-b48a40b9cc8d'
const A = 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e'
const MINUTE = 60_000
/** Long enough that no operation times out while the test moves the clock by hours. */
const NO_TIMEOUT = { startHoldMusic: 10 * 60 * MINUTE, stopHoldMusic: 10 * 60 * MINUTE }

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

const keepAlives = (harness: Harness): SeenRequest[] => harness.graph.requests.filter((r) => r.action === 'keepAlive')

/** Lets the HTTP exchanges started by the last clock move finish. */
const settle = () => new Promise((r) => setTimeout(r, 30))

describe('keepAlive: every open call is kept alive', () => {
  it('sends the first keepAlive between 13.5 and 16.5 minutes (15 min ± 10 %), then again each interval', async () => {
    const clock = controlledClock()
    h = await startHarness({ clock })
    expect(E.isRight(h.orchestrator.registerCall({ callId: CALL }))).toBe(true)
    clock.advance(13.5 * MINUTE - 1)
    await settle()
    expect(keepAlives(h)).toHaveLength(0)
    clock.advance(3 * MINUTE + 1)
    await until(() => keepAlives(h!).length === 1)
    const req = keepAlives(h)[0]!
    expect(req.method).toBe('POST')
    expect(req.path).toBe(`/communications/calls/${CALL}/keepAlive`)
    expect(req.headers['authorization']).toBe('Bearer test-token')
    expect(typeof req.headers['client-request-id']).toBe('string')
    // The next keepAlive is armed once Graph's answer is in.
    await until(() => clock.pendingTimers === 1)
    clock.advance(16.5 * MINUTE)
    await until(() => keepAlives(h!).length === 2)
    await until(() => clock.pendingTimers === 1)
    clock.advance(16.5 * MINUTE)
    await until(() => keepAlives(h!).length === 3)
    expect(h.orchestrator.getCall(CALL)?.state).toBe('established.hold.free')
  })

  it('keeps every interval within Graph’s 15–45 minutes, whatever the jitter draws', () => {
    const waits: number[] = []
    for (const [intervalMs, draw] of [
      [15 * MINUTE, 0],
      [15 * MINUTE, 0.999],
      [45 * MINUTE, 0.999],
      [45 * MINUTE, 0],
      [30 * MINUTE, 0.5],
    ] as const) {
      const inner = controlledClock()
      let asked: number | undefined
      const clock = { ...inner, setTimeout: (fn: () => void, ms: number) => ((asked ??= ms), inner.setTimeout(fn, ms)) }
      let sent = false
      const scheduler = keepAliveScheduler(
        { intervalMs },
        {
          clock,
          logger: silent,
          random: () => draw,
          onCallEnded: () => {},
          client: {
            keepAlive: () => async () => {
              sent = true
              return E.right(undefined)
            },
          },
        },
      )
      scheduler.track('k', 'call')
      inner.advance(45 * MINUTE)
      expect(sent).toBe(true)
      scheduler.close()
      waits.push(asked ?? Number.NaN)
    }
    for (const w of waits) {
      expect(w).toBeGreaterThanOrEqual(15 * MINUTE)
      expect(w).toBeLessThanOrEqual(45 * MINUTE)
    }
    expect(waits[4]).toBe(30 * MINUTE)
  })

  it('follows a configured interval', async () => {
    const clock = controlledClock()
    h = await startHarness({ clock, keepAlive: { intervalMs: 40 * MINUTE } })
    h.orchestrator.registerCall({ callId: CALL })
    clock.advance(36 * MINUTE - 1)
    await settle()
    expect(keepAlives(h)).toHaveLength(0)
    clock.advance(8 * MINUTE + 1)
    await until(() => keepAlives(h!).length === 1)
  })

  it('ends the call when Graph answers 404: every pending operation ends CallEnded, and keepAlive stops', async () => {
    const clock = controlledClock()
    h = await startHarness({ clock, timeouts: NO_TIMEOUT }, (req): StandInAnswer =>
      req.action === 'keepAlive'
        ? { status: 404, body: { error: { code: 'ItemNotFound', message: 'Call not found' } } }
        : documentedAnswer(req),
    )
    const held = h.orchestrator.startHoldMusic({ callId: CALL, participantId: A })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    clock.advance(17 * MINUTE)
    const result = await held
    expect(E.isLeft(result) && result.left._tag).toBe('CallEnded')
    expect(h.orchestrator.getCall(CALL)?.state).toBe('terminated')
    expect(keepAlives(h)).toHaveLength(1)
    clock.advance(3 * 60 * MINUTE)
    await settle()
    expect(keepAlives(h)).toHaveLength(1)
  })

  it('tries again a minute later when keepAlive fails for another reason', async () => {
    const clock = controlledClock()
    let fail = true
    h = await startHarness({ clock }, (req) =>
      req.action === 'keepAlive' && fail ? { status: 400, body: { error: { code: 'BadRequest', message: 'no' } } } : documentedAnswer(req),
    )
    h.orchestrator.registerCall({ callId: CALL })
    clock.advance(16.5 * MINUTE)
    await until(() => keepAlives(h!).length === 1)
    await until(() => clock.pendingTimers === 1)
    fail = false
    clock.advance(MINUTE)
    await until(() => keepAlives(h!).length === 2)
    expect(h.orchestrator.getCall(CALL)?.state).toBe('established.hold.free')
  })

  it('stops when the call ends by notification, and sends nothing when switched off', async () => {
    const clock = controlledClock()
    h = await startHarness({ clock })
    h.orchestrator.registerCall({ callId: CALL })
    expect((await post(h.webhookUrl, batch(terminated(CALL)))).status).toBe(202)
    await until(() => h!.orchestrator.getCall(CALL)?.state === 'terminated')
    clock.advance(3 * 60 * MINUTE)
    await settle()
    expect(keepAlives(h)).toHaveLength(0)
    expect(clock.pendingTimers).toBe(0)
    await h.close()

    const off = controlledClock()
    h = await startHarness({ clock: off, keepAlive: false })
    h.orchestrator.registerCall({ callId: CALL })
    expect(off.pendingTimers).toBe(0)
    off.advance(3 * 60 * MINUTE)
    await settle()
    expect(keepAlives(h)).toHaveLength(0)
  })

  it('stops every keepAlive timer on close()', async () => {
    const clock = controlledClock()
    h = await startHarness({ clock })
    for (let i = 0; i < 5; i++) h.orchestrator.registerCall({ callId: `call-${i}` })
    expect(clock.pendingTimers).toBe(5)
    await h.orchestrator.close()
    expect(clock.pendingTimers).toBe(0)
    clock.advance(3 * 60 * MINUTE)
    await settle()
    expect(keepAlives(h)).toHaveLength(0)
  })

  it.each([
    ['below 15 minutes', 14 * MINUTE],
    ['above 45 minutes', 46 * MINUTE],
    ['not a number', Number.NaN],
  ])('refuses an interval %s at once', (_, intervalMs) => {
    expect(() =>
      createCallOrchestrator({ graph: { getToken: async () => 't' }, notificationAuth: false, keepAlive: { intervalMs } }),
    ).toThrow(/keepAlive\.intervalMs/)
  })
})

describe('keepAlive against the simulator', () => {
  let sim: Simulator | undefined
  let orchestrator: CallOrchestrator | undefined
  let server: http.Server | undefined
  afterEach(async () => {
    await orchestrator?.close()
    server?.closeAllConnections()
    await new Promise<void>((r) => (server === undefined ? r() : server.close(() => r())))
    await sim?.close()
  })

  it('keeps a live call alive (200), and ends a call whose terminated notification was lost (404)', async () => {
    sim = await createSimulator({ seed: 9 })
    const clock = controlledClock()
    orchestrator = createCallOrchestrator({
      graph: { baseUrl: sim.graphUrl, getToken: async () => 'token' },
      notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
      clock,
      timeouts: NO_TIMEOUT,
    })
    server = http.createServer(orchestrator.webhook)
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
    const created = sim.createCall({ callbackUrl, participants: [{ id: 'alice' }] })
    if (E.isLeft(created)) throw new Error(created.left.message)
    const { callId } = created.right
    const o = orchestrator
    const s = sim
    const held = await o.startHoldMusic({ callId, participantId: 'alice' })
    expect(E.isRight(held)).toBe(true)

    clock.advance(17 * MINUTE)
    await until(() => s.requests().some((r) => r.action === 'keepAlive' && r.status === 200))
    await until(() => clock.pendingTimers === 1)

    // The hang-up's notification is lost: only keepAlive can tell the bot that the call is over.
    s.setFaults({ dropRate: 1 }, callId)
    const stopping = o.stopHoldMusic({ callId, participantId: 'alice' })
    await until(() => o.getCall(callId)?.operations[0]?.state === 'running')
    await s.hangUp(callId)
    expect(o.getCall(callId)?.state).not.toBe('terminated')
    clock.advance(17 * MINUTE)
    const stopped = await stopping
    expect(E.isLeft(stopped) && stopped.left._tag).toBe('CallEnded')
    expect(o.getCall(callId)?.state).toBe('terminated')
    expect(s.requests().filter((r) => r.action === 'keepAlive').map((r) => r.status)).toEqual([200, 404])
  })
})

describe('keepAlive timers and the process', () => {
  it('do not keep a process alive: an orchestrator left open with a tracked call lets node exit', () => {
    const script = `
      import { createCallOrchestrator } from './src/index.ts'
      const o = createCallOrchestrator({ graph: { baseUrl: 'http://127.0.0.1:9/v1.0', getToken: async () => 't' }, notificationAuth: false })
      o.registerCall({ callId: 'call-1' })
      console.log('tracked', o.getCall('call-1')?.state)
    `
    const started = Date.now()
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: new URL('../..', import.meta.url).pathname,
      encoding: 'utf8',
      timeout: 15_000,
    })
    expect(r.stderr).toBe('')
    expect(r.stdout.trim()).toBe('tracked established.hold.free')
    expect(r.status).toBe(0)
    expect(Date.now() - started).toBeLessThan(15_000)
  })
})

const discard = (): void => {}
const silent = { debug: discard, info: discard, warn: discard, error: discard }
