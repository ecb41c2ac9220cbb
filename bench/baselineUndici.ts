import { randomUUID } from 'node:crypto'
import { request } from 'undici'
import { baselineWebhook, statusOf, type Settle } from './baselineWebhook.js'
import type { BenchBot, BenchBotOptions } from './e2e/BenchBot.js'

/**
 * Baseline (c): the least code that does the Graph operation handshake correctly with `undici.request`. A
 * `Map` of pending promises keyed by clientContext is filled before each request leaves (so a
 * notification that beats the answer still lands), an answer that is already final settles at
 * once, and a bare node:http webhook settles the rest. No retries, timeouts or hold rule.
 *
 * @example
 * ```ts
 * const bot = createUndiciBaseline({ graphUrl: sim.graphUrl })
 * http.createServer(bot.webhook).listen(4000)
 * await bot.startHoldMusic(callId, participantId) // true once the completion notification came
 * ```
 */
export const createUndiciBaseline = ({ graphUrl }: BenchBotOptions): BenchBot => {
  const pending = new Map<string, Settle>()

  const operate = async (path: string): Promise<boolean> => {
    const clientContext = randomUUID()
    const outcome = new Promise<boolean>((resolve) => pending.set(clientContext, resolve))
    try {
      const res = await request(`${graphUrl}/communications/calls/${path}`, {
        method: 'POST',
        headers: { authorization: 'Bearer bench-token', 'content-type': 'application/json' },
        body: JSON.stringify({ clientContext }),
      })
      const answer: unknown = await res.body.json()
      const ok = res.statusCode >= 200 && res.statusCode < 300
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

  const webhook = baselineWebhook(pending)

  return {
    webhook,
    startHoldMusic: (callId, participantId) => operate(`${callId}/participants/${participantId}/startHoldMusic`),
    stopHoldMusic: (callId, participantId) => operate(`${callId}/participants/${participantId}/stopHoldMusic`),
    unmute: (callId) => operate(`${callId}/unmute`),
    pending: () => pending.size,
    close: async () => {},
  }
}
