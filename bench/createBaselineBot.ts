import { randomUUID } from 'node:crypto'
import { baselineWebhook, statusOf, type Settle } from './baselineWebhook.js'
import type { BenchBot } from './e2e/BenchBot.js'

/** What a baseline's HTTP client answered to one POST: whether it was a 2xx, and its JSON body. */
export interface BaselineAnswer {
  readonly ok: boolean
  readonly answer: unknown
}

/**
 * The hand-written baselines' bot, whatever their HTTP client: a `Map` of pending promises keyed
 * by clientContext is filled before each request leaves (so a notification that beats the answer
 * still lands), an answer that is already final settles at once, and a bare node:http webhook
 * ({@link baselineWebhook}) settles the rest. No retries, timeouts or hold rule.
 *
 * @param post - sends one action: `path` below `/communications/calls/`, `body` as JSON text.
 */
export const createBaselineBot = (post: (path: string, body: string) => Promise<BaselineAnswer>): BenchBot => {
  const pending = new Map<string, Settle>()

  const operate = async (path: string): Promise<boolean> => {
    const clientContext = randomUUID()
    const outcome = new Promise<boolean>((resolve) => pending.set(clientContext, resolve))
    try {
      const { ok, answer } = await post(path, JSON.stringify({ clientContext }))
      const status = statusOf(answer)
      if (!ok || status === 'completed' || status === 'failed') {
        pending.delete(clientContext)
        return ok && status === 'completed'
      }
      return await outcome
    } catch {
      pending.delete(clientContext)
      return false
    }
  }

  return {
    webhook: baselineWebhook(pending),
    startHoldMusic: (callId, participantId) => operate(`${callId}/participants/${participantId}/startHoldMusic`),
    stopHoldMusic: (callId, participantId) => operate(`${callId}/participants/${participantId}/stopHoldMusic`),
    unmute: (callId) => operate(`${callId}/unmute`),
    pending: () => pending.size,
    close: async () => {},
  }
}
