import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { createCallOrchestrator, type CallOrchestrator, type CallOrchestratorOptions, type OrchestratorEvent } from '../../src/index.js'
import type { SnapshotStore } from '../../src/stores/SnapshotStore.js'
import { startGraphStandIn, type GraphStandIn, type Responder } from '../support/graphStandIn.js'

/** One orchestrator instance with its own webhook server, as a process behind a load balancer would be. */
export interface Instance {
  readonly orchestrator: CallOrchestrator
  readonly webhookUrl: string
  /** Every event the instance published. */
  readonly events: OrchestratorEvent[]
  close(): Promise<void>
}

export interface Instances {
  readonly graph: GraphStandIn
  readonly all: Instance[]
  /** Starts one more instance on the same store and Graph stand-in. */
  add(options?: Partial<CallOrchestratorOptions>): Promise<Instance>
  close(): Promise<void>
}

export const startInstance = async (graphUrl: string, store: SnapshotStore, options: Partial<CallOrchestratorOptions> = {}): Promise<Instance> => {
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: graphUrl, getToken: async () => 'test-token', retry: { retries: 2, minDelayMs: 10, maxDelayMs: 50 } },
    notificationAuth: false,
    keepAlive: false,
    store,
    ...options,
  })
  const events: OrchestratorEvent[] = []
  orchestrator.subscribe((e) => events.push(e))
  const server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  let closed = false
  return {
    orchestrator,
    webhookUrl: `http://127.0.0.1:${port}/callback`,
    events,
    close: async () => {
      if (closed) return
      closed = true
      await orchestrator.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** `n` instances sharing one store and one Graph stand-in. */
export const startInstances = async (
  n: number,
  store: SnapshotStore,
  options: Partial<CallOrchestratorOptions> = {},
  respond?: Responder,
): Promise<Instances> => {
  const graph = await startGraphStandIn(respond)
  const all: Instance[] = []
  const add = async (more: Partial<CallOrchestratorOptions> = {}): Promise<Instance> => {
    const i = await startInstance(graph.baseUrl, store, { ...options, ...more })
    all.push(i)
    return i
  }
  for (let k = 0; k < n; k++) await add()
  return {
    graph,
    all,
    add,
    close: async () => {
      await Promise.all(all.map((i) => i.close()))
      await graph.close()
    },
  }
}
