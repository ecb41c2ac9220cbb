import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCallOrchestrator, type CallOrchestrator, type CallOrchestratorOptions } from '../../src/index.js'
import { startGraphStandIn, type GraphStandIn, type Responder } from '../support/graphStandIn.js'

export interface Harness {
  readonly graph: GraphStandIn
  readonly orchestrator: CallOrchestrator
  /** The orchestrator's webhook, served on its own port. */
  readonly webhookUrl: string
  close(): Promise<void>
}

export const startHarness = async (
  options: Partial<CallOrchestratorOptions> = {},
  respond?: Responder,
): Promise<Harness> => {
  const graph = await startGraphStandIn(respond)
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: graph.baseUrl, getToken: async () => 'test-token', retry: { retries: 3, minDelayMs: 10, maxDelayMs: 50 } },
    notificationAuth: false,
    ...options,
  })
  const server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    graph,
    orchestrator,
    webhookUrl: `http://127.0.0.1:${port}/callback`,
    close: async () => {
      await orchestrator.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await graph.close()
    },
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
