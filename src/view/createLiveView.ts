import { randomBytes } from 'node:crypto'
import http, { type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { InspectionEvent, Observer } from 'xstate'
import { callMachine } from '../../machines/call.machine.js'
import { operationMachine } from '../../machines/operation.machine.js'
import type { CallOrchestrator, OrchestratorStats } from '../orchestrator/CallOrchestrator.js'
import type { OrchestratorEvent } from '../runtime/OrchestratorEvent.js'
import { createSseHub, type SseHubStats } from './createSseHub.js'
import { liveViewPage } from './liveViewPage.js'
import { resolveLiveViewOptions, type LiveViewOptions } from './LiveViewOptions.js'
import { tokenMatches } from './tokenMatches.js'
import { createMachineRegistry, toInspectionMessages, toWireEvent } from './toViewMessages.js'
import type { ViewMessage } from './ViewMessage.js'

/** What the live view reads of an orchestrator: its public `subscribe`, `getCall` and `stats`. */
export type LiveViewSource = Pick<CallOrchestrator, 'subscribe' | 'getCall' | 'stats'>

/** Counters of the live view itself. */
export type LiveViewStats = SseHubStats

/** callops's own live view of its calls and machines: a page, its event stream, and the observers feeding it. */
export interface LiveView {
  /**
   * `(req, res)` handler for node:http, usable as Express middleware or under Fastify's
   * `reply.hijack()`: a path ending in `/events` is the page's event stream, any other GET the page.
   */
  readonly handler: (req: IncomingMessage, res: ServerResponse) => void
  /** Pass as the orchestrator's `inspect` option: every actor callops runs then shows on the page. */
  readonly inspect: Observer<InspectionEvent>
  /** Shows the calls of an orchestrator (its transitions, operations, counters). Returns the detach function. */
  readonly attach: (source: LiveViewSource) => () => void
  /** Serves the page on its own server (`host`/`port` of the options); resolves its URL, token included. */
  readonly listen: () => Promise<string>
  /** Resolves once at least one page is open. */
  readonly whenWatched: () => Promise<void>
  readonly stats: () => LiveViewStats
  /** Ends the streams, detaches every orchestrator and closes the server `listen` started. */
  readonly close: () => Promise<void>
}

const STATS_EVERY_MS = 1_000

const plain = (res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void => {
  res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store', ...headers })
  res.end(text)
}

const sum = (all: readonly OrchestratorStats[]): OrchestratorStats => ({
  calls: all.reduce((n, s) => n + s.calls, 0),
  pendingOperations: all.reduce((n, s) => n + s.pendingOperations, 0),
  pendingCallActions: all.reduce((n, s) => n + s.pendingCallActions, 0),
  unmatchedNotifications: all.reduce((n, s) => n + s.unmatchedNotifications, 0),
  notificationsApplied: all.reduce((n, s) => n + s.notificationsApplied, 0),
  refusedNotifications: all.reduce((n, s) => n + s.refusedNotifications, 0),
  legacyNotifications: all.reduce((n, s) => n + s.legacyNotifications, 0),
  outcomeSubscription: {
    subscribed: all.every((s) => s.outcomeSubscription.subscribed),
    lost: all.reduce((n, s) => n + s.outcomeSubscription.lost, 0),
  },
  storeRollbacks: {
    detected: all.reduce((n, s) => n + s.storeRollbacks.detected, 0),
    repaired: all.reduce((n, s) => n + s.storeRollbacks.repaired, 0),
  },
  sentAfterTimeout: all.reduce((n, s) => n + s.sentAfterTimeout, 0),
  notSentAfterTimeout: all.reduce((n, s) => n + s.notSentAfterTimeout, 0),
  fenced: { now: all.some((s) => s.fenced.now), refused: all.reduce((n, s) => n + s.fenced.refused, 0) },
})

/**
 * Creates callops's live view: a page it serves itself, with every asset inline (no CDN, no font,
 * no internet), showing the calls tracked (state, hold slot and for how long, operations in
 * flight), for one call its machines drawn with the current states lit, its hold timeline, its
 * operations with outcomes and timings, a filterable event log, and every actor XState inspection
 * reports. It never slows the calls: nothing is built while no page is open, and a page that reads
 * too slowly is dropped. Bad options throw a TypeError at once.
 *
 * @example
 * ```ts
 * const view = createLiveView({ token: process.env.VIEW_TOKEN })
 * const orchestrator = createCallOrchestrator({ graph, notificationAuth, inspect: view.inspect })
 * view.attach(orchestrator)
 * console.log(`live view on ${await view.listen()}`)
 * // or next to the webhook: app.use('/view', view.handler)
 * ```
 */
export const createLiveView = (options: LiveViewOptions = {}): LiveView => {
  const o = resolveLiveViewOptions(options)
  const hub = createSseHub(o)
  const machines = createMachineRegistry([callMachine, operationMachine])
  const sources = new Set<LiveViewSource>()
  // Insertion-ordered, so the oldest id is forgotten first. The one thing done with no page open.
  const tracked = new Map<string, LiveViewSource>()
  const detachers = new Set<() => void>()
  let statsTimer: NodeJS.Timeout | undefined
  let server: http.Server | undefined
  let url: Promise<string> | undefined

  const callMessage = (callId: string, source: LiveViewSource, t: number, opened = false): ViewMessage => {
    const call = source.getCall(callId)
    if (call !== undefined) return opened ? { k: 'call', t, call, opened } : { k: 'call', t, call }
    tracked.delete(callId)
    return { k: 'gone', t, callId }
  }

  const publishStats = (): void => {
    if (sources.size > 0) hub.publish({ k: 'stats', t: Date.now(), stats: sum([...sources].map((s) => s.stats())) })
  }

  hub.onIdleChange((idle) => {
    clearInterval(statsTimer)
    statsTimer = undefined
    if (idle) return
    statsTimer = setInterval(publishStats, STATS_EVERY_MS)
    statsTimer.unref()
  })

  const current = (): ViewMessage[] => {
    const t = Date.now()
    const out: ViewMessage[] = [...tracked].map(([id, source]) => callMessage(id, source, t, true))
    if (sources.size > 0) out.push({ k: 'stats', t, stats: sum([...sources].map((s) => s.stats())) })
    return out
  }

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const target = new URL(req.url ?? '/', 'http://live-view')
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'method not allowed\n', { allow: 'GET, HEAD' })
    if (!tokenMatches(o.token, req, target)) return plain(res, 401, 'token required\n', { 'www-authenticate': 'Bearer' })
    if (target.pathname.endsWith('/events')) {
      if (!hub.open(res, [{ k: 'hello', t: Date.now(), machines: machines.graphs() }], current)) plain(res, 503, 'too many pages open\n')
      return
    }
    const nonce = randomBytes(16).toString('base64')
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-store',
      // Nothing but this page's own inline code, and its stream on the same origin.
      'content-security-policy': `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
      'referrer-policy': 'no-referrer',
      'x-content-type-options': 'nosniff',
    })
    res.end(req.method === 'HEAD' ? undefined : liveViewPage(nonce))
  }

  const inspect: Observer<InspectionEvent> = {
    next: (event) => {
      if (hub.size() === 0) return
      for (const m of toInspectionMessages(event, machines, Date.now())) hub.publish(m)
    },
  }

  const attach = (source: LiveViewSource): (() => void) => {
    sources.add(source)
    const unsubscribe = source.subscribe((e: OrchestratorEvent) => {
      if (!tracked.has(e.callId)) {
        tracked.set(e.callId, source)
        if (tracked.size > o.maxTrackedCalls) tracked.delete(tracked.keys().next().value ?? '')
      }
      if (hub.size() === 0) return
      const t = Date.now()
      hub.publish({ k: 'ev', t, e: toWireEvent(e) })
      if (e.type === 'transition') hub.publish(callMessage(e.callId, source, t))
    })
    const detach = (): void => {
      unsubscribe()
      sources.delete(source)
      detachers.delete(detach)
      for (const [id, s] of tracked) if (s === source) tracked.delete(id)
    }
    detachers.add(detach)
    return detach
  }

  const listen = (): Promise<string> => {
    url ??= new Promise<string>((resolve, reject) => {
      const s = http.createServer(handler)
      server = s
      s.once('error', reject)
      s.listen(o.port, o.host, () => {
        const { address, port } = s.address() as AddressInfo
        const host = address.includes(':') ? `[${address}]` : address
        resolve(`http://${host}:${port}/${o.token === undefined ? '' : `?token=${encodeURIComponent(o.token)}`}`)
      })
    })
    return url
  }

  return {
    handler,
    inspect,
    attach,
    listen,
    whenWatched: () =>
      hub.size() > 0
        ? Promise.resolve()
        : new Promise<void>((resolve) => {
            const off = hub.onIdleChange((idle) => {
              if (idle) return
              off()
              resolve()
            })
          }),
    stats: hub.stats,
    close: async () => {
      for (const d of [...detachers]) d()
      hub.close()
      clearInterval(statsTimer)
      const s = server
      if (s === undefined) return
      s.closeAllConnections()
      await new Promise<void>((resolve) => s.close(() => resolve()))
    },
  }
}
