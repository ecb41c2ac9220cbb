import type { IncomingMessage, ServerResponse } from 'node:http'

/** One bot under test: the three operations of the scenario and its webhook. */
export interface BenchBot {
  /** The node:http handler of the bot's callback URL. */
  readonly webhook: (req: IncomingMessage, res: ServerResponse) => void
  /** Each resolves `true` when the operation completed, `false` when it failed; never rejects. */
  readonly startHoldMusic: (callId: string, participantId: string) => Promise<boolean>
  readonly stopHoldMusic: (callId: string, participantId: string) => Promise<boolean>
  readonly unmute: (callId: string) => Promise<boolean>
  /** Operations still waiting for their outcome. */
  readonly pending: () => number
  readonly close: () => Promise<void>
}

/** What every bot is made from: the simulator's Graph base URL (ends in `/v1.0`). */
export interface BenchBotOptions {
  readonly graphUrl: string
}
