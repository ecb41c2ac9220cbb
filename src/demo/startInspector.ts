import net from 'node:net'
import * as E from 'fp-ts/lib/Either.js'
import type { CallOrchestratorOptions } from '../orchestrator/CallOrchestrator.js'

/** The Stately inspector server of `callops demo --inspect`, with the observer to give the orchestrator. */
export interface DemoInspector {
  readonly inspect: NonNullable<CallOrchestratorOptions['inspect']>
  /** Where to point a browser. */
  readonly url: string
  stop(): void
}

// createInspectorServer listens without a host (every interface) and has no 'error' listener: a
// port in use would crash the process. Try the same bind first and say so instead.
const portInUse = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const probe = net.createServer()
    probe.once('error', () => resolve(true))
    probe.listen(port, () => probe.close(() => resolve(false)))
  })

/**
 * Starts `@statelyai/inspect`'s inspector server on `port` and a WebSocket inspector connected to
 * it. A `Left` explains what is missing (the optional package, a free port) in words for the user.
 */
export const startInspector = async (port: number): Promise<E.Either<string, DemoInspector>> => {
  let modules: [typeof import('@statelyai/inspect/server'), typeof import('@statelyai/inspect')]
  try {
    modules = await Promise.all([import('@statelyai/inspect/server'), import('@statelyai/inspect')])
  } catch (e) {
    const reason = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e)
    return E.left(`--inspect needs the optional package @statelyai/inspect: npm install -D @statelyai/inspect (${reason})`)
  }
  if (await portInUse(port)) return E.left(`--inspect: port ${port} is in use; choose another with --inspect-port <n>`)
  const [{ createInspectorServer }, { createWebSocketInspector }] = modules
  const server = createInspectorServer({ port, autoOpen: false })
  const inspector = createWebSocketInspector({ url: `ws://127.0.0.1:${port}` })
  return E.right({
    inspect: inspector.inspect,
    url: `http://localhost:${port}`,
    stop: () => {
      inspector.stop()
      server.stop()
    },
  })
}
