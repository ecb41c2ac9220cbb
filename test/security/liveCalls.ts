import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCallOrchestrator, type CallOrchestrator, type CallOrchestratorOptions, type ActionResult } from '../../src/index.js'
import { createGraphClient, type GraphClient } from '../../src/graph/createGraphClient.js'
import { controlledClock, type ControlledClock } from '../support/controlledClock.js'
import { documentedAnswer, startGraphStandIn, type GraphStandIn, type SeenRequest, type StandInAnswer } from '../support/graphStandIn.js'
import { batch, rosterUpdated } from '../support/notifications.js'

/**
 * The calls of the fixtures (test/fixtures), each with operations running against the Graph
 * stand-in, so that the documented notifications, when applied, change something.
 */
export const LIVE = {
  /** startHoldMusic running: the seed notification (clientContext d45324c1…, id 0fe0623f…) completes it. */
  hold: { callId: 'e141b67c-90fd-455d-858b-b48a40b9cc8d', participantId: 'fa1e9582-7145-4ca3-bcd8-577f561fcb6e', clientContext: 'd45324c1-fcb5-430a-902c-f20af696537c', operationId: '0fe0623f-d628-42ed-b4bd-8ac290072cc5' },
  /** playPrompt running; participant 2765eb15… (the unmute seed's) is in the roster, muted. */
  roster: { callId: '57dab8b1-894c-409a-b240-bd8beae78896', participantId: '2765eb15-01f8-47c6-b12b-c32111a4a86f', clientContext: 'prompt-57dab8b1', operationId: '11111111-2222-4333-8444-555555555555' },
  /** recordResponse running: the several-calls quirk terminates this call. */
  record: { callId: '7531d31f-d10d-44de-802f-c569dbca451c', clientContext: 'record-7531d31f', operationId: '66666666-7777-4888-9999-aaaaaaaaaaaa' },
  /** inviteParticipants running: the invite quirk (clientContext f2fa86af…, id eec3812a…) completes it. */
  invite: { callId: 'ab6233a5-20b7-4c5e-bea2-ce56c9776429', clientContext: 'f2fa86af-3c51-4bc2-8fc0-475452d9764f', operationId: 'eec3812a-fdc3-4fb4-825c-a06c9f35414e' },
} as const

/** Every live call id. */
export const LIVE_CALL_IDS: readonly string[] = [LIVE.hold.callId, LIVE.roster.callId, LIVE.record.callId, LIVE.invite.callId]

const operationIds = new Map<string, string>([
  [LIVE.hold.clientContext, LIVE.hold.operationId],
  [LIVE.roster.clientContext, LIVE.roster.operationId],
  [LIVE.record.clientContext, LIVE.record.operationId],
  [LIVE.invite.clientContext, LIVE.invite.operationId],
])

/** Graph's documented answer (running), with the operation ids the fixtures name. */
export const fixtureAnswer = (req: SeenRequest): StandInAnswer => {
  const a = documentedAnswer(req)
  const id = operationIds.get(String(req.body['clientContext']))
  return id === undefined ? a : { ...a, body: { ...(a.body as Record<string, unknown>), id, status: 'running' } }
}

/** A Graph stand-in and one Graph client on keep-alive connections, shared by many orchestrators. */
export interface GraphSide {
  readonly standIn: GraphStandIn
  readonly client: GraphClient
  close(): Promise<void>
}

/** Starts a {@link GraphSide} answering with {@link fixtureAnswer}. */
export const startGraphSide = async (getToken: () => Promise<string> = async () => 'graph-token'): Promise<GraphSide> => {
  const standIn = await startGraphStandIn(fixtureAnswer)
  const client = createGraphClient({ baseUrl: standIn.baseUrl, getToken, retry: { retries: 0 } })
  return {
    standIn,
    client,
    close: async () => {
      await client.close()
      await standIn.close()
    },
  }
}

/** An orchestrator whose {@link LIVE} calls have their operations running. */
export interface LiveWorld {
  readonly orchestrator: CallOrchestrator
  readonly clock: ControlledClock
  /** The action results, by live call (they settle only if a notification ends them, or on close). */
  readonly pending: { readonly [K in keyof typeof LIVE]: Promise<ActionResult> }
  close(): Promise<void>
}

const settle = async (orchestrator: CallOrchestrator): Promise<void> => {
  const end = Date.now() + 5_000
  while (Date.now() < end) {
    const running = LIVE_CALL_IDS.every((id) => orchestrator.getCall(id)?.operations.every((o) => o.state === 'running') === true)
    if (running && orchestrator.getCall(LIVE.roster.callId)?.roster.length === 1) return
    // setImmediate, not a timer: the answers are on loopback, a 1 ms tick would cost more than they do.
    await new Promise((r) => setImmediate(r))
  }
  throw new Error('the live calls did not reach their running state')
}

/**
 * Builds a {@link LiveWorld} on `graph`: a controlled clock (deadlines never pass on their own),
 * authentication off unless `options` says otherwise, and the four {@link LIVE} calls running.
 */
export const startLiveWorld = async (graph: GraphSide, options: Partial<CallOrchestratorOptions> = {}): Promise<LiveWorld> => {
  const clock = controlledClock()
  const orchestrator = createCallOrchestrator({ graph: { client: graph.client }, notificationAuth: false, clock, ...options })
  const pending = {
    hold: orchestrator.startHoldMusic({ callId: LIVE.hold.callId, participantId: LIVE.hold.participantId, clientContext: LIVE.hold.clientContext }),
    roster: orchestrator.playPrompt({
      callId: LIVE.roster.callId,
      clientContext: LIVE.roster.clientContext,
      prompts: [{ '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/hold.wav' } }],
    }),
    record: orchestrator.recordResponse({ callId: LIVE.record.callId, clientContext: LIVE.record.clientContext, maxRecordDurationInSeconds: 10 }),
    invite: orchestrator.inviteParticipants({
      callId: LIVE.invite.callId,
      clientContext: LIVE.invite.clientContext,
      participants: [{ identity: { user: { id: '278405a3-f568-4b3e-b684-009193463064' } } }],
    }),
  }
  const roster = batch(rosterUpdated(LIVE.roster.callId, [{ id: LIVE.roster.participantId, isMuted: true, name: 'Bob' }]))
  const r = await orchestrator.handleNotification(roster, {})
  if (r.status !== 202) throw new Error(`the roster of the live world was refused: ${r.body}`)
  await settle(orchestrator)
  return {
    orchestrator,
    clock,
    pending,
    close: async () => {
      await orchestrator.close()
      await Promise.all(Object.values(pending))
    },
  }
}

/**
 * What must not change when a batch is refused: every live call's view and the counters, except
 * the two that count refusals (a refused notification is counted by design).
 */
export const observe = (orchestrator: CallOrchestrator): string => {
  const { refusedNotifications: _refused, legacyNotifications: _legacy, ...stats } = orchestrator.stats()
  return JSON.stringify({ calls: LIVE_CALL_IDS.map((id) => orchestrator.getCall(id) ?? null), stats })
}

/** Serves `orchestrator.webhook` on 127.0.0.1; resolves with its URL and a closer. */
export const serveWebhook = async (orchestrator: Pick<CallOrchestrator, 'webhook'>): Promise<{ url: string; close(): Promise<void> }> => {
  const server = http.createServer((req, res) => orchestrator.webhook(req, res))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/callback`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
