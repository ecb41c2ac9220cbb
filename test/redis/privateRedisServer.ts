import { spawn, type ChildProcess } from 'node:child_process'
import { Redis } from 'ioredis'
import { freePort } from '../support/freePort.js'

/** A redis-server of this test only, on a port it keeps across stops and starts. */
export interface PrivateRedisServer {
  readonly url: string
  /** Starts the server (no persistence) and resolves once it answers PING. */
  start(): Promise<void>
  /** Stops it (SIGTERM) and resolves once it exited. */
  stop(): Promise<void>
  /** Kills it (SIGKILL, a crash: nothing is saved) and resolves once it exited. */
  kill(): Promise<void>
  /** Freezes it (SIGSTOP): connections stay open, nothing is answered until `resume`. */
  pause(): void
  /** Unfreezes it (SIGCONT): it answers what was sent meanwhile. */
  resume(): void
}

/** A private redis-server on `port` (a free one by default), not started yet. */
export const privateRedisServer = async (port?: number): Promise<PrivateRedisServer> => {
  const p = port ?? (await freePort())
  const url = `redis://127.0.0.1:${p}`
  let child: ChildProcess | undefined
  const end = async (signal: NodeJS.Signals): Promise<void> => {
    const c = child
    child = undefined
    if (c === undefined || c.exitCode !== null || c.signalCode !== null) return
    const exited = new Promise((resolve) => c.once('exit', resolve))
    // A paused server does not act on SIGTERM until it runs again.
    c.kill('SIGCONT')
    c.kill(signal)
    await exited
  }
  return {
    url,
    start: async () => {
      child = spawn('redis-server', ['--port', String(p), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
      const end = Date.now() + 5_000
      while (Date.now() < end) {
        const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
        r.on('error', () => {})
        try {
          await r.connect()
          if ((await r.ping()) === 'PONG') return
        } catch {
          await new Promise((resolve) => setTimeout(resolve, 50))
        } finally {
          r.disconnect()
        }
      }
      throw new Error(`redis-server did not answer on port ${p} within 5 s`)
    },
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    pause: () => {
      child?.kill('SIGSTOP')
    },
    resume: () => {
      child?.kill('SIGCONT')
    },
  }
}
