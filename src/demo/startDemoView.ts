import { randomBytes } from 'node:crypto'
import type { CallOrchestrator } from '../orchestrator/CallOrchestrator.js'
import { createLiveView, type LiveView } from '../view/createLiveView.js'

/** The demo's live view: on 127.0.0.1 with a fresh token, its URL printed. */
export interface DemoView {
  readonly inspect: LiveView['inspect']
  /** Attaches the orchestrator, then waits for a page to open (or Ctrl-C): the call plays while it watches. */
  readonly watch: (orchestrator: CallOrchestrator) => Promise<void>
  /** Keeps the page up until Ctrl-C, then closes it. */
  readonly untilInterrupted: () => Promise<void>
}

const sigint = (): Promise<void> => new Promise<void>((resolve) => process.once('SIGINT', () => resolve()))

/** Starts the demo's live view and prints where to open it. */
export const startDemoView = async (err: (text: string) => void): Promise<DemoView> => {
  // The page shows call data: even on loopback, only who has the URL sees it.
  const view = createLiveView({ token: randomBytes(12).toString('base64url') })
  const url = await view.listen()
  err(`Live view on ${url}\n`)
  const interrupted = sigint()
  return {
    inspect: view.inspect,
    watch: async (orchestrator) => {
      view.attach(orchestrator)
      err('Open it to watch the call play (Ctrl-C to stop).\n')
      await Promise.race([view.whenWatched(), interrupted])
    },
    untilInterrupted: async () => {
      err('The live view stays open; press Ctrl-C to stop.\n')
      await interrupted
      await view.close()
    },
  }
}
