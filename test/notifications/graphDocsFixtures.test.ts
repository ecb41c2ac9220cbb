import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { readFileSync, readdirSync } from 'node:fs'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AnyOperation } from '../../src/codecs/CommsOperation.js'
import { decodeShaped } from '../../src/codecs/decode.js'
import { toOperationReport } from '../../src/codecs/toOperationReport.js'
import type { CallNotice } from '../../src/domain/CallNotice.js'
import { actionCatalog } from '../../src/graph/actionCatalog.js'
import { createNotificationHandler, type NotificationHandler } from '../../src/notifications/createNotificationHandler.js'
import type { RoutedEvent } from '../../src/notifications/toCallEvents.js'
import { controlledClock } from '../support/controlledClock.js'
import { post } from '../support/notifications.js'
import { capturingLogger } from '../security/capturingLogger.js'
import { startHarness, until } from '../orchestrator/harness.js'

/**
 * Every example Microsoft's Graph pages print (test/fixtures/graph-docs, a copy of
 * ../shared/graph-docs-fixtures; its README explains the fields), played against callops: each
 * notification POSTed to a real webhook on a loopback port, each answer of a catalog action through
 * the answer codec. Nothing documented is refused, and the events are the ones the pages describe.
 */

interface Fixture {
  readonly name: string
  readonly kind: 'request' | 'response' | 'notification'
  readonly action: string
  readonly heading: string
  readonly status?: number
  readonly body: unknown
}

