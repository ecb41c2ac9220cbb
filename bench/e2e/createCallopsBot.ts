import * as E from 'fp-ts/lib/Either.js'
import { createCallOrchestrator } from '../../src/index.js'
import type { SnapshotStore } from '../../src/index.js'
import type { BenchBot, BenchBotOptions } from './BenchBot.js'

/** Options of {@link createCallopsBot}. */
export interface CallopsBotOptions extends BenchBotOptions {
  /** Default: the in-memory store. */
  readonly store?: SnapshotStore
}

/**
 * Variant (a): callops with its defaults (undici transport, in-memory store), notification
 * authentication off like the baselines, which do not check tokens either.
 */
export const createCallopsBot = ({ graphUrl, store }: CallopsBotOptions): BenchBot => {
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: graphUrl, getToken: () => Promise.resolve('bench-token') },
    notificationAuth: false,
    ...(store === undefined ? {} : { store }),
    maxCalls: 1_000_000,
    maxPendingOperations: 1_000_000,
  })
  return {
    webhook: orchestrator.webhook,
    startHoldMusic: async (callId, participantId) => E.isRight(await orchestrator.startHoldMusic({ callId, participantId })),
    stopHoldMusic: async (callId, participantId) => E.isRight(await orchestrator.stopHoldMusic({ callId, participantId })),
    unmute: async (callId) => E.isRight(await orchestrator.unmute({ callId })),
    pending: () => orchestrator.stats().pendingOperations,
    close: () => orchestrator.close(),
  }
}
