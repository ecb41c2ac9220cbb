import { randomBytes } from 'node:crypto'
import { createLiveView, type LiveView } from '../view/createLiveView.js'
import type { LiveViewOptions } from '../view/LiveViewOptions.js'
import type { Simulator } from './createSimulator.js'

/** The live view `callops simulate --view` serves: its URL (token included) and how to stop it. */
export interface SimulatorView {
  readonly url: string
  readonly view: LiveView
  readonly close: () => Promise<void>
}

/**
 * Serves callops's live view of a simulator's calls on its own server: on 127.0.0.1 unless `host`
 * says otherwise, and with a fresh random token unless one is given (the page shows call data).
 * Bad options reject with a TypeError naming them; a port in use rejects with its `EADDRINUSE`.
 */
export const startSimulatorView = async (sim: Simulator, options: LiveViewOptions = {}): Promise<SimulatorView> => {
  const view = createLiveView({ token: randomBytes(12).toString('base64url'), ...options })
  view.attach(sim.viewSource)
  const url = await view.listen()
  return { url, view, close: view.close }
}
