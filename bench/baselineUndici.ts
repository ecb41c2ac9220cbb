import { request } from 'undici'
import { createBaselineBot } from './createBaselineBot.js'
import type { BenchBot, BenchBotOptions } from './e2e/BenchBot.js'

const headers = { authorization: 'Bearer bench-token', 'content-type': 'application/json' }

/**
 * Baseline (c): the least code that does the Graph operation handshake correctly with
 * `undici.request` ({@link createBaselineBot}: a `Map` of pending promises and a bare node:http webhook).
 *
 * @example
 * ```ts
 * const bot = createUndiciBaseline({ graphUrl: sim.graphUrl })
 * http.createServer(bot.webhook).listen(4000)
 * await bot.startHoldMusic(callId, participantId) // true once the completion notification came
 * ```
 */
export const createUndiciBaseline = ({ graphUrl }: BenchBotOptions): BenchBot =>
  createBaselineBot(async (path, body) => {
    const res = await request(`${graphUrl}/communications/calls/${path}`, { method: 'POST', headers, body })
    const answer: unknown = await res.body.json()
    return { ok: res.statusCode >= 200 && res.statusCode < 300, answer }
  })
