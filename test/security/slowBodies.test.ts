import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { createNotificationAuthenticator } from '../../src/notifications/auth/createNotificationAuthenticator.js'
import { createNotificationHandler, type NotificationHandlerOptions } from '../../src/notifications/createNotificationHandler.js'
import { silentLogger } from '../../src/logging/Logger.js'
import { heapAfterGc } from '../chaos/heapAfterGc.js'

// Issue 14, finding 8: a POST without a token must cost the bot nothing, however large its
// declared body and however slowly it comes; a slow body with a token is cut at a bound.

const MiB = 1024 * 1024

/** The real authenticator; its key server is never reached, since every token here is refused first. */
const auth = createNotificationAuthenticator({ appId: 'bot-app', openIdConfigUrl: 'http://127.0.0.1:9/keys' })

const servers: http.Server[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections()
    await new Promise((r) => s.close(r))
  }
})

const serve = async (options: Partial<NotificationHandlerOptions>): Promise<{ server: http.Server; url: string; dispatched: unknown[] }> => {
  const dispatched: unknown[] = []
  const handler = createNotificationHandler({ auth, dispatch: (e) => dispatched.push(e), logger: silentLogger, ...options })
  const server = http.createServer(handler.webhook)
  servers.push(server)
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/callback`, dispatched }
}

interface SlowPost {
  /** Resolves with the status and the milliseconds from the request's start to its answer. */
  readonly answered: Promise<{ status: number; afterMs: number }>
  /** Resolves when the server closed the connection. */
  readonly closed: Promise<void>
}

/** Starts a POST that declares `declared` bytes, writes `first`, and never sends the rest. */
const slowPost = (url: string, declared: number, first: Buffer, headers: Record<string, string> = {}): SlowPost => {
  const started = Date.now()
  const req = http.request(url, {
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(declared), ...headers },
  })
  const answered = new Promise<{ status: number; afterMs: number }>((resolve) => {
    req.on('response', (res) => {
      resolve({ status: res.statusCode ?? 0, afterMs: Date.now() - started })
      res.resume()
    })
  })
  const closed = new Promise<void>((resolve) => {
    req.on('socket', (s) => s.once('close', () => resolve()))
  })
  // The server cuts these connections while we still write: that is the point.
  req.on('error', () => undefined)
  req.write(first)
  return { answered, closed }
}

const within = <T>(p: Promise<T>, ms: number, what: string): Promise<T> =>
  Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms))])

const arrayBuffersAfterGc = async (): Promise<number> => {
  await heapAfterGc()
  return process.memoryUsage().arrayBuffers
}

describe('the webhook refuses what needs no body before reading it (issue 14, finding 8)', () => {
  it('100 slow POSTs without Authorization, each declaring 1 MiB and sending 256 KiB, are answered 401 at once and hold no memory', async () => {
    const { server, url, dispatched } = await serve({})
    const chunk = Buffer.alloc(256 * 1024, 0x20)
    const before = await arrayBuffersAfterGc()
    const posts = Array.from({ length: 100 }, () => slowPost(url, MiB, chunk))
    const answers = await within(Promise.all(posts.map((p) => p.answered)), 5_000, 'answers')
    expect(answers.every((a) => a.status === 401)).toBe(true)
    expect(Math.max(...answers.map((a) => a.afterMs))).toBeLessThan(2_000)
    // What was sent so far (25 MiB in all) is read and dropped, never kept.
    const held = (await arrayBuffersAfterGc()) - before
    expect(held).toBeLessThan(4 * MiB)
    // None of them can hold a socket: each is cut, although no client ever ends its request.
    await within(Promise.all(posts.map((p) => p.closed)), 5_000, 'closed connections')
    const open = await new Promise<number>((r) => server.getConnections((_, n) => r(n)))
    expect(open).toBe(0)
    expect(dispatched).toEqual([])
  })

  it.each([
    ['a scheme that is not Bearer', 'Basic dXNlcjpwYXNz'],
    ['a token that is not a JWS', 'Bearer not-a-jwt'],
  ])('a malformed Authorization header (%s) is answered 401 before the body', async (_what, authorization) => {
    const { url } = await serve({})
    const post = slowPost(url, MiB, Buffer.from('{"value":['), { authorization })
    const answer = await within(post.answered, 2_000, 'answer')
    expect(answer.status).toBe(401)
  })

  it('a body slower than bodyTimeoutMs is answered 408 and its connection closed', async () => {
    // Authentication off, so the body is read: the bound applies to every body.
    const { url, dispatched } = await serve({ auth: undefined, bodyTimeoutMs: 300 })
    const post = slowPost(url, 200, Buffer.from('{"value":['))
    const answer = await within(post.answered, 3_000, 'answer')
    expect(answer.status).toBe(408)
    expect(answer.afterMs).toBeGreaterThanOrEqual(290)
    await within(post.closed, 3_000, 'closed connection')
    expect(dispatched).toEqual([])
  })

  it('refuses a bodyTimeoutMs that is not a positive number', () => {
    expect(() => createNotificationHandler({ auth, dispatch: () => {}, logger: silentLogger, bodyTimeoutMs: 0 })).toThrow(/bodyTimeoutMs/)
  })
})
