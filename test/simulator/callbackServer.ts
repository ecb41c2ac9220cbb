import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'

/** One notification POST as the test's callback received it. */
export interface Received {
  readonly body: unknown
  readonly authorization: string | undefined
  /** Order of arrival, from 0. */
  readonly seq: number
}

/** A real loopback server standing in for a bot's callback URL. */
export interface CallbackServer {
  readonly url: string
  readonly received: Received[]
  /** Every notification of every POST, flattened, in arrival order. */
  readonly notifications: () => Record<string, unknown>[]
  /** Resolves once `predicate` holds over the received notifications (rejects after `timeoutMs`). */
  readonly waitFor: (predicate: (n: Record<string, unknown>[]) => boolean, timeoutMs?: number) => Promise<Record<string, unknown>[]>
  readonly close: () => Promise<void>
}

const isRecord = (u: unknown): u is Record<string, unknown> => typeof u === 'object' && u !== null && !Array.isArray(u)

/** Starts a callback server on 127.0.0.1 that answers 202 to every POST (after `answerDelayMs`) and keeps what it got. */
export const startCallbackServer = async (answerDelayMs = 0): Promise<CallbackServer> => {
  const received: Received[] = []
  const waiters = new Set<() => void>()
  const server = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({ body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown, authorization: req.headers.authorization, seq: received.length })
      for (const w of [...waiters]) w()
      const answer = (): void => {
        res.writeHead(202)
        res.end()
      }
      if (answerDelayMs > 0) setTimeout(answer, answerDelayMs)
      else answer()
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const notifications = (): Record<string, unknown>[] =>
    received.flatMap((r) => (isRecord(r.body) && Array.isArray(r.body['value']) ? r.body['value'].filter(isRecord) : []))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/calls`,
    received,
    notifications,
    waitFor: (predicate, timeoutMs = 5_000) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          const all = notifications()
          if (predicate(all)) {
            waiters.delete(check)
            clearTimeout(timer)
            resolve(all)
          }
        }
        const timer = setTimeout(() => {
          waiters.delete(check)
          reject(new Error(`timed out; received ${JSON.stringify(notifications()).slice(0, 2_000)}`))
        }, timeoutMs)
        waiters.add(check)
        check()
      }),
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

/** POSTs a Graph action to the simulator with a bearer token. */
export const postGraph = async (
  graphUrl: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> => {
  const res = await fetch(`${graphUrl}/communications/calls/${path}`, {
    method: 'POST',
    headers: { authorization: 'Bearer test-token', 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  })
  const text = await res.text()
  const parsed: unknown = text === '' ? {} : JSON.parse(text)
  return { status: res.status, headers: res.headers, body: isRecord(parsed) ? parsed : {} }
}

/** The resourceData of the operation completions among `notifications`. */
export const completions = (notifications: Record<string, unknown>[]): Record<string, unknown>[] =>
  notifications
    .filter((n) => n['changeType'] === 'deleted' && typeof n['resourceUrl'] === 'string' && n['resourceUrl'].includes('/operations/'))
    .map((n) => (isRecord(n['resourceData']) ? n['resourceData'] : {}))
