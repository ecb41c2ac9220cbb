import * as E from 'fp-ts/lib/Either.js'
import { afterAll, afterEach, describe, expect, test } from 'vitest'
import { AnyOperation, CommsNotifications, decode } from '../../src/codecs/index.js'
import { createSimulator, simulatedFailureInfo } from '../../src/simulator/index.js'
import type { Simulator, SimulatorFaults } from '../../src/simulator/index.js'
import { completions, postGraph, startCallbackServer } from './callbackServer.js'
import type { CallbackServer } from './callbackServer.js'

const opened: { close: () => Promise<void> }[] = []
const shared: Simulator[] = []
afterEach(async () => {
  await Promise.all(opened.splice(0).map((o) => o.close()))
})
afterAll(async () => {
  await Promise.all(shared.map((s) => s.close()))
})

/**
 * A call with `faults` and its own callback server. Tests that compare runs ask for a `fresh`
 * simulator with the seed; the others share one (starting a simulator generates an RSA key, which
 * is the slow part) and set the faults on their call.
 */
const start = async (
  seed: number,
  faults: SimulatorFaults,
  options: { callbackDelayMs?: number; fresh?: boolean } = {},
): Promise<{ sim: Simulator; callback: CallbackServer; callId: string }> => {
  let sim = options.fresh === true ? undefined : shared[0]
  if (sim === undefined) {
    sim = await createSimulator({ seed })
    if (options.fresh === true) opened.push(sim)
    else shared.push(sim)
  }
  const callback = await startCallbackServer(options.callbackDelayMs ?? 0)
  opened.push(callback)
  const call = sim.createCall({ callbackUrl: callback.url, participants: [{ id: 'alice' }, { id: 'bob' }], faults })
  if (E.isLeft(call)) throw new Error(call.left.message)
  await sim.idle()
  return { sim, callback, callId: call.right.callId }
}

const dtmf = (sim: Simulator, callId: string, clientContext: string) =>
  postGraph(sim.graphUrl, `${callId}/sendDtmfTones`, { tones: ['tone1'], clientContext })

describe('throttling and unavailability', () => {
  test('throttleRate answers 429 with Retry-After and a Graph error body', async () => {
    const { sim, callId } = await start(1, { throttleRate: 1, retryAfterSeconds: 3 })
    const before = sim.stats().throttled
    const res = await dtmf(sim, callId, 't')
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('3')
    expect(res.body).toMatchObject({ error: { code: 'TooManyRequests' } })
    expect(sim.stats().throttled).toBe(before + 1)
  })

  test('unavailableRate answers 503', async () => {
    const { sim, callId } = await start(1, { unavailableRate: 1, retryAfterSeconds: 0 })
    const before = sim.stats().unavailable
    const res = await dtmf(sim, callId, 'u')
    expect(res.status).toBe(503)
    expect(res.headers.get('retry-after')).toBe('0')
    expect(sim.stats().unavailable).toBe(before + 1)
  })

  test('the same seed gives the same sequence of answers; another seed another one', async () => {
    const statuses = async (seed: number): Promise<number[]> => {
      const { sim, callId } = await start(seed, { throttleRate: 0.3, unavailableRate: 0.2, retryAfterSeconds: 0 }, { fresh: true })
      const out: number[] = []
      for (let i = 0; i < 30; i++) out.push((await dtmf(sim, callId, `s${i}`)).status)
      return out
    }
    const a = await statuses(42)
    expect(new Set(a)).toEqual(new Set([200, 429, 503]))
    expect(await statuses(42)).toEqual(a)
    expect(await statuses(43)).not.toEqual(a)
  })

  test('the same seed gives the same call and operation ids', async () => {
    const ids = async (): Promise<unknown[]> => {
      const { sim, callId } = await start(77, {}, { fresh: true })
      return [callId, (await dtmf(sim, callId, 'x')).body['id']]
    }
    expect(await ids()).toEqual(await ids())
  })
})

