import * as E from 'fp-ts/lib/Either.js'
import { afterEach, describe, expect, it } from 'vitest'
import { controlledClock } from '../support/controlledClock.js'
import { batch, operationNotification, post, rosterUpdated, terminated } from '../support/notifications.js'
import { startHarness, until, type Harness } from './harness.js'

const CALL = 'aaaaaaaa-90fd-455d-858b-b48a40b9cc8d'

let h: Harness | undefined
afterEach(async () => {
  await h?.close()
  h = undefined
})

describe('notification pipeline', () => {
  it('applies the rest of a batch when one notification does not decode, and logs that one with its path', async () => {
    const warnings: { obj: Record<string, unknown>; msg: string | undefined }[] = []
    const logger = { debug: () => undefined, info: () => undefined, error: () => undefined, warn: (obj: Record<string, unknown>, msg?: string) => void warnings.push({ obj, msg }) }
    h = await startHarness({ logger })
    const pending = h.orchestrator.playPrompt({ callId: CALL, clientContext: 'p1', prompts: [{ mediaInfo: { uri: 'https://x/p.wav' } }] })
    await until(() => h!.orchestrator.getCall(CALL)?.operations[0]?.state === 'running')
    const good = operationNotification({ callId: CALL, operationId: null, clientContext: 'p1' })
    const bad = { ...operationNotification({ callId: CALL, operationId: 'x' }), resourceData: { status: 42 } }
    const r = await post(h.webhookUrl, batch(bad, good))
    expect(r.status).toBe(202)
    expect(E.isRight(await pending)).toBe(true)
    expect(warnings).toContainEqual({ obj: expect.objectContaining({ path: 'value.0.resourceData.status' }), msg: expect.stringContaining('notification refused') })
  })

  it('answers 400 to a body that is no notification envelope at all, with the io-ts path', async () => {
    h = await startHarness()
    const r = await post(h.webhookUrl, { value: 'not a list' })
    expect(r.status).toBe(400)
    expect(JSON.parse(r.text)).toMatchObject({ error: { code: 'BadRequest', path: 'value' } })
  })

  it('answers 204 to a legacy-format (Skype calling) notification, which Graph then sends again in its own format', async () => {
    h = await startHarness()
    const legacy = { id: '0b022b87-f255-4667-9335-2335f30ee8de', participants: [{ identity: '29:1kMG', languageId: 'en-US', originator: true }], isMultiparty: false, presentedModalityTypes: ['audio'], callState: 'incoming' }
    const r = await post(h.webhookUrl, legacy)
    expect(r).toEqual({ status: 204, text: '' })
    expect(h.orchestrator.stats().calls).toBe(0)
  })

  it('answers 415 to a body that is not JSON and 400 to broken JSON', async () => {
    h = await startHarness()
    const res = await fetch(h.webhookUrl, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hello' })
    expect(res.status).toBe(415)
    expect((await post(h.webhookUrl, '{"value": [')).status).toBe(400)
    const direct = await h.orchestrator.handleNotification('{}', { 'content-type': 'application/json' })
    expect(direct.status).toBe(400)
  })

  it('answers 405 with Allow: POST to any other method, so a GET health check is not told about JSON', async () => {
    h = await startHarness()
    for (const method of ['GET', 'HEAD', 'PUT', 'DELETE']) {
      const res = await fetch(h.webhookUrl, { method })
      expect(res.status, method).toBe(405)
      expect(res.headers.get('allow'), method).toBe('POST')
    }
    const body = await (await fetch(h.webhookUrl)).json()
    expect(body).toEqual({ error: { code: 'MethodNotAllowed', message: 'expected POST' } })
  })

  it('answers 413 above the configured size and batch bounds', async () => {
    h = await startHarness({ maxBodyBytes: 2_000, maxNotificationsPerBatch: 2 })
    expect((await post(h.webhookUrl, batch(rosterUpdated(CALL, [{ id: 'p', name: 'x'.repeat(3_000) }])))).status).toBe(413)
    const three = batch(terminated('c1'), terminated('c2'), terminated('c3'))
    expect((await post(h.webhookUrl, three)).status).toBe(413)
  })

  it('acknowledges and counts notifications of unknown calls and operations, and never throws', async () => {
    h = await startHarness()
    const r = await post(h.webhookUrl, batch(operationNotification({ callId: CALL, operationId: 'nobody' }), terminated('unknown-call')))
    expect(r.status).toBe(202)
    expect(h.orchestrator.stats().unmatchedNotifications).toBe(2)
    expect(h.orchestrator.getCall('unknown-call')).toBeUndefined()
  })

  it('learns the roster from notifications, normalising the legacy /app/calls form', async () => {
    h = await startHarness()
    const note = { ...rosterUpdated(CALL, [{ id: 'p1', name: 'Ann', isMuted: true }]), resourceUrl: `/app/calls/${CALL}/participants` }
    expect((await post(h.webhookUrl, batch(note))).status).toBe(202)
    expect(h.orchestrator.getCall(CALL)?.roster).toEqual([
      { id: 'p1', displayName: 'Ann', isMuted: true, isInLobby: false, identity: [{ kind: 'user', displayName: 'Ann' }] },
    ])
  })

  it('drops an ended call from memory after the retention period', async () => {
    const clock = controlledClock()
    h = await startHarness({ clock, endedCallRetentionMs: 10_000 })
    h.orchestrator.registerCall({ callId: CALL })
    await post(h.webhookUrl, batch(terminated(CALL)))
    expect(h.orchestrator.getCall(CALL)?.state).toBe('terminated')
    clock.advance(9_999)
    expect(h.orchestrator.getCall(CALL)).toBeDefined()
    clock.advance(1)
    expect(h.orchestrator.getCall(CALL)).toBeUndefined()
    expect(h.orchestrator.stats().calls).toBe(0)
  })
})
