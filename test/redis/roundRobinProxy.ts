import http from 'node:http'
import type { AddressInfo } from 'node:net'

/** A loopback stand-in for the load balancer in front of the instances' webhooks. */
export interface RoundRobinProxy {
  /** The callback URL to give the simulator. */
  readonly url: string
  /** Where POSTs go, in turn; an unreachable target is skipped for the next. */
  targets: string[]
  /** POSTs each target answered, by target URL. */
  readonly forwarded: Map<string, number>
  close(): Promise<void>
}

/** Starts a proxy on 127.0.0.1 that spreads each POST over `targets` round-robin. */
export const startRoundRobinProxy = async (targets: string[] = []): Promise<RoundRobinProxy> => {
  const state = { targets, turn: 0 }
  const forwarded = new Map<string, number>()
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const headers: Record<string, string> = {}
      for (const h of ['content-type', 'authorization']) {
        const v = req.headers[h]
        if (typeof v === 'string') headers[h] = v
      }
      const attempt = async (tries: number): Promise<void> => {
        const list = state.targets
        if (tries >= list.length || list.length === 0) {
          res.writeHead(502).end()
          return
        }
        const target = list[state.turn++ % list.length] ?? ''
        try {
          const answer = await fetch(target, { method: 'POST', headers, body })
          const text = await answer.text()
          forwarded.set(target, (forwarded.get(target) ?? 0) + 1)
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'text/plain' }).end(text)
        } catch {
          await attempt(tries + 1)
        }
      }
      void attempt(0)
    })
  })
  server.keepAliveTimeout = 10_000
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/callback`,
    get targets() {
      return state.targets
    },
    set targets(t: string[]) {
      state.targets = t
    },
    forwarded,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
