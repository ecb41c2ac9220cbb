// The Graph side of the examples: a callops simulator started in this process, or one already
// running (`npx callops simulate`) when the example is given `--simulator http://127.0.0.1:PORT`.
// A real bot has none of this: it gets Graph's URL, a token and its app id from its configuration.

import * as E from 'fp-ts/lib/Either.js'
import { connectSimulator, createSimulator } from '../../src/simulator/index.js'

/** Where the bot finds "Graph", and the test-only controls of the simulator. */
export interface SimulatorTarget {
  /** Give it to the orchestrator as `graph.baseUrl` (Graph's is `https://graph.microsoft.com/v1.0`). */
  readonly graphUrl: string
  /** Where the simulator publishes the keys that sign its notifications. */
  readonly openIdConfigUrl: string
  /** The audience of the notification tokens: the bot's app id. */
  readonly appId: string
  /** Makes a group call with two callers whose notifications go to `callbackUrl`. */
  createCall(callbackUrl: string): Promise<{ readonly callId: string; readonly participantIds: readonly string[] }>
  /** Hangs the call up (the bot gets the terminated notification). */
  hangUp(callId: string): Promise<void>
  close(): Promise<void>
}

const CALLERS = [{ displayName: 'Alice (caller)' }, { displayName: 'Bob (caller)' }]

/** `--simulator URL` from the command line, if given. */
const simulatorArg = (argv: readonly string[]): string | undefined => {
  const i = argv.indexOf('--simulator')
  return i === -1 ? undefined : argv[i + 1]
}

const remote = (url: string): SimulatorTarget => {
  const sim = connectSimulator(url)
  return {
    graphUrl: sim.graphUrl,
    openIdConfigUrl: sim.openIdConfigUrl,
    appId: sim.appId,
    createCall: async (callbackUrl) => {
      const call = await sim.createCall({ callbackUrl, participants: CALLERS })
      if (E.isLeft(call)) throw new Error(`the simulator at ${url} refused the call: ${call.left.message}`)
      return { callId: call.right.callId, participantIds: call.right.participants.map((p) => p.id) }
    },
    hangUp: async (callId) => {
      await sim.hangUp(callId)
    },
    close: async () => {},
  }
}

/** Connects to `--simulator URL`, or starts a simulator in this process. */
export const simulatorTarget = async (argv: readonly string[] = process.argv.slice(2)): Promise<SimulatorTarget> => {
  const url = simulatorArg(argv)
  if (url !== undefined) return remote(url)
  const sim = await createSimulator({ seed: 1 })
  return {
    graphUrl: sim.graphUrl,
    openIdConfigUrl: sim.openIdConfigUrl,
    appId: sim.appId,
    createCall: async (callbackUrl) => {
      const call = sim.createCall({ callbackUrl, participants: CALLERS })
      if (E.isLeft(call)) throw new Error(call.left.message)
      return { callId: call.right.callId, participantIds: call.right.participants.map((p) => p.id) }
    },
    hangUp: async (callId) => {
      await sim.hangUp(callId)
    },
    close: () => sim.close(),
  }
}
