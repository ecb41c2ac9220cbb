import { randomUUID } from 'node:crypto'
import * as E from 'fp-ts/lib/Either.js'
import { createCallOrchestrator, type ActionResult } from '../../src/index.js'
import { createInstantGraphClient } from './createInstantGraphClient.js'
import { tick } from './pool.js'

/** One open call of the in-process scenario and the operation it waits for. */
interface Slot {
  readonly callId: string
  readonly participantId: string
  readonly botId: string
  readonly userId: string
  readonly appId: string
  action: 'startHoldMusic' | 'stopHoldMusic'
  clientContext: string
  outcome: Promise<ActionResult> | undefined
}

/**
 * The orchestrator in process with an instant Graph client (no sockets) and `calls` calls open,
 * each waiting for one hold or release: what `bench/costBreakdown.ts` times and
 * `bench/allocationCosts.ts` weighs. Each phase goes once over every call; the bodies of a
 * notification phase are built before it, so that a measure of the phase leaves them out.
 */
export interface InProcessScenario {
  /** The completion Graph would POST for each call's operation. */
  readonly completionBodies: () => readonly string[]
  /** Hands each completion to `handleNotification` and waits for its caller to be settled. */
  readonly complete: (bodies: readonly string[]) => Promise<void>
  /** A roster update as the simulator sends it for each call: the bot and one participant, unchanged. */
  readonly rosterBodies: () => readonly string[]
  readonly roster: (bodies: readonly string[]) => Promise<void>
  /** Every call starts its next operation (holds and releases alternate) and has its answer applied. */
  readonly command: () => Promise<void>
  readonly close: () => Promise<void>
}

const headers = { 'content-type': 'application/json' }

/** Opens the calls, each with its first hold started and answered. */
export const startInProcessScenario = async (calls: number): Promise<InProcessScenario> => {
  const operationIds = new Map<string, string>()
  const orchestrator = createCallOrchestrator({
    graph: { client: createInstantGraphClient((clientContext, id) => operationIds.set(clientContext, id)) },
    notificationAuth: false,
    maxCalls: calls + 10,
    maxPendingOperations: calls + 10,
  })
  const slots: Slot[] = Array.from({ length: calls }, () => ({
    callId: randomUUID(),
    participantId: randomUUID(),
    botId: randomUUID(),
    userId: randomUUID(),
    appId: randomUUID(),
    action: 'startHoldMusic',
    clientContext: '',
    outcome: undefined,
  }))
  const arm = (s: Slot): void => {
    s.clientContext = randomUUID()
    s.outcome = orchestrator[s.action]({ callId: s.callId, participantId: s.participantId, clientContext: s.clientContext })
  }
  const completion = (s: Slot): string => {
    const id = operationIds.get(s.clientContext) ?? ''
    const url = `communications/calls/${s.callId}/operations/${id}`
    return JSON.stringify({
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'deleted',
          resourceUrl: url,
          resourceData: {
            '@odata.type': `#microsoft.graph.${s.action}Operation`,
            '@odata.id': url,
            id,
            status: 'completed',
            clientContext: s.clientContext,
            resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 200, subcode: 0, message: 'Success' },
          },
        },
      ],
    })
  }
  const roster = (s: Slot): string =>
    JSON.stringify({
      value: [
        {
          '@odata.type': '#microsoft.graph.commsNotification',
          changeType: 'updated',
          resourceUrl: `/communications/calls/${s.callId}/participants`,
          // The same two participants each time, as in a real call (the roster does not grow).
          resourceData: [s.participantId, s.botId].map((id, i) => ({
            '@odata.type': '#microsoft.graph.participant',
            id,
            info: { identity: i === 0 ? { user: { id: s.userId, displayName: 'Participant 1' } } : { application: { id: s.appId, displayName: 'Bot' } } },
            mediaStreams: [{ mediaType: 'audio', sourceId: '1', direction: 'sendReceive', serverMuted: false }],
            isMuted: false,
            isInLobby: false,
          })),
        },
      ],
    })
  for (const s of slots) arm(s)
  await tick()
  return {
    completionBodies: () => slots.map(completion),
    complete: async (bodies) => {
      for (let i = 0; i < slots.length; i++) {
        await orchestrator.handleNotification(bodies[i], headers)
        const r = await slots[i]?.outcome
        if (r === undefined || E.isLeft(r)) throw new Error('an operation did not complete')
      }
    },
    rosterBodies: () => slots.map(roster),
    roster: async (bodies) => {
      for (const body of bodies) await orchestrator.handleNotification(body, headers)
    },
    command: async () => {
      for (const s of slots) {
        s.action = s.action === 'startHoldMusic' ? 'stopHoldMusic' : 'startHoldMusic'
        arm(s)
      }
      await tick()
    },
    close: () => orchestrator.close(),
  }
}
