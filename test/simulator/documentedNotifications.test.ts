import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { SimulatorFaults } from '../../src/simulator/index.js'
import { docsFixtures } from '../graph/docsFixtures.js'
import { right } from '../support/either.js'
import { serviceHosted, startWholeCallRig } from './wholeCallRig.js'
import type { WholeCallRig } from './wholeCallRig.js'

// Every call-state notification the simulator posts for a whole-call request is one the request's
// Graph page prints: the same changeType, state, resultInfo code and subcode (or subCode) and
// terminationReason.

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** `changeType|state|code|subcode|terminationReason` of a call notification; codes compared as text. */
const signature = (n: Record<string, unknown>): string => {
  const data = isRecord(n['resourceData']) ? n['resourceData'] : {}
  const r = isRecord(data['resultInfo']) ? data['resultInfo'] : undefined
  const sub = r === undefined ? undefined : (r['subcode'] ?? r['subCode'])
  return [n['changeType'], data['state'] ?? '-', r?.['code'] ?? '-', sub ?? '-', data['terminationReason'] ?? '-'].map(String).join('|')
}

const isCallUrl = (url: unknown): boolean => typeof url === 'string' && /\/calls\/[^/]+$/.test(url)

/** The signatures of every call-state notification a page prints. */
const documented = (action: string): Set<string> =>
  new Set(
    docsFixtures([action])
      .filter((f) => f.kind === 'notification')
      .flatMap((f) => (isRecord(f.body) && Array.isArray(f.body['value']) ? f.body['value'].filter(isRecord) : []))
      .filter((n) => isCallUrl(n['resourceUrl'] ?? n['resource']))
      .map(signature),
  )

let rig: WholeCallRig
beforeAll(async () => {
  rig = await startWholeCallRig(23)
})
afterAll(() => rig.close())

const media = serviceHosted
const agent = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } }

/** The signatures the simulator posted for `callId`, after the first `skip` of them, once `count` arrived. */
const posted = async (callId: string, count: number, skip = 0): Promise<string[]> => {
  const of = (): Record<string, unknown>[] => rig.callback.notifications().filter((n) => n['resourceUrl'] === `/communications/calls/${callId}`)
  await rig.callback.waitFor(() => of().length >= count)
  await rig.sim.idle()
  return of().slice(skip).map(signature)
}

const rung = (): string => right(rig.sim.ring({ callbackUrl: rig.callback.url })).callId
const live = (faults?: SimulatorFaults): string => right(rig.sim.createCall({ callbackUrl: rig.callback.url, ...(faults === undefined ? {} : { faults }) })).callId

describe('the simulator posts the call-state notifications the Graph pages print', () => {
  test.each([
    ['answer', 'answer', async () => {
      const id = rung()
      right(await rig.graph.answer(id, { acceptedModalities: ['audio'], mediaConfig: media })())
      return posted(id, 3)
    }],
    ['reject', 'reject', async () => {
      const id = rung()
      right(await rig.graph.reject(id, { reason: 'busy' })())
      return posted(id, 2)
    }],
    ['redirect', 'redirect', async () => {
      const id = rung()
      right(await rig.graph.redirect(id, { targets: [agent] })())
      return posted(id, 2)
    }],
    ['an outgoing call', 'createCall', async () => {
      const { callId } = right(await rig.graph.createCall({ targets: [agent], mediaConfig: media, callbackUri: rig.callback.url })())
      return posted(callId, 2)
    }],
    ['a blind transfer', 'transfer', async () => {
      const id = live()
      right(await rig.graph.transfer(id, { transferTarget: agent })())
      return posted(id, 4, 1)
    }],
    ['a consultative transfer', 'transfer', async () => {
      const id = live()
      right(await rig.graph.transfer(id, { transferTarget: { ...agent, replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d' } })())
      return posted(id, 4, 1)
    }],
    ['a failing blind transfer', 'transfer', async () => {
      const id = live({ transferFailRate: 1 })
      right(await rig.graph.transfer(id, { transferTarget: agent })())
      return posted(id, 3, 1)
    }],
    ['a failing consultative transfer', 'transfer', async () => {
      const id = live({ transferFailRate: 1 })
      right(await rig.graph.transfer(id, { transferTarget: { ...agent, replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d' } })())
      return posted(id, 3, 1)
    }],
    ['DELETE of the call', 'deleteCall', async () => {
      const id = live({ stringResultCodes: 0.5 })
      right(await rig.graph.hangUp(id)())
      return posted(id, 3, 1)
    }],
  ] as const)('%s (%s page)', async (_, page, play) => {
    const seen = await play()
    expect(seen.length).toBeGreaterThan(0)
    const printed = documented(page)
    expect(seen.filter((s) => !printed.has(s))).toEqual([])
  })
})
