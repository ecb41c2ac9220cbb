import { createHash, timingSafeEqual } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const digest = (s: string): Buffer => createHash('sha256').update(s).digest()

/** The token a request carries: `?token=` of its URL, else `Authorization: Bearer <token>`. */
const tokenOf = (req: IncomingMessage, url: URL): string | undefined => {
  const q = url.searchParams.get('token')
  if (q !== null) return q
  const auth = req.headers.authorization
  const m = auth === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(auth)
  return m?.[1]
}

/**
 * Whether a request may see the live view: always when no token is configured, else when it
 * carries the same token (compared in constant time over digests, so neither the content nor the
 * length leaks through timing).
 */
export const tokenMatches = (expected: string | undefined, req: IncomingMessage, url: URL): boolean => {
  if (expected === undefined) return true
  const given = tokenOf(req, url)
  return given !== undefined && timingSafeEqual(digest(given), digest(expected))
}