describe('notification faults', () => {
  test('dropRate drops completions (counted) while the answers stay normal', async () => {
    const { sim, callback, callId } = await start(1, { dropRate: 1 })
    const before = sim.stats().notifications.dropped // the call's own 'established'
    expect((await dtmf(sim, callId, 'dropped')).status).toBe(200)
    await sim.idle()
    expect(callback.received).toEqual([])
    expect(sim.stats().notifications.dropped).toBe(before + 1)
  })

  test('duplicateRate posts a completion twice', async () => {
    const { sim, callback, callId } = await start(1, { duplicateRate: 1 })
    const before = sim.stats().notifications.duplicated
    await dtmf(sim, callId, 'twice')
    await sim.idle()
    const seen = completions(callback.notifications()).filter((c) => c['clientContext'] === 'twice')
    expect(seen).toHaveLength(2)
    expect(seen[0]).toEqual(seen[1])
    expect(sim.stats().notifications.duplicated).toBe(before + 1)
  })

  test('reorderWindowMs shuffles a call’s notifications, the same way for the same seed', async () => {
    const order = async (seed: number): Promise<unknown[]> => {
      const { sim, callback, callId } = await start(seed, {}, { fresh: true })
      // A wide window, so all eight completions fall into one batch even on a loaded machine.
      sim.setFaults({ reorderWindowMs: 1_000 }, callId)
      for (let i = 0; i < 8; i++) await dtmf(sim, callId, `r${i}`)
      expect(completions(callback.notifications())).toEqual([])
      await sim.idle()
      return completions(callback.notifications()).map((c) => c['clientContext'])
    }
    const first = await order(5)
    expect([...first].sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'])
    expect(first).not.toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'])
    expect(await order(5)).toEqual(first)
  })

  test('notifyBeforeAnswer delivers the completion before the HTTP answer is written', async () => {
    // The callback takes 400 ms to answer: an answer written after the notification's POST was
    // answered cannot come sooner; without the fault it comes at once.
    const early = await start(1, { notifyBeforeAnswer: 1 }, { callbackDelayMs: 400 })
    const t0 = performance.now()
    const res = await dtmf(early.sim, early.callId, 'early')
    expect(performance.now() - t0).toBeGreaterThanOrEqual(390)
    expect(completions(early.callback.notifications()).map((c) => c['id'])).toEqual([res.body['id']])
    expect(res.body['status']).toBe('running')

    const normal = await start(1, {}, { callbackDelayMs: 400 })
    const t1 = performance.now()
    await dtmf(normal.sim, normal.callId, 'late')
    expect(performance.now() - t1).toBeLessThan(390)
  })

  test('idVariants spells notifications in every documented variant, all of which decode', async () => {
    const { sim, callback, callId } = await start(11, { idVariants: 1 })
    const answers: string[] = []
    for (let i = 0; i < 24; i++) answers.push(String((await dtmf(sim, callId, `v${i}`)).body['status']))
    await sim.idle()
    const ns = callback.notifications().filter((n) => String(n['resourceUrl']).includes('operations'))
    const urls = ns.map((n) => String(n['resourceUrl']))
    const bare = callId.replace(/-/g, '').toUpperCase()
    expect(urls.some((u) => u.startsWith('/communications/calls/'))).toBe(true)
    expect(urls.some((u) => u.startsWith('/app/calls/'))).toBe(true)
    expect(urls.some((u) => u.startsWith(`communications/calls/${bare}/operations/`) && /operations\/[0-9A-F]{32}$/.test(u))).toBe(true)
    expect(completions(ns).some((c) => c['status'] === 'Completed')).toBe(true)
    expect(answers).toContain('Running')
    for (const r of callback.received) expect(E.isRight(decode(CommsNotifications, r.body))).toBe(true)
    for (const c of completions(ns)) {
      const op = decode(AnyOperation, c)
      expect(E.isRight(op) && op.right.status).toBe('completed')
    }
    expect(sim.stats().notifications.variants).toBeGreaterThan(0)
  })

  test('notificationLatencyMs delays the completion, answerLatencyMs the answer', async () => {
    const { sim, callback, callId } = await start(1, { notificationLatencyMs: [200, 200], answerLatencyMs: [100, 100] })
    const t0 = performance.now()
    await dtmf(sim, callId, 'slow')
    const answered = performance.now() - t0
    expect(answered).toBeGreaterThanOrEqual(95)
    expect(completions(callback.notifications())).toEqual([])
    await callback.waitFor((ns) => completions(ns).length === 1)
    expect(performance.now() - t0).toBeGreaterThanOrEqual(answered + 190)
  })
})

describe('operation faults', () => {
  test('failRate ends pending operations failed with a resultInfo, and final ones in their answer', async () => {
    const { sim, callback, callId } = await start(1, { failRate: 1 })
    await postGraph(sim.graphUrl, `${callId}/participants/alice/startHoldMusic`, { clientContext: 'f-hold' })
    const unmute = await postGraph(sim.graphUrl, `${callId}/unmute`, {})
    expect(unmute.status).toBe(200)
    expect(unmute.body).toMatchObject({ status: 'failed', resultInfo: simulatedFailureInfo })
    await sim.idle()
    expect(completions(callback.notifications())).toEqual([expect.objectContaining({ clientContext: 'f-hold', status: 'failed', resultInfo: expect.objectContaining(simulatedFailureInfo) })])
    expect(sim.holds(callId)).toEqual(E.right([]))
  })

  test('the same seed fails the same operations', async () => {
    const outcomes = async (): Promise<string[]> => {
      const { sim, callback, callId } = await start(9, { failRate: 0.5 }, { fresh: true })
      for (let i = 0; i < 16; i++) await dtmf(sim, callId, `o${i}`)
      await sim.idle()
      return completions(callback.notifications()).map((c) => `${String(c['clientContext'])}:${String(c['status'])}`)
    }
    const first = await outcomes()
    expect(first.some((o) => o.endsWith(':failed')) && first.some((o) => o.endsWith(':completed'))).toBe(true)
    expect(await outcomes()).toEqual(first)
  })

  test('inviteIdNull completes an invite in the documented form: "id": null on …/operations/participants', async () => {
    const { sim, callback, callId } = await start(1, { inviteIdNull: 1 })
    const res = await postGraph(sim.graphUrl, `${callId}/participants/invite`, {
      participants: [{ identity: { user: { id: 'u1', displayName: 'Dana' } } }],
      clientContext: 'invite-null',
    })
    expect(typeof res.body['id']).toBe('string')
    await sim.idle()
    const n = callback.notifications().find((x) => completions([x]).some((c) => c['clientContext'] === 'invite-null'))
    expect(n?.['resourceUrl']).toBe(`communications/calls/${callId}/operations/participants`)
    expect(completions([n ?? {}])[0]).toMatchObject({ id: null, status: 'completed', clientContext: 'invite-null' })
  })

  test('per-call faults override the simulator’s', async () => {
    const sim = await createSimulator({ seed: 1, faults: { throttleRate: 1, retryAfterSeconds: 0 } })
    opened.push(sim)
    const callback = await startCallbackServer()
    opened.push(callback)
    const calm = sim.createCall({ callbackUrl: callback.url, faults: { throttleRate: 0 } })
    const stormy = sim.createCall({ callbackUrl: callback.url })
    if (E.isLeft(calm) || E.isLeft(stormy)) throw new Error('createCall refused')
    expect((await dtmf(sim, calm.right.callId, 'calm')).status).toBe(200)
    expect((await dtmf(sim, stormy.right.callId, 'stormy')).status).toBe(429)
  })
})

test('bad options are refused at once with a clear message', async () => {
  await expect(createSimulator({ faults: { dropRate: 1.5 } })).rejects.toThrow(/dropRate/)
  await expect(createSimulator({ port: -1 })).rejects.toThrow(/port/)
  await expect(createSimulator({ faults: { answerLatencyMs: [10, 5] } })).rejects.toThrow(/answerLatencyMs/)
})
