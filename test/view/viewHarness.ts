import http from 'node:http'
import type { AddressInfo } from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import { createCallOrchestrator, createLiveView, type CallOrchestrator, type LiveView, type LiveViewOptions } from '../../src/index.js'
import { createSimulator, type Simulator } from '../../src/simulator/index.js'

/** The simulator, a bot on the orchestrator with the live view attached and inspecting, and the view's URL. */
export interface ViewHarness {
  readonly sim: Simulator
  readonly orchestrator: CallOrchestrator
  readonly view: LiveView
  readonly url: string
  /** A new group call with Alice and Bob (and `extraParticipants` more), registered with the orchestrator. */
  readonly newCall: (options?: { extraParticipants?: number }) => { callId: string; alice: string; bob: string }
  readonly close: () => Promise<void>
}

export const startViewHarness = async (options: LiveViewOptions = {}): Promise<ViewHarness> => {
  const sim = await createSimulator({ seed: 16 })
  const view = createLiveView(options)
  const orchestrator = createCallOrchestrator({
    graph: { baseUrl: sim.graphUrl, getToken: async () => 'token', retry: { minDelayMs: 10 } },
    notificationAuth: { appId: sim.appId, openIdConfigUrl: sim.openIdConfigUrl },
    inspect: view.inspect,
  })
  view.attach(orchestrator)
  const server = http.createServer(orchestrator.webhook)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const callbackUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`
  const url = await view.listen()
  return {
    sim,
    orchestrator,
    view,
    url,
    newCall: (options = {}) => {
      const extra = Array.from({ length: options.extraParticipants ?? 0 }, (_, i) => ({ displayName: `Listener ${i} with a rather long display name` }))
      const created = sim.createCall({ callbackUrl, group: true, participants: [{ displayName: 'Alice' }, { displayName: 'Bob' }, ...extra] })
      if (E.isLeft(created)) throw new Error(created.left.message)
      const [alice, bob] = created.right.participants.map((p) => p.id)
      if (alice === undefined || bob === undefined) throw new Error('the simulator gave too few participants')
      orchestrator.registerCall({ callId: created.right.callId, kind: 'group' })
      return { callId: created.right.callId, alice, bob }
    },
    close: async () => {
      await view.close()
      await orchestrator.close()
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await sim.close()
    },
  }
}
