import { execFile } from 'node:child_process'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { createCallOrchestrator, type CallOrchestrator } from '../../src/index.js'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { createNotificationHandler } from '../../src/notifications/createNotificationHandler.js'
import { capturingLogger } from '../security/capturingLogger.js'
import { callTerminated, notificationBatch, rosterUpdated } from '../../src/testing/graphNotifications.js'

// The client runs in its own process: this one is frozen while the blocking listener runs, so only
// another process can tell when Graph would have had its answer.
const run = promisify(execFile)
const CLIENT = `
const t = Date.now()
fetch(process.argv[1], { method: 'POST', headers: { 'content-type': 'application/json' }, body: process.argv[2] })
  .then((r) => console.log(JSON.stringify({ status: r.status, ms: Date.now() - t })))
`

const noGraph = { send: () => () => new Promise(() => undefined), keepAlive: () => () => new Promise(() => undefined), close: async () => undefined } as unknown as GraphClient
const CALL = '21111111-2222-3333-4444-555555555555'
const BLOCK_MS = 1_500

let server: Server | undefined
let orchestrator: CallOrchestrator | undefined
afterEach(async () => {
  await new Promise((r) => server?.close(r) ?? r(undefined))
  await orchestrator?.close()
})

describe('the webhook answers Graph before bot code hears of the notification', () => {
  it('a listener that blocks for 1.5 s does not delay the 2xx, and still hears every event afterwards', async () => {
    orchestrator = createCallOrchestrator({ graph: { client: noGraph }, notificationAuth: false, keepAlive: false, logger: silentLogger })
    const heard: string[] = []
    orchestrator.subscribe((e) => {
      heard.push(e.type)
      const until = Date.now() + BLOCK_MS
      while (Date.now() < until) {
        // bot code doing something slow and synchronous
      }
    })
    server = createServer(orchestrator.webhook)
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const body = JSON.stringify(notificationBatch(rosterUpdated(CALL, [{ id: 'p-alice', displayName: 'Alice' }]), callTerminated(CALL)))
    const { stdout } = await run(process.execPath, ['-e', CLIENT, url, body])
    const answer = JSON.parse(stdout) as { status: number; ms: number }
    expect(answer.status).toBe(202)
    expect(answer.ms).toBeLessThan(BLOCK_MS / 2)
    expect(heard).toEqual(expect.arrayContaining(['transition', 'participantJoined', 'callState', 'terminated']))
  }, 30_000)

  it('the 2xx is written before the batch is applied: applying it for 1.5 s does not delay the answer', async () => {
    const applied: number[] = []
    const handler = createNotificationHandler({
      auth: undefined,
      logger: silentLogger,
      dispatch: (events) => {
        const until = Date.now() + BLOCK_MS
        while (Date.now() < until) {
          // a batch whose calls take long to apply
        }
        applied.push(events.length)
      },
    })
    server = createServer(handler.webhook)
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const { stdout } = await run(process.execPath, ['-e', CLIENT, url, JSON.stringify(notificationBatch(callTerminated(CALL)))])
    const answer = JSON.parse(stdout) as { status: number; ms: number }
    expect(answer.status).toBe(202)
    expect(answer.ms).toBeLessThan(BLOCK_MS / 2)
    expect(applied).toEqual([1])
  }, 30_000)

  it('a batch that throws while applied is logged; the webhook has answered 202, handleNotification answers 400', async () => {
    const log = capturingLogger()
    const handler = createNotificationHandler({
      auth: undefined,
      logger: log.logger,
      dispatch: () => {
        throw new Error('a bug while applying')
      },
    })
    server = createServer(handler.webhook)
    await new Promise<void>((r) => server?.listen(0, '127.0.0.1', r))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
    const body = JSON.stringify(notificationBatch(callTerminated(CALL)))
    const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(r.status).toBe(202)
    expect(log.entries.filter((e) => e.msg === 'notification handling failed')).toHaveLength(1)
    const direct = await handler.handleNotification(body, { 'content-type': 'application/json' })
    expect(direct.status).toBe(400)
    expect(log.entries.filter((e) => e.msg === 'notification handling failed')).toHaveLength(2)
  })
})
