import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator, type OrchestratorEvent } from '../../src/index.js'
import { createGraphClient } from '../../src/graph/createGraphClient.js'
import { createNotificationSigner } from '../../src/simulator/createNotificationSigner.js'
import { startOpenIdServer, type OpenIdServer } from '../auth/openIdServer.js'
import { batch, operationNotification, terminated } from '../support/notifications.js'
import { capturingLogger, serialise, type CapturingLogger } from './capturingLogger.js'
import { LIVE, startGraphSide, startLiveWorld, type GraphSide, type LiveWorld } from './liveCalls.js'

// Recognisable values: any of them (or a long piece of one) found in the output is a leak.
const GRAPH_TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.graph-access-token-SECRET-7f3a9c.sig-4b1e8d2a'
const RECORDING_TOKEN = 'recording-access-token-SECRET-c0ffee-51b2'
const APP_ID = '8c1b2a5e-0c3f-4e7d-9a61-5f0d2c7ea11e'
const TENANT = '3f9d6c1a-7b2e-4d80-a5c4-0e1f2a3b4c5d'

let log: CapturingLogger
let graph: GraphSide
let world: LiveWorld
let openId: OpenIdServer
let authed: CallOrchestrator
let otherTenant: CallOrchestrator
let signer: Awaited<ReturnType<typeof createNotificationSigner>>
/** Everything callops handed back: results, subscriber events, HTTP answers. */
const returned: unknown[] = []
/** Every notification token used in the run. */
const jwts: string[] = []

beforeAll(async () => {
  log = capturingLogger()
  graph = await startGraphSide(async () => GRAPH_TOKEN)
  world = await startLiveWorld(graph, { logger: log.logger })
  world.orchestrator.subscribe((e: OrchestratorEvent) => returned.push(e))
  signer = await createNotificationSigner({ issuer: 'https://api.botframework.com', appId: APP_ID, tenantId: TENANT }, 'kid-1')
  openId = await startOpenIdServer(signer.jwks)
  const graphOptions = { client: graph.client }
  authed = createCallOrchestrator({ graph: graphOptions, notificationAuth: { appId: APP_ID, openIdConfigUrl: openId.metadataUrl }, logger: log.logger })
  otherTenant = createCallOrchestrator({
    graph: graphOptions,
    notificationAuth: { appId: APP_ID, openIdConfigUrl: openId.metadataUrl, tenantIds: ['00000000-0000-4000-8000-000000000000'] },
    logger: log.logger,
  })
})
afterAll(async () => {
  await authed.close()
  await otherTenant.close()
  await world.close()
  await openId.close()
  await graph.close()
})

const json = { 'content-type': 'application/json' }

