import { createGraphClient } from '../../src/graph/createGraphClient.js'
import type { GraphClient } from '../../src/graph/createGraphClient.js'
import { createSimulator } from '../../src/simulator/index.js'
import type { Simulator } from '../../src/simulator/index.js'
import { startCallbackServer } from './callbackServer.js'
import type { CallbackServer } from './callbackServer.js'

/** A simulator, a callback server for its notifications, and callops's Graph client pointed at it. */
export interface WholeCallRig {
  readonly sim: Simulator
  readonly callback: CallbackServer
  readonly graph: GraphClient
  readonly close: () => Promise<void>
}

/** Starts the rig with `seed`; the client does not retry, so every answer is the simulator's first. */
export const startWholeCallRig = async (seed: number): Promise<WholeCallRig> => {
  const sim = await createSimulator({ seed })
  const callback = await startCallbackServer()
  const graph = createGraphClient({ baseUrl: sim.graphUrl, getToken: async () => 'test-token', retry: { retries: 0 } })
  return {
    sim,
    callback,
    graph,
    close: async () => {
      await graph.close()
      await sim.close()
      await callback.close()
    },
  }
}

/** A serviceHostedMediaConfig, the media of most tests. */
export const serviceHosted = { '@odata.type': '#microsoft.graph.serviceHostedMediaConfig' } as const
