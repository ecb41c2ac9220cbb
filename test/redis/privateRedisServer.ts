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
}

/** A private redis-server on `port` (a free one by default), not started yet. */
export const privateRedisServer = async (port?: number): Promise<PrivateRedisServer> => {
  const p = port ?? (await freePort())
  const url = `redis://127.0.0.1:${p}`
  let child: ChildProcess | undefined
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
    stop: async () => {
      const c = child
      child = undefined
      if (c === undefined || c.exitCode !== null || c.signalCode !== null) return
      const exited = new Promise((resolve) => c.once('exit', resolve))
      c.kill('SIGTERM')
      await exited
    },
  }
}
