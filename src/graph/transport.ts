import { Pool } from 'undici'

/** One HTTP answer, reduced to what the Graph client reads. */
export interface TransportResponse {
  readonly status: number
  /** The whole body as text (`''` when there is none). */
  readonly body: string
  readonly location: string | undefined
  readonly retryAfter: string | undefined
}

/**
 * The HTTP methods the Graph client sends.
 *
 * @example
 * ```ts
 * const method: HttpMethod = 'DELETE'
 * await graph.request({ method, path: `/communications/calls/${encodeURIComponent(callId)}`, answer: t.unknown })()
 * ```
 */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE'

/**
 * How the Graph client sends a request. Network failures reject; every HTTP answer, whatever its
 * status, resolves. Internal: the client picks undici or the caller's `fetch`.
 */
export interface Transport {
  /** Sends `method` to `path`, relative to the base URL the transport was made for. */
  send(method: HttpMethod, path: string, headers: Record<string, string>, body: string | undefined, signal: AbortSignal | undefined): Promise<TransportResponse>
  /** Closes idle connections and waits for requests under way. */
  close(): Promise<void>
}

const firstHeader = (h: string | string[] | undefined): string | undefined => (Array.isArray(h) ? h[0] : h)

const pathPrefix = (baseUrl: URL): string => baseUrl.pathname.replace(/\/+$/, '')

/**
 * The default transport: an undici `Pool` on the base URL's origin, with keep-alive. It costs about
 * half the CPU of `fetch` per request on this project's machines (issue 8 measures it).
 *
 * @param timeoutMs - Bounds the wait for the headers and between body chunks of one attempt.
 */
export const createUndiciTransport = (baseUrl: URL, timeoutMs: number): Transport => {
  const pool = new Pool(baseUrl.origin, { headersTimeout: timeoutMs, bodyTimeout: timeoutMs })
  const prefix = pathPrefix(baseUrl)
  return {
    async send(method, path, headers, body, signal) {
      const res = await pool.request({ method, path: prefix + path, headers, body: body ?? null, signal: signal ?? null })
      const text = await res.body.text()
      return {
        status: res.statusCode,
        body: text,
        location: firstHeader(res.headers['location']),
        retryAfter: firstHeader(res.headers['retry-after']),
      }
    },
    close: () => pool.close(),
  }
}

/** The transport used when the caller passes its own `fetch`. */
export const createFetchTransport = (baseUrl: URL, fetchFn: typeof fetch): Transport => {
  const base = baseUrl.origin + pathPrefix(baseUrl)
  return {
    async send(method, path, headers, body, signal) {
      const init: RequestInit = body === undefined ? { method, headers } : { method, headers, body }
      if (signal !== undefined) init.signal = signal
      const res = await fetchFn(base + path, init)
      const text = await res.text()
      return {
        status: res.status,
        body: text,
        location: res.headers.get('location') ?? undefined,
        retryAfter: res.headers.get('retry-after') ?? undefined,
      }
    },
    close: () => Promise.resolve(),
  }
}