describe('a run full of secrets', () => {
  it('sends the Graph token on every request (so it was there to leak)', () => {
    expect(graph.standIn.requests.length).toBeGreaterThanOrEqual(4)
    expect(graph.standIn.requests.every((r) => r.headers['authorization'] === `Bearer ${GRAPH_TOKEN}`)).toBe(true)
  })

  it('completes a recordResponse with the recordingAccessToken in its result, and logs the operation without it', async () => {
    const done = operationNotification({
      callId: LIVE.record.callId,
      operationId: LIVE.record.operationId,
      clientContext: LIVE.record.clientContext,
      odataType: '#microsoft.graph.recordOperation',
    })
    const data = done['resourceData'] as Record<string, unknown>
    done['resourceData'] = { ...data, recordingLocation: 'https://media.example/rec/1', recordingAccessToken: RECORDING_TOKEN, completionReason: 'maxRecordDurationReached' }
    const r = await world.orchestrator.handleNotification(JSON.stringify(batch(done)), json)
    returned.push(r)
    expect(r.status).toBe(202)
    const recorded = await world.pending.record
    returned.push(recorded)
    expect(E.isRight(recorded) && recorded.right.recordingLocation).toBe('https://media.example/rec/1')
    // The bot needs the token to fetch the recording: the result is the one place it is handed out.
    expect(E.isRight(recorded) && recorded.right.recordingAccessToken).toBe(RECORDING_TOKEN)
    const aboutRecord = log.entries.filter((e) => e.obj['clientContext'] === LIVE.record.clientContext)
    expect(aboutRecord.map((e) => e.msg)).toContain('operation ended')
    for (const e of aboutRecord) expect(serialise(e)).not.toContain(RECORDING_TOKEN)
    // A notification that fails to decode, with the token in it, is refused alone (and logged) without echoing it.
    done['resourceData'] = { ...data, status: 'exploded', recordingAccessToken: RECORDING_TOKEN }
    const refused = await world.orchestrator.handleNotification(JSON.stringify(batch(done)), json)
    returned.push(refused)
    expect(refused.status).toBe(202)
    expect(log.entries.some((e) => e.level === 'warn' && e.obj['path'] === 'value.0.resourceData.status')).toBe(true)
  })

  it('runs into Graph error answers and a network error', async () => {
    const answers = [
      { status: 401, body: { error: { code: 'InvalidAuthenticationToken', message: 'Access token validation failure.' } } },
      { status: 403, body: { error: { code: 'Forbidden', message: 'Application does not have permission.' } } },
      { status: 500, body: 'upstream failure' },
      { status: 400, body: { error: { code: 'BadRequest', message: 'Bad request.' } } },
    ]
    for (const answer of answers) {
      graph.standIn.respond = () => answer
      const r = await world.orchestrator.subscribeToTone({ callId: LIVE.roster.callId })
      returned.push(r)
      expect(E.isLeft(r) && r.left._tag).toBe('Http')
    }
    const gone = http.createServer()
    await new Promise<void>((resolve) => gone.listen(0, '127.0.0.1', resolve))
    const { port } = gone.address() as AddressInfo
    await new Promise<void>((resolve) => gone.close(() => resolve()))
    const unreachable = createGraphClient({ baseUrl: `http://127.0.0.1:${port}/v1.0`, getToken: async () => GRAPH_TOKEN, retry: { retries: 1, minDelayMs: 1, maxDelayMs: 2 } })
    const r = await unreachable.unmute({ callId: LIVE.roster.callId, clientContext: 'unreachable-1' })()
    returned.push(r)
    expect(E.isLeft(r) && r.left._tag).toBe('Http')
    await unreachable.close()
  })

  it('authenticates signed notifications and refuses forged, other-tenant and unverifiable ones', async () => {
    const valid = await signer.sign()
    jwts.push(valid)
    const body = JSON.stringify(batch(terminated('e0000000-0000-4000-8000-00000000000e')))
    const at = (o: CallOrchestrator, token: string) => o.handleNotification(body, { ...json, authorization: `Bearer ${token}` })
    const answers = [
      await at(authed, valid),
      await at(authed, `${valid.slice(0, valid.lastIndexOf('.') + 1)}${'A'.repeat(342)}`),
      await at(authed, `${valid}x`),
      await at(otherTenant, valid),
    ]
    expect(answers.map((a) => a.status)).toEqual([202, 401, 401, 403])
    openId.setMode('status500')
    const unverifiable = createCallOrchestrator({ graph: { client: graph.client }, notificationAuth: { appId: APP_ID, openIdConfigUrl: openId.metadataUrl }, logger: log.logger })
    answers.push(await at(unverifiable, valid))
    expect(answers[4]?.status).toBe(503)
    openId.setMode('ok')
    await unverifiable.close()
    returned.push(...answers)
    // The refusals were logged: the scan below reads real log lines.
    expect(log.entries.some((e) => e.level === 'warn' && e.obj['status'] === 403)).toBe(true)
    expect(log.entries.some((e) => e.level === 'debug' && e.obj['status'] === 401)).toBe(true)
  })
})

describe('the secrets of that run', () => {
  /** The secrets, and long pieces of them (a log line might cut a token). */
  const needles = (): string[] => {
    const secrets = [GRAPH_TOKEN, RECORDING_TOKEN, ...jwts, ...jwts.map((t) => t.split('.')[2] ?? '')]
    return secrets.flatMap((s) => [s, s.slice(0, 24), s.slice(-24)]).filter((s) => s.length >= 20)
  }

  it('appear in no log line, at any level', () => {
    expect(log.entries.length).toBeGreaterThan(5)
    const text = log.text()
    for (const needle of needles()) expect(text, needle).not.toContain(needle)
  })

  it('appear in no value callops returned (results, errors, subscriber events, HTTP answers) but the recordingAccessToken field itself', () => {
    expect(returned.length).toBeGreaterThan(10)
    // The recordResponse's operation carries its token by design (in its result and its `settled` event).
    const text = serialise(JSON.parse(serialise(returned), (k, v: unknown) => (k === 'recordingAccessToken' ? undefined : v)))
    for (const needle of needles()) expect(text, needle).not.toContain(needle)
  })

  it('the scan can see a leak: the same secrets written into a log line are found', () => {
    const leaky = capturingLogger()
    leaky.logger.debug({ headers: { authorization: `Bearer ${GRAPH_TOKEN}` }, err: new Error(`token ${RECORDING_TOKEN}`) })
    const text = leaky.text()
    expect(text).toContain(GRAPH_TOKEN)
    expect(text).toContain(RECORDING_TOKEN)
  })
})
