import { mkdirSync } from 'node:fs'
import net from 'node:net'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect, test, vi } from 'vitest'
import { startBrowser, type Browser } from './browser.js'
import { startViewHarness, type ViewHarness } from './viewHarness.js'

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const SCREENSHOT = join(repo, 'docs', 'images', 'live-view.png')

let browser: Browser
let h: ViewHarness | undefined
beforeAll(async () => {
  browser = await startBrowser()
})
afterAll(async () => {
  await browser.close()
})
afterEach(async () => {
  for (const p of browser.context.pages()) await p.close()
  await h?.close()
  h = undefined
})

// Generous: the suite shares two cores with chromium and the chaos tests. A pass takes a few seconds.
const WAIT_MS = 15_000
vi.setConfig({ testTimeout: 60_000 })

const until = async (predicate: () => boolean, ms = 30_000): Promise<void> => {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error('timed out waiting')
    await new Promise((r) => setTimeout(r, 5))
  }
}

/** Waits until the element shows `text` (a page redraws at most five times a second). */
const shows = async (page: Page, selector: string, text: string | RegExp): Promise<void> => {
  await page.locator(selector).filter({ hasText: text }).first().waitFor({ timeout: WAIT_MS })
}

/** Opens the page and waits until its stream is connected, recording every URL it asks for. */
const open = async (url: string): Promise<{ page: Page; requested: string[] }> => {
  const page = await browser.context.newPage()
  const requested: string[] = []
  page.on('request', (r) => requested.push(r.url()))
  await page.goto(url)
  await shows(page, '#conn', 'live')
  return { page, requested }
}