const dir = new URL('../fixtures/graph-docs/', import.meta.url)
const all: readonly Fixture[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((name) => ({ name, ...(JSON.parse(readFileSync(new URL(name, dir), 'utf8')) as Omit<Fixture, 'name'>) }))
const notifications = all.filter((f) => f.kind === 'notification')
const byName = (name: string): Fixture => {
  const f = all.find((x) => x.name === name)
  if (f === undefined) throw new Error(`no fixture ${name}`)
  return f
}

const clock = controlledClock()
const log = capturingLogger()
let batches: RoutedEvent[][] = []
let handler: NotificationHandler
let server: http.Server
let url: string

beforeAll(async () => {
  handler = createNotificationHandler({ auth: undefined, dispatch: (events) => void batches.push([...events]), logger: log.logger, clock })
  server = http.createServer(handler.webhook)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
})
afterAll(async () => {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
})

/** POSTs a fixture's body to the webhook; the events it dispatched and the answer. */
const play = async (name: string): Promise<{ status: number; events: readonly CallNotice[]; refused: number }> => {
  batches = []
  const refusedBefore = handler.stats().refusedNotifications
  const r = await post(url, byName(name).body)
  return { status: r.status, events: batches.flat().map((e) => e.event), refused: handler.stats().refusedNotifications - refusedBefore }
}

/** Roster notifications whose every participant has `"id": null` (the invite pages): no event, by design. */
const onlyUnnamedParticipants = (f: Fixture): boolean => {
  const value = (f.body as { value: { resourceData?: unknown }[] }).value
  return value.every((n) => Array.isArray(n.resourceData) && n.resourceData.every((p: { id?: unknown }) => p.id === null))
}

describe('every notification the Graph pages print', () => {
  it('has the 137 notification examples', () => {
    expect(notifications).toHaveLength(137)
  })

  it.each(notifications.map((f) => f.name))('%s is accepted whole, and tells its call something', async (name) => {
    const r = await play(name)
    expect(r.status).toBe(202)
    expect(r.refused).toBe(0)
    if (onlyUnnamedParticipants(byName(name))) expect(r.events).toEqual([])
    else expect(r.events.length).toBeGreaterThan(0)
  })

  it('left nothing logged as refused', () => {
    expect(log.entries.filter((e) => e.level === 'warn' || e.level === 'error')).toEqual([])
  })
})

describe('what the lifecycle pages describe', () => {
  it('an incoming call (call-answer) rings the bot with the caller, the callee and a deadline 15 s after it arrived', async () => {
    const r = await play('docs2021-v1.0-answer-g1-03-notification.json')
    expect(r.events).toEqual([
      {
        type: 'call.incoming',
        incoming: {
          callId: '57dab8b1-894c-409a-b240-bd8beae78896',
          caller: [{ kind: 'user', id: '8A34A46B-3D17-4ADC-8DCE-DC4E7D572698', displayName: 'Test User' }],
          callees: [[{ kind: 'application', id: '8A34A46B-3D17-4ADC-8DCE-DC4E7D572698', displayName: 'Test BOT' }]],
          direction: 'incoming',
          answerDeadline: clock.now() + 15_000,
        },
      },
    ])
  })

  it('the deadline runs from when the webhook got the POST, on the injected clock', async () => {
    clock.advance(60_000)
    const r = await play('contrib-beta-commsNotificationsResource-g1-01-notification.json')
    expect(r.events).toMatchObject([{ type: 'call.incoming', incoming: { callId: 'f13f9755-9b05-4f27-b8a9-b071ed29c731', caller: [], callees: [], answerDeadline: clock.now() + 15_000 } }])
  })

  it.each(['docs2021-v1.0-answer-g3-13-notification.json', 'docs2021-beta-answer-g2-12-notification.json'])(
    'a policy-based recording invite (%s) must be answered within 5 s, and carries its context and meeting',
    async (name) => {
      const r = await play(name)
      expect(r.events).toEqual([
        {
          type: 'call.incoming',
          incoming: {
            callId: 'e71f0300-9c1f-4d99-b5f4-2722e877d497',
            caller: [{ kind: 'user', id: '8A34A46B-3D17-4ADC-8DCE-DC4E7D572698' }],
            callees: [[{ kind: 'applicationInstance', id: '832899f8-2ea1-4604-8413-27bd2892079f' }]],
            direction: 'incoming',
            incomingContext: { sourceParticipantId: '30fad2ce-8989-41a1-8a66-f6636e629a2a', observedParticipantId: '30fad2ce-8989-41a1-8a66-f6636e629a2a' },
            meetingInfo: { '@odata.type': '#microsoft.graph.tokenMeetingInfo', token: 'join token' },
            answerDeadline: clock.now() + 5_000,
          },
        },
      ])
    },
  )

  it('call-delete: terminating, then terminated with the string codes read as numbers (200/5001)', async () => {
    expect((await play('contrib-v1.0-deleteCall-g1-03-notification.json')).events).toEqual([{ type: 'call.updated', state: 'terminating' }])
    expect((await play('contrib-v1.0-deleteCall-g1-04-notification.json')).events).toEqual([
      { type: 'call.terminated', detail: { resultInfo: { code: 200, subcode: 5001, message: 'The conversation has ended.' } } },
    ])
    expect((await play('docs2021-v1.0-deleteCall-g1-04-notification.json')).events).toEqual([{ type: 'call.terminated', detail: { resultInfo: { code: 0 } } }])
  })

  it('call-transfer: a failed transfer returns to established with its resultInfo (subCode read as subcode)', async () => {
    expect((await play('docs2021-v1.0-transfer-g1-03-notification.json')).events).toEqual([{ type: 'call.updated', state: 'transferring' }])
    expect((await play('docs2021-v1.0-transfer-g1-04-notification.json')).events).toEqual([{ type: 'call.updated', state: 'transferaccepted' }])
    expect((await play('docs2021-v1.0-transfer-g1-05-notification.json')).events).toEqual([
      { type: 'call.terminated', detail: { resultInfo: { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' } } },
    ])
    expect((await play('docs2021-v1.0-transfer-g1-06-notification.json')).events).toEqual([
      { type: 'call.updated', state: 'established', detail: { resultInfo: { code: 500, subcode: 7000, message: '<message>' } } },
    ])
    expect((await play('docs2021-v1.0-transfer-g2-11-notification.json')).events).toEqual([{ type: 'call.terminated', detail: { terminationReason: 'AppTransferred' } }])
  })

  it('call-reject: the call is deleted without a state; call-redirect: terminated', async () => {
    expect((await play('docs2021-v1.0-reject-g2-06-notification.json')).events).toEqual([{ type: 'call.terminated' }])
    expect((await play('docs2021-v1.0-redirect-g3-11-notification.json')).events).toEqual([{ type: 'call.terminated' }])
  })

  it('subscribeToTone: each key comes as a call update with its tone and sequenceId', async () => {
    expect((await play('contrib-v1.0-subscribeToTone-g1-03-notification.json')).events).toEqual([
      { type: 'call.updated', state: 'established', tone: { tone: 'tone1', sequenceId: 1 } },
    ])
  })

  it('an invite roster with "id": null participants is accepted; those participants are left out, named ones kept with their identity', async () => {
    expect(await play('contrib-v1.0-inviteParticipants-g1-04-notification.json')).toEqual({ status: 202, events: [], refused: 0 })
    expect(await play('docs2021-v1.0-inviteParticipants-g2-08-notification.json')).toEqual({ status: 202, events: [], refused: 0 })
    const roster = await play('docs2021-v1.0-createCall-g3-13-notification.json')
    expect(roster.events).toEqual([
      {
        type: 'roster.updated',
        participants: [
          { id: '0d7664b6-6432-43ed-8d27-d9e7adec188c', displayName: 'John', isMuted: true, isInLobby: false, identity: [{ kind: 'user', id: '112f7296-5fa4-42ca-bae8-6a692b15d4b8', displayName: 'John' }] },
          { id: '05491616-385f-44a8-9974-18cc5f9933c1', displayName: 'Calling Bot', isMuted: false, isInLobby: false, identity: [{ kind: 'application', id: '2891555a-92ff-42e6-80fa-6e1300c6b5c6', displayName: 'Calling Bot' }] },
        ],
        // It lists the bot: the whole roster (a participant missing from it has left).
        full: true,
      },
    ])
  })

  it('older formats with resource and no resourceUrl reach their call (historical record page, comms-samples article)', async () => {
    expect((await play('contrib-beta-recordResponse-g1-03-notification.json')).events).toEqual([
      {
        type: 'notification.operation',
        report: {
          id: '0fe0623f-d628-42ed-b4bd-8ac290072cc5',
          status: 'completed',
          clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c',
          completionReason: 'stopToneDetected',
          recordingLocation: 'https://file.location/17e3b46c-f61d-4f4d-9635-c626ef18e6ad',
          recordingAccessToken: '<access-token>',
        },
      },
    ])
    expect((await play('samples-beta-callingNotificationsArticle-g1-01-notification.json')).events).toEqual([{ type: 'call.updated', state: 'established' }])
  })

  it('sendDtmfTones: success is completed; "Error case 2" (completed, completionReason unknown) is reported failed', async () => {
    const reportOf = async (name: string) => ((await play(name)).events[0] as Extract<CallNotice, { type: 'notification.operation' }>).report
    expect(await reportOf('contrib-v1.0-sendDtmfTones-g1-03-notification.json')).toMatchObject({ status: 'completed', completionReason: 'completedSuccessfully' })
    // Error case 1 stays completed: the operation machine treats a cancellation as unsuccessful.
    expect(await reportOf('contrib-v1.0-sendDtmfTones-g1-04-notification.json')).toMatchObject({ status: 'completed', completionReason: 'mediaOperationCanceled' })
    expect(await reportOf('contrib-v1.0-sendDtmfTones-g1-05-notification.json')).toMatchObject({ status: 'failed', completionReason: 'unknown' })
  })
})

describe('the outcomes a bot sees', () => {
  it.each([
    ['contrib-v1.0-sendDtmfTones-g1-03-notification.json', true],
    ['contrib-v1.0-sendDtmfTones-g1-04-notification.json', false],
    ['contrib-v1.0-sendDtmfTones-g1-05-notification.json', false],
  ] as const)('sendDtmfTones ended by %s resolves ok=%s', async (name, ok) => {
    const h = await startHarness()
    try {
      const callId = '481f3600-983e-4276-9b59-c1b30ec8d125'
      const pending = h.orchestrator.sendDtmfTones({ callId, clientContext: 'e0be71f1-a14f-4cec-b65a-e7aba5db7c53', tones: ['tone1'] })
      await until(() => h.orchestrator.getCall(callId)?.operations[0]?.state === 'running')
      expect((await post(h.webhookUrl, byName(name).body)).status).toBe(202)
      const r = await pending
      expect(E.isRight(r)).toBe(ok)
      if (E.isLeft(r)) expect(r.left._tag).toBe('OperationFailed')
    } finally {
      await h.close()
    }
  })
})

describe('every answer of a catalog action the Graph pages print', () => {
  const answers = all.filter((f) => f.kind === 'response' && Object.prototype.hasOwnProperty.call(actionCatalog, f.action))

  it('has the answers of the 13 catalog actions', () => {
    expect(new Set(answers.map((f) => f.action))).toEqual(new Set(Object.keys(actionCatalog)))
  })

  it.each(answers.map((f) => f.name))('%s decodes, with the status it prints', (name) => {
    const f = byName(name)
    const body = f.body === null || f.body === '' ? {} : f.body
    const op = decodeShaped(AnyOperation, body)
    if (E.isLeft(op)) throw new Error(op.left.message)
    const printed = (body as { status?: string }).status
    const report = toOperationReport(op.right)
    if (printed === undefined) expect(report.status).toBeUndefined()
    else expect(report.status?.toLowerCase()).toBe(printed.toLowerCase())
  })
})
