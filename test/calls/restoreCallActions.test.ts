import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createCallOrchestrator, createGraphClient, createMemoryStore, type CallOrchestrator, type GraphClient } from '../../src/index.js'
import { canonicalId } from '../../src/domain/canonicalId.js'
import { requestIdFor } from '../../src/runtime/requestIdFor.js'
import type { Simulator } from '../../src/simulator/index.js'
import { agent, answerBody, startSim } from './callActionsRig.js'
import { right } from '../support/either.js'

// restore() and call actions (docs/reliability.md): instance A records a call action, sends it and
// dies before Graph's answer; B restores. A hang-up is resent with the same client-request-id and
// settles on the call's state; a transfer is not resent and settles OutcomeUnknown.

const until = async (predicate: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms
  while (!(await predicate())) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 5))
  }
}

let sim: Simulator
beforeAll(async () => {
  sim = await startSim(41)
})
afterAll(async () => {
  await sim.close()
})

describe('restore() and call actions whose answer was lost', () => {
  test('a hang-up is resent by the restoring instance; a transfer is not, and settles OutcomeUnknown', async () => {
    const store = createMemoryStore({ durable: true })
    const real = createGraphClient({ baseUrl: sim.graphUrl, getToken: async () => 'token', retry: { retries: 0 } })
    const never = () => () => new Promise<never>(() => {})
    // A's hang-ups and transfers leave and never hear back: A dies waiting.
    const hanging: GraphClient = { ...real, hangUp: never, transfer: never }
    const make = (client: GraphClient): CallOrchestrator =>
      createCallOrchestrator({ graph: { client }, store, notificationAuth: false, keepAlive: false, sweepIntervalMs: 100 })
    let target = make(hanging)
    const a = target
    // One webhook for both instances, as behind a balancer: Graph's notifications reach whoever is up.
    const server = http.createServer((req, res) => target.webhook(req, res))
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`
    let b: CallOrchestrator | undefined
    try {
      const ring = async () => {
        const call = right(sim.ring({ callbackUrl, caller: { displayName: 'Customer', id: 'caller-1' } }))
        await until(() => a.getCall(call.callId)?.state.startsWith('incoming') === true)
        expect(E.isRight(await a.answer({ callId: call.callId, body: answerBody }))).toBe(true)
        return call.callId
      }
      const first = await ring()
      const second = await ring()
      const sendingOf = async (callId: string) => Object.keys((await store.load(canonicalId(callId)))?.sending ?? {})
      void a.hangUp({ callId: first, clientContext: 'hangup-a' })
      void a.transfer({ callId: second, clientContext: 'transfer-a', body: { transferTarget: agent } })
      await until(async () => (await sendingOf(first)).includes('hangup-a') && (await sendingOf(second)).includes('transfer-a'))
      await a.close()
      expect(sim.requests().filter((r) => r.method === 'DELETE' || r.action === 'transfer')).toHaveLength(0)

      b = make(real)
      target = b
      expect(await b.restore()).toBeGreaterThanOrEqual(2)

      await until(async () => (await store.settlement(canonicalId(first), 'hangup-a')) !== undefined)
      expect((await store.settlement(canonicalId(first), 'hangup-a'))?.result).toMatchObject({ ok: true, outcome: { action: 'hangUp', state: 'terminated' } })
      const deletes = sim.requests().filter((r) => r.method === 'DELETE' && r.callId === first)
      expect(deletes.map((r) => r.clientRequestId)).toEqual([requestIdFor(canonicalId(first), 'hangup-a')])

      await until(async () => (await store.settlement(canonicalId(second), 'transfer-a')) !== undefined)
      expect((await store.settlement(canonicalId(second), 'transfer-a'))?.result).toMatchObject({ ok: false, error: { _tag: 'OutcomeUnknown', action: 'transfer' } })
      expect(sim.requests().filter((r) => r.action === 'transfer')).toHaveLength(0)
    } finally {
      await b?.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })
})
