import type { IncomingMessage, ServerResponse } from 'node:http'

/** The prompt both whole-call bots play (the simulator does not fetch it). */
export const benchPrompt = { '@odata.type': '#microsoft.graph.mediaPrompt', mediaInfo: { uri: 'https://bot.example/welcome.wav' } } as const

/** The media config both bots answer with. */
export const serviceHosted = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const

/** One bot of the whole-call comparison (item 5): callops or the hand-written undici bot. */
export interface WholeCallBot {
  /** The node:http handler of the bot's callback URL. */
  readonly webhook: (req: IncomingMessage, res: ServerResponse) => void
  /** Resolves once the bot has seen `callId` ringing; call it before ringing the call. */
  readonly ringing: (callId: string) => Promise<void>
  /**
   * Answer → playPrompt → startHoldMusic → stopHoldMusic → hang up, each step awaited until the
   * notification that ends it came; resolves with the number of steps that did not succeed.
   */
  readonly wholeCall: (callId: string, participantId: string, callbackUrl: string) => Promise<number>
  /** Steps still waiting for their outcome. */
  readonly pending: () => number
  readonly close: () => Promise<void>
}
