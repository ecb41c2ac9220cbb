import { createServer } from 'node:http'
import type { IncomingHttpHeaders, ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

/** A request the server received. */
export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
  /** performance.now() when the request's body had arrived. */
  readonly at: number
}

/** What to answer; `'hang-up'` destroys the socket without an answer (a network error). */
export type Reply = { readonly status: number; readonly headers?: Record<string, string>; readonly body?: string | object } | 'hang-up'

/** A node:http server on 127.0.0.1 that records every request and answers with `handler`. */
export interface LoopbackServer {
  readonly url: string
  readonly seen: Seen[]
  close(): Promise<void>
}

const write = (res: ServerResponse, reply: Exclude<Reply, 'hang-up'>): void => {
  const body = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body)
  const headers: Record<string, string> = { ...reply.headers }
  if (body !== '' && headers['content-type'] === undefined) headers['content-type'] = 'application/json'
  res.writeHead(reply.status, headers).end(body)
}

/**
 * Starts the server on port 0 of 127.0.0.1. `handler` gets each request and its 1-based index.
 */
export const startLoopbackServer = async (handler: (req: Seen, n: number) => Reply | Promise<Reply>): Promise<LoopbackServer> => {
  const seen: Seen[] = []
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      const s: Seen = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: performance.now(),
      }
      seen.push(s)
      void Promise.resolve(handler(s, seen.length)).then((reply) => {
        if (reply === 'hang-up') req.socket.destroy()
        else write(res, reply)
      })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}
