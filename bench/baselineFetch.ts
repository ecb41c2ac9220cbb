import { createBaselineBot } from './createBaselineBot.js'
import type { BenchBot, BenchBotOptions } from './e2e/BenchBot.js'

const headers = { authorization: 'Bearer bench-token', 'content-type': 'application/json' }

/**
 * Baseline (b): the least code that does the Graph operation handshake correctly with `fetch`
 * ({@link createBaselineBot}: a `Map` of pending promises and a bare node:http webhook).
 *
 * @example
 * ```ts
 * const bot = createFetchBaseline({ graphUrl: sim.graphUrl })
 * http.createServer(bot.webhook).listen(4000)
 * await bot.startHoldMusic(callId, participantId) // true once the completion notification came
 * ```
 */
export const createFetchBaseline = ({ graphUrl }: BenchBotOptions): BenchBot =>
  createBaselineBot(async (path, body) => {
    const res = await fetch(`${graphUrl}/communications/calls/${path}`, { method: 'POST', headers, body })
    const answer: unknown = await res.json()
    return { ok: res.ok, answer }
  })