test('the page follows a call as it plays: the hold slot taken, a refused hold, a release, the next hold', async () => {
  h = await startViewHarness({ token: 'view-secret' })
  const { page, requested } = await open(h.url)
  const { callId, alice, bob } = h.newCall()
  const row = `tr[data-call="${callId}"]`

  expect(E.isRight(await h.orchestrator.startHoldMusic({ callId, participantId: alice }))).toBe(true)
  await shows(page, `${row} td.state`, 'established.hold.held')
  await shows(page, `${row} td.hold`, /Alice\s+held/)
  // The call's machine is drawn with its current hold sub-state lit, and the taken edge.
  await page.locator('svg[data-machine="call"] g.st.current[data-path="established.hold.held"]').waitFor({ timeout: WAIT_MS })
  await page.locator('svg[data-machine="call"] g.edge.taken').first().waitFor({ timeout: WAIT_MS })
  // The operation's own machine, from XState inspection, ended in `completed`.
  await page.locator('figure svg[data-machine="operation"] g.st.current[data-path="completed"]').first().waitFor({ timeout: WAIT_MS })

  const refused = await h.orchestrator.startHoldMusic({ callId, participantId: bob })
  expect(E.isLeft(refused) && refused.left._tag).toBe('HoldConflict')
  await shows(page, 'li.hold-refused', /Bob refused at .*: Alice held the slot/)
  await shows(page, 'table.ops td.outcome', 'HoldConflict')
  await shows(page, `${row} td.hold`, /Alice\s+held/)

  expect(E.isRight(await h.orchestrator.stopHoldMusic({ callId, participantId: alice }))).toBe(true)
  await shows(page, `${row} td.state`, 'established.hold.free')
  await shows(page, `${row} td.hold`, 'free')
  await shows(page, 'li.hold-seg', /Alice on hold \d\d:\d\d:\d\d\.\d{3} → \d\d:\d\d:\d\d\.\d{3} \(/)
  await page.locator('svg[data-machine="call"] g.st.current[data-path="established.hold.free"]').waitFor({ timeout: WAIT_MS })

  expect(E.isRight(await h.orchestrator.startHoldMusic({ callId, participantId: bob }))).toBe(true)
  await shows(page, `${row} td.hold`, /Bob\s+held/)
  // Every actor callops runs shows through inspection: the call and its operations.
  await shows(page, '#actors td', 'operation')
  await page.locator('#filter').fill('HoldConflict')
  await shows(page, '#log li', /settled startHoldMusic Bob HoldConflict/)
  // The page redraws at most five times a second: wait for the filtered list, do not read it once.
  await expect.poll(async () => page.locator('#log li').count(), { timeout: WAIT_MS }).toBeLessThan(5)
  await page.locator('#filter').fill('')

  mkdirSync(dirname(SCREENSHOT), { recursive: true })
  await page.screenshot({ path: SCREENSHOT, fullPage: true })
  // Every asset is the page's own: nothing was asked of any other origin.
  const origin = new URL(h.url).origin
  expect(requested.filter((u) => !u.startsWith(origin))).toEqual([])
})

test('a page with a wrong token or none sees nothing: no page, no stream', async () => {
  h = await startViewHarness({ token: 'view-secret' })
  const { callId, alice } = h.newCall()
  expect(E.isRight(await h.orchestrator.startHoldMusic({ callId, participantId: alice }))).toBe(true)
  const base = new URL(h.url)
  for (const search of ['?token=wrong', '', '?token=view-secre', '?token=view-secret2']) {
    const page = await browser.context.newPage()
    const response = await page.goto(`${base.origin}/${search}`)
    expect(response?.status()).toBe(401)
    const text = await page.locator('body').innerText()
    expect(text.trim()).toBe('token required')
    expect(text).not.toContain(callId)
    const stream = await page.evaluate(async (u) => {
      const r = await fetch(u)
      return { status: r.status, body: await r.text() }
    }, `${base.origin}/events${search}`)
    expect(stream).toEqual({ status: 401, body: 'token required\n' })
    await page.close()
  }
  expect(h.view.stats().clients).toBe(0)
  // The right token, as a query or as a Bearer header, sees the call.
  const bearer = await fetch(`${base.origin}/events`, { headers: { authorization: 'Bearer view-secret' } })
  expect(bearer.status).toBe(200)
  const reader = bearer.body?.getReader()
  let seen = ''
  while (!seen.includes(callId)) {
    const chunk = await reader?.read()
    if (chunk === undefined || chunk.done) break
    seen += new TextDecoder().decode(chunk.value)
  }
  expect(seen).toContain(callId)
  await reader?.cancel()
})

test('a client that stops reading is dropped, not waited for: the calls and the open page go on', async () => {
  h = await startViewHarness({ token: 'view-secret', maxBufferedBytes: 64 * 1024 })
  const harness = h
  const { page } = await open(h.url)
  // Opens the stream like a page, then never reads another byte.
  const { port } = new URL(h.url)
  const stalled = net.connect(Number(port), '127.0.0.1')
  stalled.write(`GET /events?token=view-secret HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`)
  stalled.pause()
  let stalledClosed = false
  stalled.on('close', () => (stalledClosed = true))
  stalled.on('error', () => undefined)
  await until(() => harness.view.stats().clients === 2)

  // Ten calls with big rosters put on hold and released three times each: megabytes of events.
  const started = performance.now()
  const calls = Array.from({ length: 10 }, () => h?.newCall({ extraParticipants: 150 }))
  const outcomes = await Promise.all(
    calls.map(async (c) => {
      if (c === undefined) return false
      let ok = true
      for (let i = 0; i < 3; i++) {
        ok &&= E.isRight(await harness.orchestrator.startHoldMusic({ callId: c.callId, participantId: c.alice }))
        ok &&= E.isRight(await harness.orchestrator.stopHoldMusic({ callId: c.callId, participantId: c.alice }))
      }
      return ok
    }),
  )
  const took = performance.now() - started
  expect(outcomes.every((ok) => ok)).toBe(true)
  expect(harness.view.stats().dropped).toBe(1)
  expect(harness.view.stats().clients).toBe(1)
  // Once it reads again it finds its stream ended, after at most its budget of queued bytes.
  let received = 0
  stalled.on('data', (d: Buffer) => (received += d.length))
  stalled.resume()
  await until(() => stalledClosed)
  // The open page kept up: it shows the last release of the last call.
  const last = calls.at(-1)
  await shows(page, `tr[data-call="${last?.callId ?? ''}"] td.state`, 'established.hold.free')
  console.log(`60 operations on 10 calls in ${Math.round(took)} ms with a stalled client; it had received ${received} bytes when dropped`)
})
