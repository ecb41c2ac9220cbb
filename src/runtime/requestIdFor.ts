import { createHash } from 'node:crypto'

// A fixed namespace, so every instance derives the same id from the same request.
const NAMESPACE = Buffer.from('c4a1b0d2e3f44a5b8c6d7e8f90a1b2c3', 'hex')

/**
 * The `client-request-id` of one request: a name-based UUID (version 5 layout) of the call and the
 * operation's clientContext. Every instance derives the same id, so a request resent after its
 * sender died carries the id of the first attempt, and Graph's logs show the two as one request.
 *
 * @example
 * ```ts
 * requestIdFor('e141b67c-…', 'hold-1') === requestIdFor('e141b67c-…', 'hold-1') // true
 * ```
 */
export const requestIdFor = (callKey: string, clientContext: string): string => {
  const h = createHash('sha1').update(NAMESPACE).update(callKey).update('\u0000').update(clientContext).digest()
  h[6] = ((h[6] ?? 0) & 0x0f) | 0x50
  h[8] = ((h[8] ?? 0) & 0x3f) | 0x80
  const x = h.toString('hex', 0, 16)
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`
}
