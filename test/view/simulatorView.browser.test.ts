// `callops simulate --view` as a user meets it: no bot, the simulator's own calls played through its
// Graph and admin APIs over HTTP, the live view's page in a real browser.
import { afterAll, beforeAll, expect, test, vi } from 'vitest'
import type { Page } from 'playwright-core'
import { runSimulatorCli } from '../../src/simulator/index.js'
import { startCallbackServer, type CallbackServer } from '../simulator/callbackServer.js'
import { startBrowser, type Browser } from './browser.js'

const WAIT_MS = 15_000
vi.setConfig({ testTimeout: 60_000 })

let browser: Browser
let callback: CallbackServer
beforeAll(async () => {
  browser = await startBrowser()
  callback = await startCallbackServer()
})
afterAll(async () => {
  await browser.close()
  await callback.close()
})

const shows = async (page: Page, selector: string, text: string | RegExp): Promise<void> => {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: WAIT_MS })
}

const post = async (url: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer any' }, body: JSON.stringify(body) })
  const text = await r.text()
  return { status: r.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, unknown>) }
}

test('simulate --view shows the simulator’s call live: the hold taken, a refused hold and the release', async () => {
  const out: string[] = []
  const stop = new AbortController()
  const run = runSimulatorCli(['--seed', '17', '--notification-latency', '0-5', '--view', '--view-token', 'sim-view'], {
    stdout: (l) => out.push(l),
    stderr: (l) => out.push(l),
    signal: stop.signal,
  })
  try {
    await expect.poll(() => out.join('\n'), { timeout: WAIT_MS }).toMatch(/live view/)
    const banner = out.join('\n')
    const viewUrl = /live view\s+(\S+)/.exec(banner)?.[1] ?? ''
    const simUrl = /listening on (\S+)/.exec(banner)?.[1] ?? ''
    expect(viewUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=sim-view$/)

    const page = await browser.context.newPage()
    await page.goto(viewUrl)
    await shows(page, '#conn', 'live')

    const created = await post(`${simUrl}/_sim/calls`, { callbackUrl: callback.url, participants: [{ displayName: 'Alice' }, { displayName: 'Bob' }] })
    const callId = String(created.body['callId'])
    const [alice, bob] = (created.body['participants'] as { id: string }[]).map((p) => p.id)
    const action = (participant: string | undefined, name: string, clientContext: string) =>
      post(`${simUrl}/v1.0/communications/calls/${callId}/participants/${participant ?? ''}/${name}`, { clientContext })
    const row = `tr[data-call="${callId}"]`
    await shows(page, `${row} td.state`, 'established.hold.free')

    expect((await action(alice, 'startHoldMusic', 'hold-alice')).status).toBe(202)
    await shows(page, `${row} td.hold`, /Alice\s+held/)
    await page.locator('svg[data-machine="call"] g.st.current[data-path="established.hold.held"]').waitFor({ timeout: WAIT_MS })
    await shows(page, 'table.ops td.outcome', 'completed')

    // The simulator's single-hold rule refuses Bob's hold when it would begin: Graph's operation fails.
    expect((await action(bob, 'startHoldMusic', 'hold-bob')).status).toBe(202)
    await shows(page, 'li.hold-refused', /Bob refused at .*: Alice held the slot/)
    await shows(page, 'table.ops td.outcome', 'HoldConflict')
    await page.locator('figure[data-op="hold-bob"] svg[data-machine="operation"] g.st.current[data-path="failed.operationFailed"]').waitFor({ timeout: WAIT_MS })
    await shows(page, `${row} td.hold`, /Alice\s+held/)

    expect((await action(alice, 'stopHoldMusic', 'release-alice')).status).toBe(202)
    await shows(page, `${row} td.state`, 'established.hold.free')
    await shows(page, `${row} td.hold`, 'free')
    await shows(page, 'li.hold-seg', /Alice on hold \d\d:\d\d:\d\d\.\d{3} → \d\d:\d\d:\d\d\.\d{3} \(/)

    expect((await fetch(`${simUrl}/_sim/calls/${callId}`, { method: 'DELETE' })).status).toBe(200)
    await shows(page, `${row} td.state`, 'terminated')
    await page.close()
  } finally {
    stop.abort()
    expect(await run).toBe(0)
  }
})
