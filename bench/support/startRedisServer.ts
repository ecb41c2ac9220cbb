import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { Redis } from 'ioredis'

/** A private redis-server for item 4, so the bench never touches a Redis someone else uses. */
export interface PrivateRedis {
  readonly url: string
  readonly version: string
  readonly stop: () => Promise<void>
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address !== null ? address.port : 0
      s.close(() => resolve(port))
    })
  })

/**
 * Starts `redis-server` on a free loopback port, without persistence. Resolves `undefined` when
 * the binary is not installed or the server does not answer PING within 5 seconds.
 */
export const startRedisServer = async (): Promise<PrivateRedis | undefined> => {
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' })
  const failed = new Promise<undefined>((resolve) => {
    child.once('error', () => resolve(undefined))
    child.once('exit', () => resolve(undefined))
  })
  const url = `redis://127.0.0.1:${port}`
  const ready = (async (): Promise<string | undefined> => {
    const end = Date.now() + 5_000
    while (Date.now() < end) {
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null })
      r.on('error', () => {})
      try {
        await r.connect()
        const info = await r.info('server')
        return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown'
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 50))
      } finally {
        r.disconnect()
      }
    }
    return undefined
  })()
  const version = await Promise.race([ready, failed])
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  if (version === undefined) {
    await stop()
    return undefined
  }
  return { url, version, stop }
}
