import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCallOrchestrator, type CallOrchestrator, type CallOrchestratorOptions } from '../../src/index.js'
import { createSimulator, type SimCallView, type Simulator } from '../../src/simulator/index.js'
import { right } from '../support/either.js'
import type { AnswerBody } from '../../src/codecs/callActionBodies.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'

/** An orchestrator whose webhook the simulator posts to, as a bot on Graph would run. */
export interface BotOnSimulator {
  readonly orchestrator: CallOrchestrator
  readonly webhookUrl: string
  close(): Promise<void>
}

export const startBot = async (sim: Simulator, options: Partial<CallOrchestratorOptions> = {}): Promise<BotOnSimulator> => {
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'token', retry: { retries: 0 } },
    notificationAuth: false,
    keepAlive: false,
    ...options,
  })
  const server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    orchestrator,
    webhookUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`,
    close: async () => {
      await orchestrator.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export const startSim = (seed: number): Promise<Simulator> => createSimulator({ seed })

/** Rings the bot and waits until its orchestrator tracks the call as incoming. */
export const ringBot = async (sim: Simulator, bot: BotOnSimulator, extra: Record<string, unknown> = {}, seen: BotOnSimulator = bot): Promise<SimCallView> => {
  const call = right(sim.ring({ callbackUrl: bot.webhookUrl, caller: { displayName: 'Customer', id: 'caller-1' }, ...extra }))
  await until(() => seen.orchestrator.getCall(call.callId)?.state.startsWith('incoming') === true)
  return call
}

/**
 * Resolves once `store` holds the call: an instance tracks a rung call in memory before its save
 * lands, and another instance knows only what the store holds.
 */
export const untilStored = async (store: SnapshotStore, callId: string, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms
  while ((await store.load(callId)) === undefined) {
    if (Date.now() > end) throw new Error(`call ${callId} was not stored in time`)
    await new Promise((r) => setTimeout(r, 2))
  }
}

/** Resolves once `predicate` holds, polling; fails after `ms`. */
export const until = async (predicate: () => boolean, ms = 5_000): Promise<void> => {
  const end = Date.now() + ms
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not met in time')
    await new Promise((r) => setTimeout(r, 2))
  }
}

export const serviceHosted = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const
export const answerBody: AnswerBody = { acceptedModalities: ['audio'], mediaConfig: serviceHosted }
export const agent = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi' } } }
