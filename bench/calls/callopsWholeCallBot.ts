import * as E from 'fp-ts/lib/Either.js'
import { createCallOrchestrator } from '../../src/index.js'
import { benchPrompt, serviceHosted, type WholeCallBot } from './WholeCallBot.js'

/**
 * Item 5's callops bot: the orchestrator with its defaults (authentication off like the baseline),
 * learning of each ringing call from its `incoming` news and running the five steps with its methods.
 */
export const callopsWholeCallBot = (graphUrl: string): WholeCallBot => {
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: graphUrl, getToken: () => Promise.resolve('bench-token') },
    notificationAuth: false,
    maxCalls: 1_000_000,
    maxPendingOperations: 1_000_000,
  })
  const ringing = new Map<string, () => void>()
  orchestrator.subscribe((e) => {
    if (e.type !== 'incoming') return
    const seen = ringing.get(e.callId)
    ringing.delete(e.callId)
    seen?.()
  })
  const failed = (r: E.Either<unknown, unknown>): number => (E.isRight(r) ? 0 : 1)
  return {
    webhook: orchestrator.webhook,
    ringing: (callId) => new Promise((resolve) => ringing.set(callId, resolve)),
    wholeCall: async (callId, participantId, callbackUrl) =>
      failed(await orchestrator.answer({ callId, body: { acceptedModalities: ['audio'], mediaConfig: serviceHosted, callbackUri: callbackUrl } })) +
      failed(await orchestrator.playPrompt({ callId, prompts: [benchPrompt] })) +
      failed(await orchestrator.startHoldMusic({ callId, participantId })) +
      failed(await orchestrator.stopHoldMusic({ callId, participantId })) +
      failed(await orchestrator.hangUp({ callId })),
    pending: () => orchestrator.stats().pendingOperations + ringing.size,
    close: () => orchestrator.close(),
  }
}
